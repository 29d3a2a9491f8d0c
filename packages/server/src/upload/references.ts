import { SyncError } from '@syncline/errors';
import type pg from 'pg';
import type { PlannedTransaction, TablePlan } from './plan.js';
import { ident } from './sql.js';

interface Use {
  /** Op index and column of the first op that points at the id, for the error. */
  op: number;
  column: string;
  table: string;
  strict: boolean;
}

/**
 * Checks the `ref()` columns a client transaction writes: a value naming another user's row is refused
 * (`UPLOAD_FOREIGN_REFERENCE`, 403); with `strict`, a value naming no row — and no row this transaction
 * creates — is refused (`UPLOAD_MISSING_REFERENCE`, 409). One query per referenced table, none when the
 * transaction writes no reference. Runs inside the transaction, before its ops.
 */
export async function checkReferences(
  client: pg.PoolClient,
  tx: PlannedTransaction,
  tables: ReadonlyMap<string, { kind: string }>,
  userId: string,
): Promise<void> {
  const wanted = new Map<string, Map<string, Use>>(); // target table → id → first use
  const created = new Map<string, Set<string>>(); // table → ids PUT by this transaction
  for (const [index, op] of tx.ops.entries()) {
    if (op.type === 'PUT') {
      const ids = created.get(op.table.name) ?? new Set<string>();
      created.set(op.table.name, ids);
      ids.add(op.id);
    }
    if (op.type === 'DELETE') continue;
    for (const ref of op.table.references) {
      if (ref.viaSharing) continue; // a shared target: the policies decide (../policies)
      const value = op.values[ref.column.name];
      if (typeof value !== 'string') continue;
      const ids = wanted.get(ref.target) ?? new Map<string, Use>();
      wanted.set(ref.target, ids);
      const use = ids.get(value);
      if (!use)
        ids.set(value, { op: index, column: ref.column.name, table: op.table.name, strict: ref.strict });
      else if (ref.strict && !use.strict) ids.set(value, { ...use, strict: true });
    }
  }
  for (const [targetName, ids] of wanted) {
    const target = tables.get(targetName) as TablePlan;
    const { rows } = await client.query<{ id: string; owner: string }>(
      `SELECT ${ident(target.id.name)} AS id, ${ident(target.owner.name)} AS owner FROM ${ident(target.name)} WHERE ${ident(target.id.name)} = ANY($1::text[])`,
      [[...ids.keys()]],
    );
    const found = new Set<string>();
    for (const row of rows) {
      found.add(row.id);
      if (row.owner === userId) continue;
      const use = ids.get(row.id)!;
      throw new SyncError(
        'UPLOAD_FOREIGN_REFERENCE',
        `${use.table}.${use.column} points at row "${row.id}" of "${targetName}", which belongs to another user; this transaction was not applied.`,
        { details: { op: use.op, table: use.table, column: use.column, references: targetName } },
      );
    }
    for (const [id, use] of ids) {
      if (!use.strict || found.has(id) || created.get(targetName)?.has(id)) continue;
      throw new SyncError(
        'UPLOAD_MISSING_REFERENCE',
        `${use.table}.${use.column} points at row "${id}" of "${targetName}", which does not exist (the column is strict); this transaction was not applied. Upload the ${targetName} row first.`,
        { details: { op: use.op, table: use.table, column: use.column, references: targetName } },
      );
    }
  }
}

/**
 * The `ref()` check of several client transactions applied together, before any of their ops: true when
 * {@link checkReferences} would pass for each of them, applied one after another. No referenced row may
 * belong to another user (the user's own ops never change that); a strict reference must name a row that
 * exists now and that no op of the request deletes, or one its own transaction PUTs. False means: let
 * the per-op path decide (it may still pass, e.g. a row created by an earlier transaction).
 */
export async function referencesPass(
  client: pg.PoolClient,
  transactions: readonly PlannedTransaction[],
  tables: ReadonlyMap<string, { kind: string }>,
  userId: string,
): Promise<boolean> {
  const wanted = new Map<string, Map<string, boolean>>(); // target → id → must exist
  const deleted = new Set<string>(); // table \0 id
  for (const tx of transactions) {
    const created = new Set<string>();
    for (const op of tx.ops) if (op.type === 'PUT') created.add(`${op.table.name}\u0000${op.id}`);
    for (const op of tx.ops) {
      if (op.type === 'DELETE') {
        deleted.add(`${op.table.name}\u0000${op.id}`);
        continue;
      }
      for (const ref of op.table.references) {
        if (ref.viaSharing) continue; // a shared target: the policies decide (../policies)
        const value = op.values[ref.column.name];
        if (typeof value !== 'string') continue;
        const ids = wanted.get(ref.target) ?? new Map<string, boolean>();
        wanted.set(ref.target, ids);
        const mustExist = ref.strict && !created.has(`${ref.target}\u0000${value}`);
        ids.set(value, (ids.get(value) ?? false) || mustExist);
      }
    }
  }
  for (const [targetName, ids] of wanted) {
    const target = tables.get(targetName) as TablePlan;
    const { rows } = await client.query<{ id: string; owner: string }>(
      `SELECT ${ident(target.id.name)} AS id, ${ident(target.owner.name)} AS owner FROM ${ident(target.name)} WHERE ${ident(target.id.name)} = ANY($1::text[])`,
      [[...ids.keys()]],
    );
    if (rows.some((row) => row.owner !== userId)) return false;
    const found = new Set(rows.map((row) => row.id));
    for (const [id, mustExist] of ids) {
      if (mustExist && (!found.has(id) || deleted.has(`${targetName}\u0000${id}`))) return false;
    }
  }
  return true;
}
