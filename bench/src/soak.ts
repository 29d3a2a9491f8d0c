/**
 * Benchmark 7: sync server memory under a long mixed workload (full runs only).
 * A few official clients stay connected while small transactions of inserts, updates and deletes run
 * against their users' rows and raw streams connect and disconnect; the server's RSS is sampled every
 * second. Reports start / end / max, the least-squares slope (flat = no growth beyond noise), and the RSS
 * once the workload stopped (idle after a workload), against the server's idle RSS after start.
 */
import { freshDevice } from './device.js';
import { type BenchEnv, startSyncProcess } from './env.js';
import { openRawStream, type RawStream } from './raw-stream.js';
import type { Result } from './report.js';

/** Least-squares slope of `ys` sampled every `stepS` seconds, per minute. */
function slopePerMinute(ys: number[], stepS: number): number {
  const n = ys.length;
  if (n < 2) return 0;
  const mx = ((n - 1) * stepS) / 2;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (i * stepS - mx) * (ys[i]! - my);
    den += (i * stepS - mx) ** 2;
  }
  return (num / den) * 60;
}

/** A small deterministic PRNG (mulberry32), so every run does the same work. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function soak(
  env: BenchEnv,
  opts: { seconds: number; clients: number; log: (s: string) => void },
): Promise<Result[]> {
  const MB = (b: number) => b / 1e6;
  const server = await startSyncProcess(env);
  const users = Array.from({ length: opts.clients }, (_, i) => `soak-user-${i}`);
  const devices = await Promise.all(
    users.map((u, i) => freshDevice(`soak-${i}`, server.url, () => env.jwks.sign(u))),
  );
  try {
    await Promise.all(devices.map((d) => d.connect()));
    await Promise.all(devices.map((d) => d.db.waitForFirstSync()));
    await new Promise((r) => setTimeout(r, 2000));
    const idle = await server.rss();
    const tokens = await Promise.all(users.map((u) => env.jwks.sign(u)));
    const random = rng(14);
    const samples: number[] = [];
    let stop = false;
    let txs = 0;
    let ops = 0;
    let reconnects = 0;
    const live: string[][] = users.map(() => []);
    let nextId = 0;

    const sampler = setInterval(() => {
      void server.rss().then((r) => samples.push(r));
    }, 1000);

    // Writers: one transaction every ~20 ms, each 1–20 inserts, updates and deletes on one user's rows.
    const writer = (async () => {
      while (!stop) {
        const u = Math.floor(random() * users.length);
        const rows = live[u]!;
        const n = 1 + Math.floor(random() * 20);
        const client = await env.pool.connect();
        try {
          await client.query('BEGIN');
          for (let k = 0; k < n; k++) {
            const pick = random();
            // Rows per user stay between 50 and 2 000, so storage (and compaction) reach a steady state.
            if ((pick < 0.45 && rows.length < 2000) || rows.length < 50) {
              const id = `soak-${nextId++}`;
              await client.query(
                `INSERT INTO documents (id, title, content, owner_id, device_id) VALUES ($1, $2, repeat(md5($1), 3), $3, 'soak')`,
                [id, `t${id}`, users[u]],
              );
              rows.push(id);
            } else if (pick < 0.8 && rows.length < 2000) {
              const id = rows[Math.floor(random() * rows.length)]!;
              await client.query(`UPDATE documents SET title = $2, updated_at = now() WHERE id = $1`, [
                id,
                `u${nextId++}`,
              ]);
            } else {
              const [id] = rows.splice(Math.floor(random() * rows.length), 1);
              await client.query(`DELETE FROM documents WHERE id = $1`, [id]);
            }
            ops++;
          }
          await client.query('COMMIT');
          txs++;
        } finally {
          client.release();
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    })();

    // Connection churn: raw streams for the same users come and go.
    const churn = (async () => {
      let streams: RawStream[] = [];
      while (!stop) {
        streams = users.flatMap((_, u) =>
          Array.from({ length: 5 }, (_, k) => openRawStream(server.url, tokens[u]!, `soak-raw-${u}-${k}`)),
        );
        // A stream that never gets its first checkpoint (lost connection) must not stall the loop.
        await Promise.race([
          Promise.all(streams.map((s) => s.ready.catch(() => undefined))),
          new Promise((r) => setTimeout(r, 30_000)),
        ]);
        reconnects += streams.length;
        await new Promise((r) => setTimeout(r, 5000));
        for (const s of streams) s.close();
      }
      for (const s of streams) s.close();
    })();

    const started = Date.now();
    while (Date.now() - started < opts.seconds * 1000) {
      await new Promise((r) => setTimeout(r, 10_000));
      const last = samples.at(-1);
      if (last !== undefined)
        opts.log(
          `  ${((Date.now() - started) / 1000).toFixed(0)} s: RSS ${MB(last).toFixed(1)} MB, ${txs} transactions, ${ops} ops`,
        );
    }
    stop = true;
    await Promise.all([writer, churn]);
    clearInterval(sampler);
    // Every client has everything: the last write is visible on each device.
    const { rows: counts } = await env.pool.query<{ owner_id: string; n: string }>(
      `SELECT owner_id, count(*) AS n FROM documents WHERE owner_id LIKE 'soak-user-%' GROUP BY owner_id`,
    );
    for (const [i, d] of devices.entries()) {
      const want = Number(counts.find((c) => c.owner_id === users[i])?.n ?? 0);
      for (const deadline = Date.now() + 60_000; ; ) {
        const got = Number((await d.all<{ n: number }>('SELECT count(*) AS n FROM documents'))[0]!.n);
        if (got === want) break;
        if (Date.now() > deadline) throw new Error(`soak: device ${i} has ${got} rows, Postgres ${want}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    await new Promise((r) => setTimeout(r, 15_000));
    const after = await server.rss();
    const mb = samples.map(MB);
    const slope = slopePerMinute(mb, 1);
    const half = mb.slice(Math.floor(mb.length / 2));
    const slope2 = slopePerMinute(half, 1);
    const max = Math.max(...mb);
    opts.log(
      `  RSS start ${mb[0]!.toFixed(1)} / end ${mb.at(-1)!.toFixed(1)} / max ${max.toFixed(1)} MB, slope ${slope.toFixed(2)} MB/min (second half ${slope2.toFixed(2)}), idle after ${MB(after).toFixed(1)} MB`,
    );
    const summary = `${(opts.seconds / 60).toFixed(0)} min, ${txs} transactions / ${ops} row changes (45 % inserts / 35 % updates / 20 % deletes while a user has < 2 000 rows, deletes above) over ${users.length} users with ${users.length} official clients connected and ${reconnects} raw stream connects`;
    return [
      {
        id: 'soak-rss',
        name: `Sync server RSS at the end of a ${(opts.seconds / 60).toFixed(0)}-minute mixed workload`,
        value: mb.at(-1)!,
        unit: 'MB',
        baseline: mb[0]!,
        baselineName: 'RSS at its start (sampled every 1 s)',
        ratio: mb.at(-1)! / mb[0]!,
        target: 'flat: no growth beyond noise',
        detail: `${summary}; start ${mb[0]!.toFixed(1)} / end ${mb.at(-1)!.toFixed(1)} / max ${max.toFixed(1)} MB; least-squares slope ${slope.toFixed(2)} MB/min over the run, ${slope2.toFixed(2)} MB/min over its second half`,
        method: '/proc VmRSS of the sync server sampled every second during the workload',
      },
      {
        id: 'idle-after-workload',
        name: 'Sync server idle RSS after a workload',
        value: MB(after),
        unit: 'MB',
        baseline: MB(idle),
        baselineName: 'idle RSS after start (clients connected)',
        ratio: after / idle,
        target: '≤ 80 MB',
        detail: `15 s after the ${(opts.seconds / 60).toFixed(0)}-minute workload above stopped (clients still connected)`,
        method: '/proc VmRSS of the sync server process',
      },
    ];
  } finally {
    for (const d of devices) await d.close().catch(() => undefined);
    await server.stop();
  }
}
