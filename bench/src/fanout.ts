/**
 * Benchmark 5: fan-out and connections.
 * - K concurrent idle sync streams: server RSS per stream (baseline: the idle server).
 * - one transaction touching 50 users → all 50 clients updated (baseline: one user, one insert).
 * - one change → 1 000 streams of one shared bucket (baseline: the same change to a single stream).
 */
import { startBareServer } from './bare-http.js';
import { type BenchEnv, startSyncProcess, stats } from './env.js';
import { openRawStream, type RawStream } from './raw-stream.js';
import type { Result } from './report.js';

async function openMany(url: string, tokens: string[], n: number, prefix: string): Promise<RawStream[]> {
  const out: RawStream[] = [];
  const batch = 200;
  for (let i = 0; i < n; i += batch) {
    const part = Array.from({ length: Math.min(batch, n - i) }, (_, k) =>
      openRawStream(url, tokens[(i + k) % tokens.length]!, `${prefix}-${i + k}`),
    );
    await Promise.all(part.map((s) => s.ready));
    out.push(...part);
  }
  return out;
}

/** Resolves with the time the stream receives a data op for row `id`. */
function seen(s: RawStream, id: string): Promise<number> {
  return new Promise((resolve) => {
    s.onLine = (l) => {
      if (l.data?.data?.some((o: { object_id?: string }) => o.object_id === id)) {
        s.onLine = null;
        resolve(performance.now());
      }
    };
  });
}

export async function fanout(
  env: BenchEnv,
  opts: {
    idle: number[];
    sharedStreams: number;
    users: number;
    /** Wait before reading RSS (full runs: 16 s, past the CLI's 10 s idle trim). */
    settleMs: number;
    log: (s: string) => void;
  },
): Promise<Result[]> {
  const results: Result[] = [];
  const server = await startSyncProcess(env, { fdLimit: 65_536 });
  try {
    // Idle connections.
    const tokens = await Promise.all(Array.from({ length: 100 }, (_, i) => env.jwks.sign(`idle-user-${i}`)));
    // Steady state: the CLI trims memory once it has been quiet for 10 s (idle-trim.ts), so both the idle
    // figure and each K's figure are read after that, not in the middle of the GC cycle the burst started.
    const settle = () => new Promise((r) => setTimeout(r, opts.settleMs));
    await settle();
    const base = await server.rss();
    const perStream: string[] = [];
    let last = { k: 0, bytes: 0 };
    for (const k of opts.idle) {
      const started = performance.now();
      let streams: RawStream[];
      try {
        streams = await openMany(server.url, tokens, k, `idle${k}`);
      } catch (e) {
        opts.log(`  ${k} idle streams: could not open (${(e as Error).message})`);
        break;
      }
      const openMs = performance.now() - started;
      await settle();
      const rss = await server.rss();
      const each = (rss - base) / k;
      perStream.push(
        `${k}: ${(each / 1024).toFixed(1)} KB/stream (RSS ${(rss / 1e6).toFixed(0)} MB, opened in ${(openMs / 1000).toFixed(1)} s)`,
      );
      opts.log(
        `  ${k} idle streams: RSS ${(rss / 1e6).toFixed(0)} MB → ${(each / 1024).toFixed(1)} KB per stream`,
      );
      last = { k, bytes: each };
      for (const s of streams) s.close();
      await new Promise((r) => setTimeout(r, 1000));
    }
    // Baseline: the same number of idle streaming connections held by a bare Node HTTP server.
    const bare = await startBareServer(65_536);
    await new Promise((r) => setTimeout(r, 500));
    const bareBase = await bare.rss();
    const bareStreams = await openMany(bare.url, tokens, last.k, 'bare');
    await new Promise((r) => setTimeout(r, 1500));
    const bareEach = ((await bare.rss()) - bareBase) / last.k;
    for (const s of bareStreams) s.close();
    await bare.stop();
    opts.log(`  bare Node HTTP server: ${(bareEach / 1024).toFixed(1)} KB per idle connection`);
    results.push({
      id: 'connections',
      name: `Idle sync streams: server memory per stream (${last.k.toLocaleString('en')} streams)`,
      value: last.bytes / 1024,
      unit: 'KB',
      baseline: bareEach / 1024,
      baselineName: 'a bare Node HTTP server holding the same idle connections',
      ratio: last.bytes / bareEach,
      detail: `${perStream.join('; ')}; sync server idle RSS without streams ${(base / 1e6).toFixed(0)} MB`,
      method: `raw HTTP streams (100 users round-robin) each past its first checkpoint_complete, held idle ${opts.settleMs / 1000} s (past the CLI's idle trim when ≥ 12 s); (RSS − idle RSS, also read ${opts.settleMs / 1000} s after start) / K`,
    });

    // One transaction touching N users.
    const users = Array.from({ length: opts.users }, (_, i) => `fan-user-${i}`);
    const userStreams = await openMany(
      server.url,
      await Promise.all(users.map((u) => env.jwks.sign(u))),
      users.length,
      'fan',
    );
    // Warm up (first replicated change of the process: relation metadata, JIT), then several rounds.
    const round = async (tag: string) => {
      const waits = userStreams.map((s, i) => seen(s, `${tag}-${i}`));
      const t0 = performance.now();
      await env.pool.query('BEGIN');
      await env.pool.query(
        `INSERT INTO documents (id, title, content, owner_id, device_id) SELECT $2 || '-' || g, 't', 'c', 'fan-user-' || g, 'b' FROM generate_series(0, $1::int - 1) g`,
        [users.length, tag],
      );
      await env.pool.query('COMMIT');
      return (await Promise.all(waits)).map((t) => t - t0);
    };
    await round('fan-warmup');
    const deliveries: number[] = [];
    for (let r = 0; r < 10; r++) {
      deliveries.push(...(await round(`fan-row-r${r}`)));
      await new Promise((res) => setTimeout(res, 20));
    }
    const fan = stats(deliveries);
    const single: number[] = [];
    for (let i = 0; i < 20; i++) {
      const w = seen(userStreams[0]!, `single-${i}`);
      const s = performance.now();
      await env.pool.query(
        `INSERT INTO documents (id, title, content, owner_id, device_id) VALUES ($1, 't', 'c', 'fan-user-0', 'b')`,
        [`single-${i}`],
      );
      single.push((await w) - s);
      await new Promise((r) => setTimeout(r, 10));
    }
    const one = stats(single);
    for (const s of userStreams) s.close();
    opts.log(
      `  ${users.length} users in one transaction: p50 ${fan.p50.toFixed(1)} / p99 ${fan.p99.toFixed(1)} ms (single user p50 ${one.p50.toFixed(1)} ms)`,
    );
    results.push({
      id: 'fanout-users',
      name: `One transaction touching ${users.length} users → all ${users.length} clients updated (p99)`,
      value: fan.p99,
      unit: 'ms',
      baseline: one.p50,
      baselineName: 'one insert → its one client (p50)',
      ratio: fan.p99 / one.p50,
      detail: `p50 ${fan.p50.toFixed(1)} / p99 ${fan.p99.toFixed(1)} ms over 10 transactions × ${users.length} clients after a warm-up; single-user p50 ${one.p50.toFixed(1)} / p99 ${one.p99.toFixed(1)} ms`,
      method: 'timer from BEGIN to each stream receiving the data line with its row (raw HTTP streams)',
    });

    // One change → many streams of one shared bucket.
    const sharedToken = await env.jwks.sign('shared-user');
    const shared = await openMany(server.url, [sharedToken], opts.sharedStreams, 'shared');
    const sharedDeliveries: number[] = [];
    for (let r = 0; r < 5; r++) {
      const id = `shared-row-${r}`;
      const sharedWaits = shared.map((s) => seen(s, id));
      const t1 = performance.now();
      await env.pool.query(
        `INSERT INTO documents (id, title, content, owner_id, device_id) VALUES ($1, 't', 'c', 'shared-user', 'b')`,
        [id],
      );
      sharedDeliveries.push(...(await Promise.all(sharedWaits)).map((t) => t - t1));
      await new Promise((res) => setTimeout(res, 50));
    }
    const many = stats(sharedDeliveries);
    for (const s of shared) s.close();
    opts.log(
      `  1 change → ${opts.sharedStreams} streams: p50 ${many.p50.toFixed(1)} / p99 ${many.p99.toFixed(1)} ms`,
    );
    results.push({
      id: 'fanout-shared',
      name: `One change → ${opts.sharedStreams.toLocaleString('en')} streams of one shared bucket (p99)`,
      value: many.p99,
      unit: 'ms',
      baseline: one.p50,
      baselineName: 'one insert → its one client (p50)',
      ratio: many.p99 / one.p50,
      detail: `p50 ${many.p50.toFixed(1)} / p99 ${many.p99.toFixed(1)} / max ${many.max.toFixed(1)} ms over 5 changes × ${opts.sharedStreams} streams`,
      method: 'timer from the INSERT to each stream receiving the data line (raw HTTP streams, one user)',
    });
  } finally {
    await server.stop();
  }
  return results;
}
