import type { Logger } from '@syncline/errors';
import type pg from 'pg';

const guarded = new WeakSet<pg.Pool>();

/**
 * Makes a `pg` pool safe against a database that goes away: `pg` emits `'error'` on a client whose
 * connection dies — an idle client in the pool (the pool's `'error'` event) or one checked out between
 * two queries (the client's own `'error'` event, which has no listener while checked out) — and an
 * `'error'` event without a listener crashes the process. Both are logged instead; the query in flight
 * fails on its own and the pool replaces the client. Idempotent: `createAuth` and `createUploadHandler`
 * call it on the pool they are given, apps may call it first.
 *
 * @example
 * const pool = guardPool(new pg.Pool({ connectionString }), logger);
 */
export function guardPool(pool: pg.Pool, log: Logger): pg.Pool {
  if (guarded.has(pool)) return pool;
  guarded.add(pool);
  let last = 0;
  const report = (where: string) => (e: Error) => {
    // Postgres shutting down (57P01: e.g. the terminal's Ctrl-C reaching it first) is expected: debug only.
    if ((e as { code?: string }).code === '57P01') {
      log.debug('database connection closed: Postgres is shutting down', { where });
      return;
    }
    // One line per second at most: a restart drops every connection at once.
    if (Date.now() - last < 1000) return;
    last = Date.now();
    log.warn('database connection lost', { where, error: e.message });
  };
  pool.on('error', report('idle client'));
  pool.on('connect', (client) => {
    client.on('error', report('client'));
  });
  return pool;
}
