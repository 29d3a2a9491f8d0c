/**
 * `npm run bench` — every figure with a baseline measured in the same run. `--quick` is a small smoke run
 * (CI; asserts nothing about speed); `--only a,b` picks benchmarks (`initial-sync`, `initial-sync-bson`,
 * `initial-sync-websocket`, `initial-sync-wide`, `latency`, `replication`, `upload`, `upload-concurrent`, `fanout`, `soak`);
 * `--runs N` sets the runs per initial-sync row; `--soak-seconds N` the length of the mixed workload (full
 * runs only; default 600). Results: bench/results/*.json and
 * (full runs) BENCHMARKS.md.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { startEnv } from './env.js';
import { fanout } from './fanout.js';
import { initialSync, initialSyncOver, initialSyncWide } from './initial-sync.js';
import { latency } from './latency.js';
import { replication } from './replication.js';
import { type Result, renderMarkdown, renderText } from './report.js';
import { soak } from './soak.js';
import { upload } from './upload.js';
import { uploadConcurrent } from './upload-concurrent.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    only: { type: 'string' },
    runs: { type: 'string' },
    'soak-seconds': { type: 'string' },
  },
  allowPositionals: true,
});
const quick = values.quick ?? false;
const only = values.only?.split(',');
const want = (id: string) => !only || only.includes(id);
/** Runs per initial-sync row (`--runs N`; default 3, quick 1). */
const syncRuns = values.runs ? Number(values.runs) : quick ? 1 : 3;
const log = (s: string) => process.stdout.write(`${s}\n`);

const env = await startEnv();
const results: Result[] = [];
const started = Date.now();
try {
  if (want('initial-sync')) {
    const rows = quick ? 2_000 : 100_000;
    log(`▶ 1+6. initial sync (${rows} rows) and sync server memory`);
    results.push(...(await initialSync(env, { rows, runs: syncRuns, log })));
  }
  for (const kind of ['bson', 'websocket'] as const) {
    if (!want(`initial-sync-${kind}`)) continue;
    const rows = quick ? 2_000 : 100_000;
    log(`▶ 1b. initial sync (${rows} rows) over ${kind === 'bson' ? 'BSON/HTTP' : 'RSocket/WebSocket'}`);
    results.push(...(await initialSyncOver(env, kind, { rows, runs: syncRuns, log })));
  }
  if (want('initial-sync-wide')) {
    const rows = quick ? 2_000 : 100_000;
    log(`▶ 1c. initial sync (${rows} wide rows of ≈ 1 KB) over BSON/HTTP`);
    results.push(...(await initialSyncWide(env, { rows, runs: syncRuns, log })));
  }
  if (want('latency')) {
    log('▶ 2. latency');
    results.push(...(await latency(env, { samples: quick ? 20 : 1_000, spacingMs: 20, log })));
  }
  const replicationShapes = ['replication', 'replication-one-tx', 'replication-wide'].filter(want);
  if (replicationShapes.length) {
    log('▶ 3. replication throughput');
    results.push(
      ...(await replication(env, {
        changes: quick ? 5_000 : 100_000,
        batch: 1_000,
        log,
        shapes: quick ? ['replication'] : only ? replicationShapes : undefined,
        settleMs: quick ? 1000 : 12_000,
      })),
    );
  }
  if (want('upload')) {
    log('▶ 4. upload throughput');
    results.push(
      ...(await upload(env, { ops: quick ? 1_000 : 20_000, opsPerTx: 10, txPerRequest: 10, log })),
    );
  }
  if (want('upload-concurrent')) {
    log('▶ 4b. upload throughput, 8 clients at once');
    results.push(...(await uploadConcurrent(env, { ops: quick ? 3_200 : 51_200, log })));
  }
  if (want('fanout')) {
    log('▶ 5. fan-out and connections');
    results.push(
      ...(await fanout(env, {
        idle: quick ? [200] : [1_000, 5_000, 10_000],
        sharedStreams: quick ? 100 : 1_000,
        users: 50,
        settleMs: quick ? 1_500 : 16_000,
        log,
      })),
    );
  }
  if (want('soak') && !quick) {
    const seconds = Number(values['soak-seconds'] ?? 600);
    log(`▶ 7. sync server RSS over a ${seconds} s mixed workload`);
    results.push(...(await soak(env, { seconds, clients: 3, log })));
  }
} finally {
  await env.stop();
}
log(`\n${renderText(results)}\n\nfinished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${process.platform}`;
await mkdir(new URL('../results/', import.meta.url), { recursive: true });
const notes = await readFile(new URL('../notes.md', import.meta.url), 'utf8').catch(() => '');
await writeFile(
  // A partial run (--only) keeps the full run's latest.json.
  new URL(`../results/${quick ? 'quick' : only ? 'partial' : 'latest'}.json`, import.meta.url),
  `${JSON.stringify({ date: new Date().toISOString(), machine, quick, results }, null, 2)}\n`,
);
if (!quick && !only) {
  await writeFile(
    new URL('../../BENCHMARKS.md', import.meta.url),
    `# Benchmarks\n\nLatest full \`npm run bench\` (${new Date().toISOString().slice(0, 10)}) on ${machine}.\nEvery figure has a baseline measured in the same run; \`bench/src/\` says how each is measured.\nTargets are from DEVELOPERS.md.\n\n${renderMarkdown(results)}\n\n${notes}`,
  );
}
