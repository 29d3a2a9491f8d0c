import { SyncError } from '@syncline/errors';
import type pg from 'pg';
import { enforcePolicies } from '../policies/index.js';
import { mapPgError } from './pg-errors.js';
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

/**
 * Applies one client transaction in one Postgres transaction: all of it or none of it. With a
 * `clientId`, the transaction is first recorded in the idempotency log; if it is there already the
 * Postgres transaction is rolled back and `replayed` returned. Throws a SyncError (with the op in its
 * details) after rolling back.
 */
export async function applyTransaction(
  client: pg.PoolClient,
  tx: PlannedTransaction,
  who: { userId: string; clientId: string | undefined },
  tables: ReadonlyMap<string, TableEntry>,
): Promise<{ outcome: 'applied' | 'replayed'; stats: ApplyStats }> {
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
    const owners = await enforcePolicies(client, tx, tables, who.userId);
    for (const [index, op] of tx.ops.entries()) {
      try {
        await applyOp(client, op, owners?.[index] ?? who.userId, stats);
      } catch (e) {
        throw withDetails(mapPgError(e), { op: index, opType: op.type, table: op.table.name, id: op.id });
      }
    }
    await client.query('COMMIT');
    return { outcome: 'applied', stats };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw mapPgError(e);
  }
}

async function applyOp(
  client: pg.PoolClient,
  op: PlannedOp,
  userId: string,
  stats: ApplyStats,
): Promise<void> {
  if (op.ownerIgnored) stats.ownerIgnored++;
  if (op.type === 'PUT') {
    const { rows } = await client.query<{ inserted: boolean }>(
      putStatement(op.table, op.id, userId, op.values),
    );
    if (rows.length === 0) throw notOwner(op);
    if (rows[0]!.inserted) stats.inserted++;
    else stats.updated++;
    return;
  }
  if (op.type === 'PATCH' && Object.keys(op.values).length === 0) return; // nothing to change
  const statement =
    op.type === 'PATCH'
      ? patchStatement(op.table, op.id, userId, op.values)
      : deleteStatement(op.table, op.id, userId);
  const { rowCount } = await client.query(statement);
  if (rowCount) {
    if (op.type === 'PATCH') stats.updated++;
    else stats.deleted++;
    return;
  }
  // Nothing matched: someone else's row (refuse), or a row deleted meanwhile (nothing to do).
  const exists = await client.query(existsStatement(op.table, op.id));
  if (exists.rowCount) throw notOwner(op);
  stats.missing++;
}

function notOwner(op: PlannedOp): SyncError {
  return new SyncError(
    'UPLOAD_NOT_OWNER',
    `Row "${op.id}" of table "${op.table.name}" belongs to another user; this transaction was not applied. Use a new id for new rows.`,
  );
}
