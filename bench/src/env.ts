/** Shared benchmark environment: embedded Postgres, a JWKS signer, and the sync server as its own process. */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { schema } from '@syncline/example-notes/schema';
import { freePort } from '@syncline/postgres';
import { startEmbeddedPostgres } from '@syncline/postgres/embedded';
import { applySchema } from '@syncline/postgres/migrate';
import { toSyncRules } from '@syncline/schema';
import { startTestJwks, type TestJwks } from '@syncline/test-utils';
import pg from 'pg';

/** The sync server CLI; `SYNCLINE_BENCH_SYNC_BIN` runs another build (e.g. a saved bundle, for A/B runs). */
const syncBin =
  process.env.SYNCLINE_BENCH_SYNC_BIN ??
  fileURLToPath(new URL('../../packages/sync-server/bin/syncline-sync-server.mjs', import.meta.url));

export interface BenchEnv {
  dir: string;
  url: string;
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

/** Starts an embedded Postgres (durable defaults: fsync on) with the notes schema applied. */
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
  // An idle connection closed by Postgres shutting down (the last step of every run) must not crash the bench.
  pool.on('error', () => undefined);
  const jwks = await startTestJwks('syncline-bench');
  return {
    dir,
    url: pgHandle.url,
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

/** Starts Syncline's sync server as a separate process (the CLI, with a powersync.yaml). */
export async function startSyncProcess(
  env: BenchEnv,
  options: { compression?: boolean; extraArgs?: string[]; fdLimit?: number; storageUrl?: string } = {},
): Promise<SyncProcess> {
  const port = await freePort();
  const cfgDir = await mkdtemp(join(env.dir, 'sync-'));
  await writeFile(join(cfgDir, 'sync_rules.yaml'), toSyncRules(schema));
  await writeFile(
    join(cfgDir, 'powersync.yaml'),
    `replication:\n  connections:\n    - type: postgresql\n      uri: ${env.url}\n${options.storageUrl ? `storage:\n  type: postgresql\n  uri: ${options.storageUrl}\n` : ''}client_auth:\n  jwks_uri: ${env.jwks.url}\n  audience: [${env.jwks.audience}]\nport: ${port}\nsync_rules:\n  path: sync_rules.yaml\n`,
  );
  const args = [
    ...(process.env.SYNCLINE_BENCH_NODE_FLAGS ? process.env.SYNCLINE_BENCH_NODE_FLAGS.split(' ') : []),
    syncBin,
    '--config',
    join(cfgDir, 'powersync.yaml'),
    ...(options.compression === false
      ? ['--no-compression']
      : options.compression === true
        ? ['--gzip']
        : []),
    ...(options.extraArgs ?? []),
  ];
  // Raising the file-descriptor limit needs a shell (`ulimit`); as root the hard limit can be raised too.
  const command = options.fdLimit
    ? [
        'sh',
        [
          '-c',
          `ulimit -Hn ${options.fdLimit} 2>/dev/null; ulimit -n ${options.fdLimit} 2>/dev/null || ulimit -n $(ulimit -Hn); exec "$0" "$@"`,
          process.execPath,
          ...args,
        ],
      ]
    : [process.execPath, args];
  const child: ChildProcess = spawn(command[0] as string, command[1] as string[], {
    env: { ...process.env, SYNCLINE_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d) => {
    err += d;
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      if (String(d).includes('sync server ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`sync server exited ${code}: ${err}`)));
  });
  const pid = child.pid!;
  return {
    url: `http://127.0.0.1:${port}`,
    pid,
    rss: () => rssOf(pid),
    cpu: () => cpuOf(pid),
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** RSS of a process from /proc (bytes). */
export async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb * 1024;
}

/** CPU time (user + system) of a process from /proc, ms (clock ticks of 10 ms, Linux's USER_HZ). */
export async function cpuOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
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
