/**
 * `npm run bench` — every figure with a baseline measured in the same run. `--quick` is a small smoke run
 * (CI); `--only a,b` picks benchmarks. Results: bench/results/latest.json and BENCHMARKS.md.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { startEnv } from './env.js';
import { initialSync } from './initial-sync.js';
import { latency } from './latency.js';
import { type Result, renderMarkdown, renderText } from './report.js';

const { values } = parseArgs({
  options: { quick: { type: 'boolean' }, only: { type: 'string' } },
  allowPositionals: true,
});
const quick = values.quick ?? false;
const only = values.only?.split(',');
const want = (id: string) => !only || only.includes(id);
const log = (s: string) => process.stdout.write(`${s}\n`);

const env = await startEnv();
const results: Result[] = [];
const started = Date.now();
try {
  if (want('initial-sync')) {
    log(`▶ initial sync (${quick ? 2_000 : 100_000} rows)`);
    results.push(...(await initialSync(env, { rows: quick ? 2_000 : 100_000, runs: quick ? 1 : 3, log })));
  }
  if (want('latency')) {
    log('▶ latency');
    results.push(...(await latency(env, { samples: quick ? 20 : 200, spacingMs: 20, log })));
  }
} finally {
  await env.stop();
}
log(`\n${renderText(results)}\n\nfinished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${process.platform}`;
await mkdir(new URL('../results/', import.meta.url), { recursive: true });
await writeFile(
  new URL(`../results/${quick ? 'quick' : 'latest'}.json`, import.meta.url),
  JSON.stringify({ date: new Date().toISOString(), machine, quick, results }, null, 2),
);
if (!quick) {
  await writeFile(
    new URL('../../BENCHMARKS.md', import.meta.url),
    `# Benchmarks\n\nLatest \`npm run bench\` (${new Date().toISOString().slice(0, 10)}), machine: ${machine}.\nEvery figure has a baseline measured in the same run; see \`bench/src/\` for how each is measured.\n\n${renderMarkdown(results)}\n`,
  );
}
