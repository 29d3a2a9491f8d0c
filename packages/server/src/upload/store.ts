import { withTransaction } from '@syncline/postgres/tx';
import type pg from 'pg';

const LOCK_KEY = 0x5359_4e55; // 'SYNU'

/**
 * The idempotency log: one row per applied client transaction, keyed by
 * `(user_id, client_id, op_id)` and written in the same Postgres transaction as its ops.
 *
 * @example
 * await pool.query(`SELECT op_id FROM ${UPLOAD_LOG_TABLE} WHERE user_id = $1 AND client_id = $2`, [userId, clientId]);
 */
export const UPLOAD_LOG_TABLE = 'syncline.upload_transactions';

/** Creates the idempotency log table (idempotent, safe under concurrency). */
export async function ensureUploadLog(pool: pg.Pool): Promise<void> {
  await withTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await client.query('CREATE SCHEMA IF NOT EXISTS syncline');
    await client.query(`CREATE TABLE IF NOT EXISTS ${UPLOAD_LOG_TABLE} (
      user_id text NOT NULL,
      client_id text NOT NULL,
      op_id text NOT NULL,
      ops integer NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (user_id, client_id, op_id))`);
    await client.query(
      `CREATE INDEX IF NOT EXISTS upload_transactions_applied_at ON ${UPLOAD_LOG_TABLE} (applied_at)`,
    );
  });
}

/** Which of these client transactions were applied already (one query for the whole request). */
export async function appliedBefore(
  client: pg.PoolClient,
  userId: string,
  clientId: string,
  opIds: readonly string[],
): Promise<Set<string>> {
  if (opIds.length === 0) return new Set();
  const { rows } = await client.query<{ op_id: string }>(
    `SELECT op_id FROM ${UPLOAD_LOG_TABLE} WHERE user_id = $1 AND client_id = $2 AND op_id = ANY($3::text[])`,
    [userId, clientId, opIds],
  );
  return new Set(rows.map((r) => r.op_id));
}

/**
 * Records a client transaction inside the open Postgres transaction. False when it is recorded
 * already (a concurrent replay committed first): the caller rolls back and reports a replay.
 */
export async function recordTransaction(
  client: pg.PoolClient,
  key: { userId: string; clientId: string; opId: string },
  ops: number,
): Promise<boolean> {
  const { rowCount } = await client.query(
    `INSERT INTO ${UPLOAD_LOG_TABLE} (user_id, client_id, op_id, ops) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
    [key.userId, key.clientId, key.opId, ops],
  );
  return rowCount === 1;
}

/**
 * Records several client transactions with one statement inside the open Postgres transaction, in order;
 * returns for each whether it was recorded now (`fresh`), and the transaction time when any was. One not
 * recorded was applied before (or by a concurrent request that committed first), as was the second of two
 * with the same `op_id`.
 */
export async function recordTransactions(
  client: pg.PoolClient,
  key: { userId: string; clientId: string },
  transactions: readonly { opId: string; ops: number }[],
): Promise<{ fresh: boolean[]; now: Date | undefined }> {
  const { rows } = await client.query<{ op_id: string; now: Date }>(
    `INSERT INTO ${UPLOAD_LOG_TABLE} (user_id, client_id, op_id, ops)
     SELECT $1, $2, o, n FROM unnest($3::text[], $4::int[]) AS u(o, n) ON CONFLICT DO NOTHING RETURNING op_id, now() AS now`,
    [key.userId, key.clientId, transactions.map((t) => t.opId), transactions.map((t) => t.ops)],
  );
  const recorded = new Set(rows.map((r) => r.op_id));
  return { fresh: transactions.map((t) => recorded.delete(t.opId)), now: rows[0]?.now };
}

/** Deletes log entries older than `days`; returns how many. */
export async function pruneUploadLog(pool: pg.Pool, days: number): Promise<number> {
  const { rowCount } = await pool.query(
    `DELETE FROM ${UPLOAD_LOG_TABLE} WHERE applied_at < now() - make_interval(days => $1)`,
    [days],
  );
  return rowCount ?? 0;
}
