import { resolve } from 'node:path';
import { createLogger, SyncError } from '@syncline/errors';
import { applySchema, assertReplicationReady, redactUrl, startEmbeddedPostgres } from '@syncline/postgres';
import pg from 'pg';
import type { SynclineConfig } from '../config/index.js';

/** Options for {@link runDev}. */
export interface DevOptions {
  config: SynclineConfig;
  /** Use this Postgres instead of the embedded one. Default: `DATABASE_URL`. */
  databaseUrl?: string;
  /** Embedded Postgres port. Default: `SYNCLINE_PG_PORT` or 54320. */
  pgPort?: number;
}

/** A running dev stack. */
export interface DevStack {
  databaseUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts the development stack: Postgres (embedded, data under `.syncline/`, or `DATABASE_URL`) with the
 * schema applied and the publication in place.
 *
 * @example
 * const stack = await runDev({ config });
 */
export async function runDev(options: DevOptions): Promise<DevStack> {
  const log = createLogger({ name: 'dev' });
  const dataDir = resolve(options.config.dataDir ?? '.syncline');
  const database = options.config.database ?? 'syncline';
  const stops: (() => Promise<void>)[] = [];
  let databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL;
  try {
    if (databaseUrl) {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect().catch((e: Error) => {
        throw new SyncError(
          'PG_CONNECTION_FAILED',
          `Cannot connect to DATABASE_URL ${redactUrl(databaseUrl!)}: ${e.message}`,
        );
      });
      try {
        await assertReplicationReady(client);
      } finally {
        await client.end();
      }
      status('postgres', `external ${redactUrl(databaseUrl)}`);
    } else {
      const port = options.pgPort ?? Number(process.env.SYNCLINE_PG_PORT ?? 54320);
      const started = Date.now();
      const embedded = await startEmbeddedPostgres({
        dataDir: resolve(dataDir, 'postgres'),
        port,
        database,
        logger: log,
      });
      stops.push(() => embedded.stop());
      databaseUrl = embedded.url;
      status(
        'postgres',
        `embedded, ${redactUrl(embedded.url)} (data ${embedded.dataDir}, ${Date.now() - started} ms)`,
      );
    }
    const applied = await applySchema(databaseUrl, options.config.schema, { logger: log });
    status(
      'schema',
      applied.statements.length ? `applied ${applied.statements.length} statement(s)` : 'up to date',
    );
  } catch (e) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    throw e;
  }
  return {
    databaseUrl,
    async stop() {
      for (const stop of stops.reverse()) await stop().catch((e) => log.warn('stop failed', { error: e }));
    },
  };
}

function status(part: string, text: string): void {
  process.stdout.write(`  ✓ ${part.padEnd(12)} ${text}\n`);
}
