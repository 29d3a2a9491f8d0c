/**
 * Shared benchmark environment: embedded Postgres with the test schema (`@syncline/test-utils/schema`), a JWKS
 * signer, and the sync server as its own process (`@syncline/test-utils/stack`'s process mode).
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@syncline/postgres';
import { startEmbeddedPostgres } from '@syncline/postgres/embedded';
import { applySchema } from '@syncline/postgres/migrate';
import { toSyncRules } from '@syncline/schema';
import { startTestJwks, type TestJwks } from '@syncline/test-utils';
import { testSchema as schema } from '@syncline/test-utils/schema';
import { cpuOf, rssOf, startTestSync } from '@syncline/test-utils/stack';
import pg from 'pg';

export { cpuOf, rssOf } from '@syncline/test-utils/stack';

export interface BenchEnv {
  dir: string;
  url: string;
  /** Bucket storage in its own database of the same cluster (`SYNCLINE_BENCH_STORAGE=separate`), else undefined (same database). */
  storageUrl: string | undefined;
  pool: pg.Pool;
  jwks: TestJwks;
  stop(): Promise<void>;
}

/** Whether the bench's Postgres tracks statements (`SYNCLINE_BENCH_PG_STATS=1`); see {@link topStatements}. */
export const pgStats = process.env.SYNCLINE_BENCH_PG_STATS === '1';

/**
 * With `SYNCLINE_BENCH_PG_STATS=1`: the statements that took most execution time since the last reset, as
 * lines (calls, total and mean ms, rows, the start of the text); then resets the counters. Empty otherwise.
 */
export async function topStatements(pool: pg.Pool, limit = 8): Promise<string[]> {
  if (!pgStats) return [];
  const { rows } = await pool.query(
    `SELECT calls, total_exec_time AS total, mean_exec_time AS mean, total_plan_time AS plan, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 140) AS q
       FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT $1`,
    [limit],
  );
  await pool.query('SELECT pg_stat_statements_reset()');
  return rows.map(
    (r) =>
      `${String(r.calls).padStart(6)} calls ${r.total.toFixed(0).padStart(6)} ms (mean ${r.mean.toFixed(2)}, plan ${r.plan.toFixed(0)} ms) ${String(r.rows).padStart(7)} rows  ${r.q}`,
  );
}

/** Starts an embedded Postgres (durable defaults: fsync on) with the test schema applied. */
export async function startEnv(): Promise<BenchEnv> {
  const dir = await mkdtemp(join(tmpdir(), 'syncline-bench-'));
  await chmod(dir, 0o755);
  const pgHandle = await startEmbeddedPostgres({
    dataDir: join(dir, 'pg'),
    port: await freePort(),
    ephemeral: true,
    database: 'bench',
    settings: {
      max_connections: '400',
      shared_buffers: '256MB',
      // SYNCLINE_BENCH_PG_STATS=1: pg_stat_statements, for benchmarks that report where Postgres spends time.
      ...(pgStats
        ? { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'all' }
        : {}),
    },
    logger: {
      debug() {},
      info() {},
      warn() {},
      error: console.error,
      child: () => ({}) as never,
      level: 'warn',
    } as never,
  });
  if (pgStats) {
    const c = new pg.Client({ connectionString: pgHandle.url });
    await c.connect();
    await c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await c.end();
  }
  await applySchema(pgHandle.url, schema, {
    logger: {
      debug() {},
      info() {},
      warn() {},
      error() {},
      child: () => ({}) as never,
      level: 'warn',
    } as never,
  });
  const pool = new pg.Pool({ connectionString: pgHandle.url, max: 8, application_name: 'bench' });
  let storageUrl: string | undefined;
  if (process.env.SYNCLINE_BENCH_STORAGE === 'separate') {
    await pool.query('CREATE DATABASE bench_storage');
    const u = new URL(pgHandle.url);
    u.pathname = '/bench_storage';
    storageUrl = u.toString();
  }
  // An idle connection closed by Postgres shutting down (the last step of every run) must not crash the bench.
  pool.on('error', () => undefined);
  const jwks = await startTestJwks('syncline-bench');
  return {
    dir,
    url: pgHandle.url,
    storageUrl,
    pool,
    jwks,
    async stop() {
      await pool.end();
      await jwks.stop();
      await pgHandle.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface SyncProcess {
  url: string;
  pid: number;
  /** Resident set size of the server process, bytes. */
  rss(): Promise<number>;
  /** CPU time (user + system) the server process has used so far, ms. */
  cpu(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Starts Syncline's sync server as a separate process (the CLI, with a powersync.yaml);
 * `SYNCLINE_BENCH_SYNC_BIN` runs another build (e.g. a saved bundle, for A/B runs) and
 * `SYNCLINE_BENCH_NODE_FLAGS` adds Node flags.
 */
export async function startSyncProcess(
  env: BenchEnv,
  options: { compression?: boolean; extraArgs?: string[]; fdLimit?: number; storageUrl?: string } = {},
): Promise<SyncProcess> {
  const sync = await startTestSync({
    mode: 'process',
    databaseUrl: env.url,
    syncRules: toSyncRules(schema),
    auth: { jwksUri: env.jwks.url, audience: env.jwks.audience },
    port: await freePort(),
    ...(process.env.SYNCLINE_BENCH_SYNC_BIN ? { bin: process.env.SYNCLINE_BENCH_SYNC_BIN } : {}),
    nodeFlags: process.env.SYNCLINE_BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [],
    args: [
      ...(options.compression === false
        ? ['--no-compression']
        : options.compression === true
          ? ['--gzip']
          : []),
      ...(options.extraArgs ?? []),
    ],
    ...(options.fdLimit ? { fdLimit: options.fdLimit } : {}),
    ...((options.storageUrl ?? env.storageUrl) ? { storageUrl: options.storageUrl ?? env.storageUrl } : {}),
  });
  const pid = sync.pid as number;
  return {
    url: sync.url,
    pid,
    rss: () => rssOf(pid),
    cpu: () => cpuOf(pid),
    stop: () => sync.stop(),
  };
}

/** Median and percentiles of a sample. */
export function stats(values: number[]): {
  p50: number;
  p95: number;
  p99: number;
  p999: number;
  min: number;
  max: number;
  n: number;
} {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))]!;
  return {
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    p999: at(0.999),
    min: s[0]!,
    max: s.at(-1)!,
    n: s.length,
  };
}

/** Inserts `count` documents of about 200 bytes each for `owner`. */
export async function seedDocuments(
  pool: pg.Pool,
  owner: string,
  count: number,
  prefix = 'doc-',
): Promise<void> {
  for (let from = 1; from <= count; from += 20_000) {
    const to = Math.min(count, from + 19_999);
    await pool.query(
      `INSERT INTO documents (id, title, content, owner_id, project_id, device_id)
       SELECT $1 || g, 'Document ' || g, substr(md5(g::text) || md5((g * 7)::text) || md5((g * 13)::text), 1, 90), $2, 'project-1', 'bench'
         FROM generate_series($3::int, $4::int) g`,
      [prefix, owner, from, to],
    );
  }
}
