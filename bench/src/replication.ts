/**
 * Benchmark 3: replication throughput — N row changes committed in batches → all ops in bucket storage and
 * a checkpoint out. Baseline: the same inserts' raw Postgres time.
 */
import { type BenchEnv, startSyncProcess } from './env.js';
import { openRawStream } from './raw-stream.js';
import type { Result } from './report.js';

export async function replication(
  env: BenchEnv,
  opts: { changes: number; batch: number; log: (s: string) => void },
): Promise<Result[]> {
  const server = await startSyncProcess(env);
  const user = 'replication-user';
  // A connected stream of the user: "a checkpoint out" is the checkpoint_complete covering the last change.
  const stream = openRawStream(server.url, await env.jwks.sign(user), 'repl-bench');
  await stream.ready;
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
  const t0 = performance.now();
  let pgMs = 0;
  for (let from = 1; from <= opts.changes; from += opts.batch) {
    const to = Math.min(opts.changes, from + opts.batch - 1);
    const s = performance.now();
    await env.pool.query(
      `INSERT INTO documents (id, title, content, owner_id, device_id)
       SELECT 'repl-' || g, 'Document ' || g, substr(md5(g::text) || md5((g * 7)::text), 1, 60), $1, 'bench' FROM generate_series($2::int, $3::int) g`,
      [user, from, to],
    );
    pgMs += performance.now() - s;
  }
  const insertsDone = performance.now();
  await allOut;
  stream.close();
  const total = doneAt - t0;
  await server.stop();
  const rate = opts.changes / (total / 1000);
  opts.log(
    `  ${opts.changes} changes: raw Postgres ${pgMs.toFixed(0)} ms, replicated + checkpoint out after ${total.toFixed(0)} ms (${rate.toFixed(0)}/s)`,
  );
  return [
    {
      id: 'replication',
      name: `Replication throughput, ${opts.changes.toLocaleString('en')} row changes`,
      value: rate,
      unit: 'changes/s',
      baseline: opts.changes / (pgMs / 1000),
      baselineName: 'raw Postgres INSERT rate of the same batches',
      ratio: total / pgMs,
      target: '≥ 30 000 changes/s',
      detail: `${opts.changes / opts.batch} transactions of ${opts.batch} rows; inserts took ${pgMs.toFixed(0)} ms, last checkpoint out ${(doneAt - insertsDone).toFixed(0)} ms after the last commit; ratio = time to checkpoint / raw insert time`,
      method:
        'timer from the first INSERT to the checkpoint_complete (on a connected stream) whose bucket holds every change',
    },
  ];
}
