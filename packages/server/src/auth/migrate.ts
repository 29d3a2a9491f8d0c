import { type Logger, SyncError } from '@syncline/errors';
import type { BetterAuthOptions } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import pg from 'pg';

const LOCK_KEY = 0x5359_4e41; // 'SYNA': serialises BetterAuth migrations across API processes

/**
 * Creates or updates BetterAuth's tables with its own Kysely migrations (camelCase columns, the
 * layout BetterAuth's default adapter reads), holding an advisory lock so that several API
 * processes starting together do not race.
 */
export async function migrateAuthTables(
  pool: pg.Pool,
  options: BetterAuthOptions,
  logger: Logger,
): Promise<void> {
  // A separate connection for the lock: the migrations themselves use the pool.
  const lock = new pg.Client(pool.options as pg.ClientConfig);
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    const { toBeCreated, toBeAdded, runMigrations } = await getMigrations(options);
    if (toBeCreated.length || toBeAdded.length) {
      await runMigrations();
      logger.info('auth tables migrated', {
        created: toBeCreated.map((t) => t.table),
        altered: toBeAdded.map((t) => t.table),
      });
    }
  } catch (e) {
    throw new SyncError(
      'PG_MIGRATION_FAILED',
      `Creating BetterAuth's tables failed: ${(e as Error).message}. Check DATABASE_URL and that the role may create tables.`,
      { cause: e },
    );
  } finally {
    await lock.end().catch(() => undefined); // ending the session releases the advisory lock
  }
}
