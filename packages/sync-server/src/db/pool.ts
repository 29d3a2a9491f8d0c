import type { Logger } from '@syncline/errors';
import pg from 'pg';

/**
 * A `pg.Pool` that survives a lost database: idle connections' errors are logged, and a connection that
 * dies while checked out (pg-pool removes its own listener then, so the `error` event would crash the
 * process) is ignored at the event level — the query that uses it fails and its caller handles that, and
 * pg-pool drops the dead connection when it is released. Connections are named after `what` in
 * `pg_stat_activity.application_name` (e.g. `syncline-sync: storage pool`), so an operator can tell them apart.
 */
export function createPool(config: pg.PoolConfig, log: Logger, what: string): pg.Pool {
  const pool = new pg.Pool({ application_name: `syncline-sync: ${what}`.slice(0, 63), ...config });
  pool.on('error', (e) => connectionError(log, what, e));
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  return pool;
}

/**
 * Logs an idle connection's error. Postgres shutting down (57P01, e.g. the terminal's Ctrl-C reaching the
 * embedded server first) is expected and only logged at debug; anything else is a warning.
 */
function connectionError(log: Logger, what: string, e: unknown): void {
  const code = (e as { code?: string }).code;
  if (code === '57P01') log.debug(`${what} closed: Postgres is shutting down`);
  else log.warn(`${what} error`, { error: e });
}
