/**
 * Benchmark 1 (+6): initial sync of N rows to a fresh client, per transport, each against the client's own
 * ingest limit for that transport (the same lines from an in-memory feed, `feed.ts`); server RSS.
 * - `initial-sync`: NDJSON over HTTP (server started with `--no-bson`) vs an NDJSON feed, plus forced gzip.
 * - `initial-sync-bson`: BSON over HTTP (what the official clients negotiate) vs a BSON feed.
 * - `initial-sync-websocket`: RSocket over WebSocket vs an RSocket feed of the same BSON documents.
 */
import type { TestDevice } from '@syncline/test-utils';
import { freshDevice } from './device.js';
import { type BenchEnv, type SyncProcess, seedDocuments, startSyncProcess, stats } from './env.js';
import { type FeedKind, startFeed } from './feed.js';
import type { Result } from './report.js';

/** Which transport a benchmark row measures. */
export type InitialSyncKind = 'ndjson' | 'bson' | 'websocket';

const ROW: Record<
  InitialSyncKind,
  { id: string; label: string; feed: FeedKind; method: 'http' | 'web-socket' }
> = {
  ndjson: { id: 'initial-sync', label: 'NDJSON over HTTP', feed: 'ndjson', method: 'http' },
  bson: { id: 'initial-sync-bson', label: 'BSON over HTTP', feed: 'bson', method: 'http' },
  websocket: {
    id: 'initial-sync-websocket',
    label: 'RSocket over WebSocket',
    feed: 'rsocket',
    method: 'web-socket',
  },
};

interface Options {
  rows: number;
  runs: number;
  log: (s: string) => void;
}

/** Times one fresh client syncing `rows` documents from `url` (run `i` of `label`). */
async function timeRun(
  label: string,
  i: number,
  url: string,
  user: () => Promise<string>,
  o: Options & { method: 'http' | 'web-socket' },
  onRun?: () => () => void,
): Promise<number> {
  const count = async (d: TestDevice) =>
    Number((await d.all<{ n: number }>('SELECT count(*) AS n FROM documents'))[0]!.n);
  const d = await freshDevice(`is-${label}-${i}`, url, user, undefined, o.method);
  const stop = onRun?.();
  const t0 = performance.now();
  await d.connect();
  await d.db.waitForFirstSync();
  const ms = performance.now() - t0;
  stop?.();
  if (d.checksumFailures().length) throw new Error(`checksum failures: ${d.checksumFailures()[0]}`);
  if ((await count(d)) !== o.rows)
    throw new Error(`${label}: expected ${o.rows} rows, got ${await count(d)}`);
  o.log(`  ${label} run ${i + 1}: ${ms.toFixed(0)} ms`);
  await d.close();
  return ms;
}

/** `runs` runs against `url`. */
async function timeRuns(
  label: string,
  url: string,
  user: () => Promise<string>,
  o: Options & { method: 'http' | 'web-socket' },
): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < o.runs; i++) times.push(await timeRun(label, i, url, user, o));
  return times;
}

/** Row shapes: `narrow` documents of ≈ 200 bytes (`seedDocuments`), `wide` documents of ≈ 1 KB. */
export type RowShape = 'narrow' | 'wide';

/** Seeds the rows for one benchmark row (its own user, so rows can run in any combination). */
async function seed(env: BenchEnv, kind: InitialSyncKind, o: Options, shape: RowShape = 'narrow') {
  const user = `initial-sync-${kind}${shape === 'wide' ? '-wide' : ''}`;
  o.log(`seeding ${o.rows} ${shape} rows…`);
  if (shape === 'narrow') await seedDocuments(env.pool, user, o.rows, `is-${kind}-`);
  else {
    for (let from = 1; from <= o.rows; from += 10_000) {
      await env.pool.query(
        `INSERT INTO documents (id, title, content, owner_id, project_id, device_id)
         SELECT $1 || g, 'Wide document ' || g, repeat(md5(g::text) || md5((g * 7)::text), 15) || g, $2, 'project-1', 'bench'
           FROM generate_series($3::int, $4::int) g`,
        [`is-${kind}-wide-`, user, from, Math.min(o.rows, from + 9_999)],
      );
    }
  }
  return { user, token: () => env.jwks.sign(user) };
}

/** The user's bucket, once the running server has replicated all `rows` of it into storage. */
async function replicatedBucket(env: BenchEnv, user: string, rows: number): Promise<string> {
  for (const deadline = Date.now() + 300_000; Date.now() < deadline; ) {
    const { rows: b } = await env.pool.query<{ bucket: string; n: string }>(
      `SELECT bucket, live_count AS n FROM syncline.bucket_state WHERE bucket LIKE $1`,
      [`%"${user}"%`],
    );
    if (b[0] && Number(b[0].n) >= rows) return b[0].bucket;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the sync server did not replicate ${rows} rows of ${user} within 5 min`);
}

/** One transport's initial-sync row: Syncline vs the same lines from an in-memory feed, median of runs. */
async function measure(
  env: BenchEnv,
  kind: InitialSyncKind,
  o: Options,
  server: SyncProcess,
  user: string,
  token: () => Promise<string>,
  onRun?: () => () => void,
  shape: RowShape = 'narrow',
): Promise<Result> {
  const row = ROW[kind];
  const wide = shape === 'wide';
  const bucket = await replicatedBucket(env, user, o.rows);
  const feed = await startFeed(env.pool, bucket, row.feed);
  // Runs alternate so load on a shared machine hits both alike, and the order within a pair alternates too
  // (the one that runs second finds the client's code and the machine's caches warmer). With more than one
  // run, one unrecorded warm-up of each comes first: the first sync of a process pays for JIT and cold
  // caches on both sides (measured: first pairs 1.28–1.45, later ones 0.96–1.28).
  const ours: number[] = [];
  const base: number[] = [];
  let serverCpu = 0;
  const ro = { ...o, method: row.method };
  if (o.runs > 1) {
    await timeRun(`warmup-ours-${kind}`, 0, server.url, token, ro, onRun);
    await timeRun(`warmup-feed-${kind}`, 0, feed.url, token, ro);
  }
  const runOurs = async (i: number) => {
    const cpu0 = await server.cpu();
    ours.push(await timeRun(`ours-${kind}`, i, server.url, token, ro, onRun));
    serverCpu += ((await server.cpu()) - cpu0) / o.runs;
  };
  const runFeed = async (i: number) => {
    base.push(await timeRun(`feed-${kind}`, i, feed.url, token, ro));
  };
  for (let i = 0; i < o.runs; i++) {
    if (i % 2 === 0) {
      await runOurs(i);
      await runFeed(i);
    } else {
      await runFeed(i);
      await runOurs(i);
    }
  }
  await feed.stop();
  const v = stats(ours).p50;
  const f = stats(base).p50;
  // Each Syncline run is paired with the feed run right after it; the median of the pairs' ratios is
  // robust to load that changes between pairs.
  const ratio = stats(ours.map((ms, i) => ms / base[i]!)).p50;
  return {
    id: wide ? `${row.id}-wide` : row.id,
    name: `Initial sync, ${o.rows.toLocaleString('en')} ${wide ? 'wide (≈ 1 KB)' : 'narrow (≈ 200 B)'} rows → fresh client (${row.label})`,
    value: v / 1000,
    unit: 's',
    baseline: f / 1000,
    baselineName: `client ingest limit (same lines from an in-memory ${row.feed === 'rsocket' ? 'RSocket/BSON' : row.feed.toUpperCase()} feed)`,
    ratio,
    target: '≤ 1.15',
    detail: `median of ${o.runs}${o.runs > 1 ? ' after a warm-up of each' : ''}, alternating (ratio = median of per-pair ratios); ${(o.rows / (v / 1000)).toFixed(0)} rows/s (feed ${(o.rows / (f / 1000)).toFixed(0)}); server CPU ${serverCpu.toFixed(0)} ms per sync; ${(feed.bytes / 1e6).toFixed(1)} MB of sync lines`,
    method: `connect({ connectionMethod: '${row.method}' }) → waitForFirstSync() with @powersync/node 1.1.0, fresh SQLite per run; sync server in its own process`,
  };
}

/** NDJSON over HTTP (+ forced gzip) and the server's memory. */
export async function initialSync(env: BenchEnv, o: Options): Promise<Result[]> {
  const { user, token } = await seed(env, 'ndjson', o);
  // Forced gzip, for comparison (the default, 'auto', sends identity to loopback clients like this one).
  const zipped = await startSyncProcess(env, { compression: true, extraArgs: ['--no-bson'] });
  const gzip = stats(await timeRuns('ours-gzip', zipped.url, token, { ...o, method: 'http' })).p50;
  await zipped.stop();

  const server = await startSyncProcess(env, { extraArgs: ['--no-bson'] });
  await new Promise((r) => setTimeout(r, 1500));
  const idleRss = await server.rss();
  let peak = idleRss;
  const result = await measure(env, 'ndjson', o, server, user, token, () => {
    const sampler = setInterval(() => {
      void server.rss().then((r) => {
        if (r > peak) peak = r;
      });
    }, 25);
    return () => clearInterval(sampler);
  });
  const afterRss = await server.rss();
  await server.stop();
  const feedMs = (result.baseline ?? 0) * 1000;
  result.detail += `; forced gzip ${(gzip / 1000).toFixed(2)} s (${(gzip / feedMs).toFixed(2)}×)`;
  return [
    result,
    {
      id: 'memory',
      name: 'Sync server RSS: idle / peak during initial sync',
      value: idleRss / 1e6,
      unit: 'MB',
      baseline: peak / 1e6,
      baselineName: 'peak during initial sync',
      ratio: peak / idleRss,
      target: 'idle ≤ 80 MB',
      detail: `idle ${(idleRss / 1e6).toFixed(1)} MB after start, peak ${(peak / 1e6).toFixed(1)} MB, after ${(afterRss / 1e6).toFixed(1)} MB (/proc VmRSS, sampled every 25 ms)`,
      method: 'RSS of the sync server process (CLI), idle 1.5 s after start with the data replicated',
    },
  ];
}

/** Wide rows (≈ 1 KB each) over BSON/HTTP (what the official clients negotiate), against its own feed. */
export async function initialSyncWide(env: BenchEnv, o: Options): Promise<Result[]> {
  const { user, token } = await seed(env, 'bson', o, 'wide');
  const server = await startSyncProcess(env);
  try {
    return [await measure(env, 'bson', o, server, user, token, undefined, 'wide')];
  } finally {
    await server.stop();
  }
}

/** BSON over HTTP or RSocket over WebSocket, each against its own feed. */
export async function initialSyncOver(
  env: BenchEnv,
  kind: 'bson' | 'websocket',
  o: Options,
): Promise<Result[]> {
  const { user, token } = await seed(env, kind, o);
  const server = await startSyncProcess(env);
  try {
    return [await measure(env, kind, o, server, user, token)];
  } finally {
    await server.stop();
  }
}
