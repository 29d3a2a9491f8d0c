import { SyncError } from '@syncline/errors';
import type pg from 'pg';
import { enforcePolicies, notOwner } from '../policies/index.js';
import { mapPgError, RETRY_AFTER_SECONDS } from './pg-errors.js';
import { type PlannedOp, type PlannedTransaction, type TableEntry, withDetails } from './plan.js';
import { checkReferences } from './references.js';
import { deleteStatement, existsStatement, patchStatement, putStatement } from './sql.js';
import { recordTransaction } from './store.js';

/** Row counts of one applied transaction, for logs. */
export interface ApplyStats {
  inserted: number;
  updated: number;
  deleted: number;
  /** PATCH/DELETE of rows that no longer exist: no-ops. */
  missing: number;
  ownerIgnored: number;
}

/** How often a transaction is decided again because rows it found missing appeared meanwhile (SPEC.md U1). */
const ATTEMPTS = 3;

/**
 * Applies one client transaction in one Postgres transaction: all of it or none of it. With a
 * `clientId`, the transaction is first recorded in the idempotency log; if it is there already the
 * Postgres transaction is rolled back and `replayed` returned. Throws a SyncError (with the op in its
 * details) after rolling back. When a row decided as missing turns out to exist (created by a concurrent
 * request after the facts were read), it rolls back and decides again on the new facts, where that row is
 * read and locked: the outcome is the one of this transaction applied after the other.
 */
export async function applyTransaction(
  client: pg.PoolClient,
  tx: PlannedTransaction,
  who: { userId: string; clientId: string | undefined },
  tables: ReadonlyMap<string, TableEntry>,
): Promise<{ outcome: 'applied' | 'replayed'; stats: ApplyStats }> {
  for (let attempt = 1; ; attempt++) {
    const result = await applyOnce(client, tx, who, tables);
    if (result !== 'appeared') return result;
    if (attempt === ATTEMPTS) {
      throw new SyncError(
        'UPLOAD_INTERNAL',
        'Rows this transaction creates kept being created by concurrent uploads; nothing was applied. Retry.',
        { status: 503, details: { retryAfterSeconds: RETRY_AFTER_SECONDS } },
      );
    }
  }
}

async function applyOnce(
  client: pg.PoolClient,
  tx: PlannedTransaction,
  who: { userId: string; clientId: string | undefined },
  tables: ReadonlyMap<string, TableEntry>,
): Promise<{ outcome: 'applied' | 'replayed'; stats: ApplyStats } | 'appeared'> {
  const stats: ApplyStats = { inserted: 0, updated: 0, deleted: 0, missing: 0, ownerIgnored: 0 };
  await client.query('BEGIN');
  try {
    if (who.clientId !== undefined) {
      const key = { userId: who.userId, clientId: who.clientId, opId: String(tx.opId) };
      if (!(await recordTransaction(client, key, tx.ops.length))) {
        await client.query('ROLLBACK');
        return { outcome: 'replayed', stats };
      }
    }
    await checkReferences(client, tx, tables, who.userId);
    // Sharing and conflict policies: the owner each op is applied as (an editor writes the owner's row).
    const decision = await enforcePolicies(client, tx, tables, who.userId);
    for (const [index, op] of tx.ops.entries()) {
      const owner = decision?.owners[index] ?? who.userId;
      let applied: boolean;
      try {
        applied = await applyOp(client, op, owner, decision?.absent[index] === true, stats);
      } catch (e) {
        throw withDetails(mapPgError(e), { op: index, opType: op.type, table: op.table.name, id: op.id });
      }
      if (!applied) {
        await client.query('ROLLBACK');
        return 'appeared';
      }
    }
    await client.query('COMMIT');
    return { outcome: 'applied', stats };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw mapPgError(e);
  }
}

/** Applies one op; false when its row was decided as missing (`absent`) and exists: decide again. */
async function applyOp(
  client: pg.PoolClient,
  op: PlannedOp,
  userId: string,
  absent: boolean,
  stats: ApplyStats,
): Promise<boolean> {
  if (op.ownerIgnored) stats.ownerIgnored++;
  if (op.type === 'PUT') {
    const { rows } = await client.query<{ inserted: boolean }>(
      putStatement(op.table, op.id, userId, op.values, absent),
    );
    if (rows.length === 0 && absent) return false;
    if (rows.length === 0) throw notOwner(op);
    if (rows[0]!.inserted) stats.inserted++;
    else stats.updated++;
    return true;
  }
  if (op.type === 'PATCH' && Object.keys(op.values).length === 0) return true; // nothing to change
  if (!absent) {
    const statement =
      op.type === 'PATCH'
        ? patchStatement(op.table, op.id, userId, op.values)
        : deleteStatement(op.table, op.id, userId);
    const { rowCount } = await client.query(statement);
    if (rowCount) {
      if (op.type === 'PATCH') stats.updated++;
      else stats.deleted++;
      return true;
    }
  }
  // Nothing matched (or the row was decided as missing: nothing to change): someone else's row (refuse), a row
  // decided as missing that exists now (decide again), or a row deleted meanwhile (nothing to do).
  const exists = await client.query(existsStatement(op.table, op.id));
  if (exists.rowCount && absent) return false;
  if (exists.rowCount) throw notOwner(op);
  stats.missing++;
  return true;
}
