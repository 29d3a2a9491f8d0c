/** Benchmark 1 (+6): initial sync of N rows to a fresh client, vs the client's own ingest limit; server RSS. */
import type { TestDevice } from '@syncline/test-utils';
import { freshDevice } from './device.js';
import { type BenchEnv, seedDocuments, startSyncProcess, stats } from './env.js';
import { startFeed } from './feed.js';
import type { Result } from './report.js';

async function timeFirstSync(d: TestDevice): Promise<number> {
  const t0 = performance.now();
  await d.connect();
  await d.db.waitForFirstSync();
  const ms = performance.now() - t0;
  if (d.checksumFailures().length) throw new Error(`checksum failures: ${d.checksumFailures()[0]}`);
  return ms;
}

export async function initialSync(
  env: BenchEnv,
  opts: { rows: number; runs: number; log: (s: string) => void },
): Promise<Result[]> {
  const user = 'initial-sync-user';
  opts.log(`seeding ${opts.rows} rows…`);
  await seedDocuments(env.pool, user, opts.rows, 'is-');
  const results: Result[] = [];
  const token = () => env.jwks.sign(user);
  const count = async (d: TestDevice) =>
    Number((await d.all<{ n: number }>('SELECT count(*) AS n FROM documents'))[0]!.n);
  const runAgainst = async (label: string, url: string, onRun?: () => () => void) => {
    const times: number[] = [];
    for (let i = 0; i < opts.runs; i++) {
      const d = await freshDevice(`is-${label}-${i}`, url, token);
      const stop = onRun?.();
      const ms = await timeFirstSync(d);
      stop?.();
      if ((await count(d)) !== opts.rows)
        throw new Error(`${label}: expected ${opts.rows} rows, got ${await count(d)}`);
      times.push(ms);
      opts.log(`  ${label} run ${i + 1}: ${ms.toFixed(0)} ms`);
      await d.close();
    }
    return times;
  };

  // Forced gzip, for comparison (the default, 'auto', sends identity to loopback clients like this one).
  const zipped = await startSyncProcess(env, { compression: true });
  const oursGzip = await runAgainst('ours-gzip', zipped.url);
  await zipped.stop();

  const server = await startSyncProcess(env);
  await new Promise((r) => setTimeout(r, 1500));
  const idleRss = await server.rss();
  let peak = idleRss;
  const ours = await runAgainst('ours', server.url, () => {
    const sampler = setInterval(() => {
      void server.rss().then((r) => {
        if (r > peak) peak = r;
      });
    }, 25);
    return () => clearInterval(sampler);
  });
  const afterRss = await server.rss();
  const { rows: b } = await env.pool.query(`SELECT bucket FROM syncline.bucket_state WHERE bucket LIKE $1`, [
    `%${user}%`,
  ]);
  const feed = await startFeed(env.pool, b[0]!.bucket);
  const base = await runAgainst('feed', feed.url);
  await feed.stop();
  await server.stop();
  const o = stats(ours).p50;
  const og = stats(oursGzip).p50;
  const f = stats(base).p50;
  results.push({
    id: 'initial-sync',
    name: `Initial sync, ${opts.rows.toLocaleString('en')} rows → fresh client`,
    value: o / 1000,
    unit: 's',
    baseline: f / 1000,
    baselineName: 'client ingest limit (same lines from an in-memory feed)',
    ratio: o / f,
    target: '≤ 1.3',
    detail: `median of ${opts.runs}; ${(opts.rows / (o / 1000)).toFixed(0)} rows/s (feed ${(opts.rows / (f / 1000)).toFixed(0)}); forced gzip ${(og / 1000).toFixed(2)} s (${(og / f).toFixed(2)}×); ${(feed.bytes / 1e6).toFixed(1)} MB of sync lines`,
    method:
      'connect() → waitForFirstSync() with @powersync/node 1.1.0, fresh SQLite per run; sync server in its own process',
  });
  results.push({
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
  });
  return results;
}
