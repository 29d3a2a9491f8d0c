/**
 * Benchmark 3: replication throughput — N row changes committed in batches → all ops in bucket storage and
 * a checkpoint out, for several shapes (narrow rows in 1k-row transactions, one N-row transaction, wide
 * ~1 KB rows). Baseline: the same inserts' raw Postgres time. The sync server's RSS is sampled throughout
 * (peak while replicating, and once it has settled afterwards).
 */
import { type BenchEnv, cpuOf, startSyncProcess, topStatements } from './env.js';
import { openRawStream } from './raw-stream.js';
import type { Result } from './report.js';

interface Shape {
  id: string;
  label: string;
  /** Rows per source transaction. */
  batch: number;
  /** Characters of `content` per row. */
  width: number;
}

export async function replication(
  env: BenchEnv,
  opts: {
    changes: number;
    batch: number;
    log: (s: string) => void;
    shapes?: readonly string[] | undefined;
    /** When "after" RSS is read (default 12 s: after the CLI's 10 s idle trim). */
    settleMs?: number;
  },
): Promise<Result[]> {
  const all: Shape[] = [
    {
      id: 'replication',
      label: `${opts.changes / opts.batch} × ${opts.batch}-row transactions`,
      batch: opts.batch,
      width: 60,
    },
    {
      id: 'replication-one-tx',
      label: `one ${opts.changes}-row transaction`,
      batch: opts.changes,
      width: 60,
    },
    {
      id: 'replication-wide',
      label: `wide rows (~1 KB), ${opts.batch}-row transactions`,
      batch: opts.batch,
      width: 1000,
    },
  ];
  const shapes = opts.shapes ? all.filter((s) => opts.shapes!.includes(s.id)) : all;
  const results: Result[] = [];
  for (const shape of shapes) results.push(...(await runShape(env, shape, opts)));
  return results;
}

async function runShape(
  env: BenchEnv,
  shape: Shape,
  opts: { changes: number; log: (s: string) => void; settleMs?: number },
): Promise<Result[]> {
  const server = await startSyncProcess(env);
  const user = `replication-${shape.id}`;
  const stream = openRawStream(server.url, await env.jwks.sign(user), `repl-${shape.id}`);
  await stream.ready;
  await new Promise((r) => setTimeout(r, 500));
  const idleRss = await server.rss();
  let peak = idleRss;
  const sampler = setInterval(() => {
    void server.rss().then(
      (r) => {
        if (r > peak) peak = r;
      },
      () => undefined,
    );
  }, 20);
  let lastCount = 0;
  let doneAt = 0;
  const target = opts.changes;
  const allOut = new Promise<void>((resolve) => {
    stream.onLine = (l) => {
      const b = l.checkpoint_diff?.updated_buckets?.[0] ?? l.checkpoint?.buckets?.[0];
      if (b) lastCount = b.count;
      if ('checkpoint_complete' in l && lastCount >= target) {
        doneAt = performance.now();
        resolve();
      }
    };
  });
  // 32 hex chars per md5, repeated to the row width.
  const reps = Math.ceil(shape.width / 32);
  const content = `substr(repeat(md5(g::text), ${reps}), 1, ${shape.width})`;
  const inserter = await env.pool.connect();
  const inserterPid = (await inserter.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  await topStatements(env.pool); // resets the counters (SYNCLINE_BENCH_PG_STATS=1)
  const cpuBefore = await postgresCpu(env, inserterPid);
  const serverCpuBefore = await server.cpu();
  const t0 = performance.now();
  let pgMs = 0;
  for (let from = 1; from <= opts.changes; from += shape.batch) {
    const to = Math.min(opts.changes, from + shape.batch - 1);
    const s = performance.now();
    await inserter.query(
      `INSERT INTO documents (id, title, content, owner_id, device_id)
       SELECT $4 || g, 'Document ' || g, ${content}, $1, 'bench' FROM generate_series($2::int, $3::int) g`,
      [user, from, to, `${shape.id}-`],
    );
    pgMs += performance.now() - s;
  }
  const insertsDone = performance.now();
  await allOut;
  const total = doneAt - t0;
  const serverCpu = (await server.cpu()) - serverCpuBefore;
  const cpuAfter = await postgresCpu(env, inserterPid);
  inserter.release();
  for (const line of await topStatements(env.pool, 12)) opts.log(`    pg: ${line}`);
  const cpu = new Map<string, number>([['sync server (Node)', serverCpu]]);
  for (const [pid, after] of cpuAfter) {
    const used = after.ms - (cpuBefore.get(pid)?.ms ?? 0);
    cpu.set(after.kind, (cpu.get(after.kind) ?? 0) + used);
  }
  const cpuText = [...cpu]
    .filter(([, ms]) => ms > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([k, ms]) => `${k} ${(ms / 1000).toFixed(2)}`)
    .join(', ');
  stream.close();
  // Settled: after the CLI's idle trim (one GC once quiet for 10 s, `trimWhenIdleMs`) had its chance.
  await new Promise((r) => setTimeout(r, opts.settleMs ?? 12_000));
  clearInterval(sampler);
  const afterRss = await server.rss();
  await server.stop();
  const rate = opts.changes / (total / 1000);
  const mb = (b: number) => (b / 1e6).toFixed(1);
  opts.log(
    `  ${shape.label}: raw Postgres ${pgMs.toFixed(0)} ms, replicated + checkpoint out after ${total.toFixed(0)} ms (${rate.toFixed(0)}/s); RSS idle ${mb(idleRss)} / peak ${mb(peak)} / after ${mb(afterRss)} MB\n    CPU seconds: ${cpuText}`,
  );
  return [
    {
      id: shape.id,
      name: `Replication throughput, ${opts.changes.toLocaleString('en')} row changes, ${shape.label}`,
      value: rate,
      unit: 'changes/s',
      baseline: opts.changes / (pgMs / 1000),
      baselineName: 'raw Postgres INSERT rate of the same transactions',
      ratio: total / pgMs,
      target: '≥ 50 000 changes/s, ≤ 1.5× raw',
      detail: `inserts took ${pgMs.toFixed(0)} ms, last checkpoint out ${(doneAt - insertsDone).toFixed(0)} ms after the last commit; ratio = time to checkpoint / raw insert time; sync server RSS idle ${mb(idleRss)} MB, peak ${mb(peak)} MB, ${mb(afterRss)} MB ${(opts.settleMs ?? 12_000) / 1000} s after; CPU seconds from the first INSERT to the checkpoint: ${cpuText}`,
      method:
        'timer from the first INSERT to the checkpoint_complete (on a connected stream) whose bucket holds every change; RSS from /proc every 20 ms',
    },
    ...(shape.id === 'replication-one-tx'
      ? [
          {
            id: 'replication-one-tx-rss',
            name: `Sync server peak RSS while replicating one ${opts.changes.toLocaleString('en')}-row transaction`,
            value: peak / 1e6,
            unit: 'MB',
            baseline: idleRss / 1e6,
            baselineName: 'the same process idle before the transaction',
            ratio: peak / idleRss,
            target: '≤ 150 MB, back to idle afterwards',
            detail: `idle ${mb(idleRss)} MB, peak ${mb(peak)} MB, ${(opts.settleMs ?? 12_000) / 1000} s after ${mb(afterRss)} MB`,
            method: '/proc VmRSS of the sync server process sampled every 20 ms',
          },
        ]
      : []),
  ];
}

/** CPU time (ms) of the bench cluster's Postgres processes, by pid, with what each one does. */
async function postgresCpu(
  env: BenchEnv,
  inserter: number,
): Promise<Map<number, { kind: string; ms: number }>> {
  const { rows } = await env.pool.query<{ pid: number; backend_type: string; application_name: string }>(
    'SELECT pid, backend_type, application_name FROM pg_stat_activity',
  );
  const out = new Map<number, { kind: string; ms: number }>();
  for (const r of rows) {
    const kind =
      r.backend_type === 'walsender'
        ? 'Postgres walsender'
        : r.application_name.startsWith('syncline-sync')
          ? 'Postgres storage writes'
          : r.pid === inserter
            ? 'Postgres source INSERTs'
            : 'Postgres other';
    try {
      out.set(r.pid, { kind, ms: await cpuOf(r.pid) });
    } catch {
      // the process ended
    }
  }
  return out;
}
