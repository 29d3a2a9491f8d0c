/** The `sync_rejections` table: record what the API refused, let the app list, retry or discard it. */
import type { CommonPowerSyncDatabase } from '@powersync/common';
import type { SyncError } from '@syncline/errors';
import type { SynclineSchema } from '@syncline/schema/client';
import { parseJsonObject, quoteIdent, reapplyOp } from '../reapply/index.js';
import { syncRejections } from '../tables/index.js';
import type { CrudLike } from '../upload/batch.js';

/** A rejected op, as the app sees it. */
export interface SyncRejection {
  id: string;
  userId: string | null;
  tableName: string;
  rowId: string;
  op: 'PUT' | 'PATCH' | 'DELETE' | string;
  /** The API's error code, e.g. `UPLOAD_NOT_OWNER`, `UPLOAD_MISSING_VALUE`. */
  code: string;
  message: string;
  data: Record<string, unknown> | null;
  /** The API's details plus `opIndex` and `offending` (whether this op caused the rejection). */
  details: Record<string, unknown> | null;
  /**
   * The server's row when the write lost a conflict (`UPLOAD_VERSION_CONFLICT`), as the client holds rows
   * (column names, ISO timestamps, 0/1 booleans): "theirs", next to this op's `data` ("mine").
   */
  serverRow: Record<string, unknown> | null;
  transactionId: number | null;
  rejectedAt: string;
}

/** What a rejected transaction looks like to {@link Rejections.record}: the transaction the upload sent. */
export type RejectedTransaction = CrudLike;

/** The rejections API made by {@link createRejections}. */
export interface Rejections {
  /** Records every op of a rejected transaction (idempotent: ids derive from the queue entries). */
  record(tx: RejectedTransaction, error: SyncError, userId: string | null): Promise<void>;
  /** The current user's rejections, oldest first. */
  list(): Promise<SyncRejection[]>;
  /** How many the current user has. */
  count(): Promise<number>;
  /**
   * Re-applies the op locally as a new write (optionally with `data` merged over the stored data) and
   * removes the rejection, in one transaction. Returns false if a PATCH found no row to patch (kept).
   * On a table with the `version` conflict policy, a write that carried a version is rebased: its version
   * becomes the newest known one (the local row's or the rejection's `serverRow`'s) + 1 — "keep mine" on top
   * of theirs — unless `data` sets the version itself.
   */
  retry(id: string, data?: Record<string, unknown>): Promise<boolean>;
  /** Removes rejections (their writes are dropped for good). */
  discard(ids: string | readonly string[]): Promise<void>;
}

/** Options for {@link createRejections}. */
export interface RejectionsOptions {
  powersync: CommonPowerSyncDatabase;
  schema: SynclineSchema;
  /** The user whose rejections `list`/`count` show. */
  currentUser: () => string | null;
}

const T = syncRejections.name;

/**
 * The rejected-writes store over the local-only `sync_rejections` table.
 *
 * @example
 * for (const r of await client.rejections.list()) console.log(r.code, r.tableName, r.rowId);
 * await client.rejections.retry(r.id, { content: 'fixed' });
 */
export function createRejections(options: RejectionsOptions): Rejections {
  const { powersync, schema, currentUser } = options;
  const mine = (): [string, unknown[]] => {
    const user = currentUser();
    return user === null ? ['user_id IS NULL', []] : ['user_id = ?', [user]];
  };
  return {
    async record(tx, error, userId) {
      const details = error.details ?? {};
      const now = new Date().toISOString();
      await powersync.writeTransaction(async (w) => {
        for (const [opIndex, e] of tx.crud.entries()) {
          const id = `rej-${e.clientId}`;
          if (await w.getOptional(`SELECT 1 AS found FROM ${T} WHERE id = ?`, [id])) continue;
          const offending = typeof details.op === 'number' ? details.op === opIndex : true;
          await w.execute(
            `INSERT INTO ${T} (id, user_id, table_name, row_id, op, code, message, data, details, transaction_id, rejected_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            [
              id,
              userId,
              e.table,
              e.id,
              e.op,
              error.code,
              error.message,
              e.opData === undefined ? null : JSON.stringify(e.opData),
              JSON.stringify({ ...details, opIndex, offending }),
              tx.transactionId ?? null,
              now,
            ],
          );
        }
      });
    },
    async list() {
      const [where, params] = mine();
      const rows = await powersync.getAll<Record<string, unknown>>(
        `SELECT * FROM ${T} WHERE ${where} ORDER BY rejected_at, id`,
        params,
      );
      return rows.map(toRejection);
    },
    async count() {
      const [where, params] = mine();
      const row = await powersync.get<{ n: number }>(`SELECT count(*) AS n FROM ${T} WHERE ${where}`, params);
      return Number(row.n);
    },
    async retry(id, data) {
      return powersync.writeTransaction(async (w) => {
        const [where, params] = mine();
        const row = await w.getOptional<Record<string, unknown>>(
          `SELECT * FROM ${T} WHERE id = ? AND ${where}`,
          [id, ...params],
        );
        if (!row) return false;
        const r = toRejection(row);
        let merged = data ? { ...(r.data ?? {}), ...data } : r.data;
        const table = schema.table(r.tableName);
        const conflicts = table && !table.localOnly ? table.conflicts : undefined;
        if (conflicts?.policy === 'version' && merged && r.op !== 'DELETE') {
          const { name, property } = conflicts.column;
          const carried = Object.hasOwn(r.data ?? {}, name) || Object.hasOwn(r.data ?? {}, property);
          const given = data && (Object.hasOwn(data, name) || Object.hasOwn(data, property));
          if (carried && !given) {
            const local = await w.getOptional<{ v: unknown }>(
              `SELECT ${quoteIdent(name)} AS v FROM ${quoteIdent(table!.name)} WHERE id = ?`,
              [r.rowId],
            );
            const base = Math.max(Number(local?.v ?? 0) || 0, Number(r.serverRow?.[name] ?? 0) || 0);
            const { [property]: _dropped, ...rest } = merged;
            merged = { ...rest, [name]: base + 1 };
          }
        }
        const applied = await reapplyOp(w, schema, {
          tableName: r.tableName,
          rowId: r.rowId,
          op: r.op,
          data: merged,
        });
        if (applied) await w.execute(`DELETE FROM ${T} WHERE id = ?`, [id]);
        return applied;
      });
    },
    async discard(ids) {
      const list = typeof ids === 'string' ? [ids] : [...ids];
      if (list.length === 0) return;
      const [where, params] = mine();
      await powersync.execute(
        `DELETE FROM ${T} WHERE id IN (${list.map(() => '?').join(', ')}) AND ${where}`,
        [...list, ...params],
      );
    },
  };
}

function toRejection(row: Record<string, unknown>): SyncRejection {
  const details = parseJsonObject(row.details);
  const serverRow = details?.serverRow;
  return {
    id: String(row.id),
    userId: row.user_id === null || row.user_id === undefined ? null : String(row.user_id),
    tableName: String(row.table_name),
    rowId: String(row.row_id),
    op: String(row.op),
    code: String(row.code),
    message: String(row.message),
    data: parseJsonObject(row.data),
    details,
    serverRow:
      typeof serverRow === 'object' && serverRow !== null && !Array.isArray(serverRow)
        ? (serverRow as Record<string, unknown>)
        : null,
    transactionId: typeof row.transaction_id === 'number' ? row.transaction_id : null,
    rejectedAt: String(row.rejected_at),
  };
}
