/** `sync_quarantine`: a previous user's pending writes, out of the upload queue, restorable by that user. */
import type { CommonPowerSyncDatabase, CrudTransaction } from '@powersync/common';
import { SyncError } from '@syncline/errors';
import type { SynclineSchema } from '@syncline/schema/client';
import { parseJsonObject, reapplyOp } from '../reapply/index.js';
import { syncQuarantine } from '../tables/index.js';

const T = syncQuarantine.name;

/**
 * Moves every pending upload into `sync_quarantine`, tagged with `userId`, then removes them from the
 * upload queue (`CrudTransaction.complete()` of the last one). Idempotent: rows are keyed by the queue
 * entry id, so running it again after a crash between the two steps adds nothing twice. Returns how many
 * ops were moved.
 *
 * @example
 * await quarantinePending(powersync, 'user-a');
 */
export async function quarantinePending(powersync: CommonPowerSyncDatabase, userId: string): Promise<number> {
  const transactions: CrudTransaction[] = [];
  for await (const tx of powersync.getCrudTransactions()) transactions.push(tx);
  const last = transactions.at(-1);
  if (!last) return 0;
  const now = new Date().toISOString();
  let moved = 0;
  await powersync.writeTransaction(async (w) => {
    for (const tx of transactions) {
      for (const e of tx.crud) {
        const id = `q-${e.clientId}`;
        moved++;
        if (await w.getOptional(`SELECT 1 AS found FROM ${T} WHERE id = ?`, [id])) continue;
        await w.execute(
          `INSERT INTO ${T} (id, user_id, table_name, row_id, op, data, transaction_id, sequence, quarantined_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            id,
            userId,
            e.table,
            e.id,
            e.op,
            e.opData === undefined ? null : JSON.stringify(e.opData),
            tx.transactionId ?? null,
            e.clientId,
            now,
          ],
        );
      }
    }
  });
  await last.complete();
  return moved;
}

/** A quarantined write. */
export interface QuarantinedWrite {
  id: string;
  userId: string;
  tableName: string;
  rowId: string;
  op: string;
  data: Record<string, unknown> | null;
  transactionId: number | null;
  quarantinedAt: string;
}

/** Result of {@link Quarantine.restore}. */
export interface RestoreResult {
  /** Ops re-applied as new local writes (they upload with the current user's token). */
  restored: number;
  /** Ops kept in quarantine: a PATCH whose row is not on this device (yet), or an op that cannot apply. */
  skipped: { write: QuarantinedWrite; reason: string }[];
}

/** The quarantine API made by {@link createQuarantine}. */
export interface Quarantine {
  /** The current user's quarantined writes, in their original order. */
  list(): Promise<QuarantinedWrite[]>;
  count(): Promise<number>;
  /**
   * Re-applies the current user's quarantined writes as new local writes, one local transaction per
   * original transaction, and removes them from quarantine. Call it after the user's data has synced
   * (a PATCH needs its row); what cannot be applied yet stays quarantined.
   */
  restore(): Promise<RestoreResult>;
  /** Drops the current user's quarantined writes (or the given ids). */
  discard(ids?: readonly string[]): Promise<void>;
}

/** Options for {@link createQuarantine}. */
export interface QuarantineOptions {
  powersync: CommonPowerSyncDatabase;
  schema: SynclineSchema;
  currentUser: () => string | null;
}

/**
 * The quarantine store over the local-only `sync_quarantine` table. Writes are only ever listed and
 * restored for the user they belong to.
 *
 * @example
 * if ((await client.quarantine.count()) > 0) await client.quarantine.restore();
 */
export function createQuarantine(options: QuarantineOptions): Quarantine {
  const { powersync, schema, currentUser } = options;
  const list = async (): Promise<QuarantinedWrite[]> => {
    const user = currentUser();
    if (user === null) return [];
    const rows = await powersync.getAll<Record<string, unknown>>(
      `SELECT * FROM ${T} WHERE user_id = ? ORDER BY sequence`,
      [user],
    );
    return rows.map(toWrite);
  };
  return {
    list,
    async count() {
      const user = currentUser();
      if (user === null) return 0;
      const row = await powersync.get<{ n: number }>(`SELECT count(*) AS n FROM ${T} WHERE user_id = ?`, [
        user,
      ]);
      return Number(row.n);
    },
    async restore() {
      const writes = await list();
      const groups = new Map<string, QuarantinedWrite[]>();
      for (const w of writes) {
        const key = w.transactionId === null ? w.id : `tx-${w.transactionId}`;
        groups.set(key, [...(groups.get(key) ?? []), w]);
      }
      const result: RestoreResult = { restored: 0, skipped: [] };
      for (const group of groups.values()) {
        await powersync.writeTransaction(async (tx) => {
          for (const w of group) {
            let applied: boolean;
            try {
              applied = await reapplyOp(tx, schema, w);
            } catch (e) {
              if (!SyncError.is(e, 'CLIENT_CANNOT_REAPPLY')) throw e;
              result.skipped.push({ write: w, reason: e.message });
              continue;
            }
            if (!applied) {
              result.skipped.push({ write: w, reason: `row "${w.rowId}" is not on this device` });
              continue;
            }
            await tx.execute(`DELETE FROM ${T} WHERE id = ?`, [w.id]);
            result.restored++;
          }
        });
      }
      return result;
    },
    async discard(ids) {
      const user = currentUser();
      if (user === null) return;
      if (ids === undefined) {
        await powersync.execute(`DELETE FROM ${T} WHERE user_id = ?`, [user]);
        return;
      }
      if (ids.length === 0) return;
      await powersync.execute(
        `DELETE FROM ${T} WHERE user_id = ? AND id IN (${ids.map(() => '?').join(', ')})`,
        [user, ...ids],
      );
    },
  };
}

function toWrite(row: Record<string, unknown>): QuarantinedWrite {
  return {
    id: String(row.id),
    userId: String(row.user_id),
    tableName: String(row.table_name),
    rowId: String(row.row_id),
    op: String(row.op),
    data: parseJsonObject(row.data),
    transactionId: typeof row.transaction_id === 'number' ? row.transaction_id : null,
    quarantinedAt: String(row.quarantined_at),
  };
}
