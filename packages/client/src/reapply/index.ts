/** Re-applying a stored op (a rejection or a quarantined write) as a new local write. */
import type { LockContext } from '@powersync/common';
import { SyncError } from '@syncline/errors';
import type { SynclineSchema } from '@syncline/schema/client';

/** An op as stored in `sync_rejections` / `sync_quarantine`. */
export interface StoredOp {
  tableName: string;
  rowId: string;
  op: string;
  data: Record<string, unknown> | null;
}

/** Quotes an SQLite identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Re-applies `op` inside a write transaction, through the table's PowerSync view — so it is recorded in
 * the upload queue as a new write. PUT → `INSERT OR REPLACE` of the stored columns; PATCH → `UPDATE` of
 * the stored columns if the row exists locally; DELETE → `DELETE`. Returns false when a PATCH finds no
 * row (nothing to patch: the caller keeps the op). Throws `CLIENT_CANNOT_REAPPLY` for a table that is not
 * a synced table of the schema or a column it does not have.
 *
 * @example
 * await powersync.writeTransaction((tx) => reapplyOp(tx, schema, { tableName: 'documents', rowId, op: 'PUT', data }));
 */
export async function reapplyOp(tx: LockContext, schema: SynclineSchema, op: StoredOp): Promise<boolean> {
  const table = schema.table(op.tableName);
  if (!table || table.localOnly) {
    throw new SyncError(
      'CLIENT_CANNOT_REAPPLY',
      `Table "${op.tableName}" is not a synced table of this app.`,
      {
        details: { table: op.tableName },
      },
    );
  }
  const columns: string[] = [];
  const values: unknown[] = [];
  for (const [key, value] of Object.entries(op.data ?? {})) {
    const col = table.column(key);
    if (!col) {
      throw new SyncError(
        'CLIENT_CANNOT_REAPPLY',
        `Table "${op.tableName}" has no column "${key}"; edit the data before retrying.`,
        { details: { table: op.tableName, column: key } },
      );
    }
    if (col.name === 'id') continue;
    columns.push(col.name);
    values.push(toSqlite(value));
  }
  const t = quoteIdent(table.name);
  switch (op.op) {
    case 'PUT': {
      const names = ['id', ...columns].map(quoteIdent).join(', ');
      const marks = ['?', ...columns.map(() => '?')].join(', ');
      await tx.execute(`INSERT OR REPLACE INTO ${t} (${names}) VALUES (${marks})`, [op.rowId, ...values]);
      return true;
    }
    case 'PATCH': {
      const row = await tx.getOptional(`SELECT 1 AS found FROM ${t} WHERE id = ?`, [op.rowId]);
      if (!row) return false;
      if (columns.length === 0) return true;
      const sets = columns.map((c) => `${quoteIdent(c)} = ?`).join(', ');
      await tx.execute(`UPDATE ${t} SET ${sets} WHERE id = ?`, [...values, op.rowId]);
      return true;
    }
    case 'DELETE':
      await tx.execute(`DELETE FROM ${t} WHERE id = ?`, [op.rowId]);
      return true;
    default:
      throw new SyncError('CLIENT_CANNOT_REAPPLY', `Unknown op "${op.op}".`, { details: { op: op.op } });
  }
}

/** JSON-ish value → what SQLite stores (objects as JSON text, booleans as 0/1). */
function toSqlite(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return value;
}

/** Parses JSON text stored in a local table, or null. */
export function parseJsonObject(text: unknown): Record<string, unknown> | null {
  if (typeof text !== 'string' || text === '') return null;
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
