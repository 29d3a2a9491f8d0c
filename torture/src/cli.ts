/**
 * `npm run torture -- [--minutes N] [--seed S] [--layout same|separate|both] [--load-seconds L] [--rounds R] [--no-faults]`
 *
 * Runs rounds (alternating layouts when `both`) until the time or round budget is spent; each round has its
 * own seed (seed, seed+1, …) and prints how to replay it. Exit code 1 if any round failed.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createLogger } from '@syncline/errors';
import { startCluster } from './cluster.js';
import type { FaultKind } from './faults.js';
import { formatReport, formatSummary } from './report.js';
import { type Layout, type RoundReport, runRound } from './run.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string' },
    seed: { type: 'string' },
    layout: { type: 'string', default: 'both' },
    'load-seconds': { type: 'string', default: '150' },
    rounds: { type: 'string' },
    'no-faults': { type: 'boolean' },
    faults: { type: 'string' },
    users: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(
    'npm run torture -- [--minutes N] [--seed S] [--layout same|separate|both] [--load-seconds L] [--rounds R] [--no-faults] [--users U]',
  );
  process.exit(0);
}
const seed = values.seed ? Number(values.seed) : Math.floor(Math.random() * 1e6);
const layouts: Layout[] = values.layout === 'both' ? ['same', 'separate'] : [values.layout as Layout];
const deadline = Date.now() + Number(values.minutes ?? 0) * 60_000;
const maxRounds = values.rounds
  ? Number(values.rounds)
  : values.minutes
    ? Number.POSITIVE_INFINITY
    : layouts.length;
const logDir = join(
  fileURLToPath(new URL('../..', import.meta.url)),
  'test-results',
  'torture',
  String(seed),
);
await mkdir(logDir, { recursive: true });
const logger = createLogger({ name: 'torture', level: 'info' });
console.log(`torture: seed ${seed}, layouts ${layouts.join('+')}, logs in ${logDir}`);
const cluster = await startCluster(logger);
const reports: RoundReport[] = [];
try {
  for (let i = 0; i < maxRounds; i++) {
    if (i > 0 && values.minutes && Date.now() > deadline) break;
    const report = await runRound({
      seed: seed + i,
      layout: layouts[i % layouts.length]!,
      loadMs: Number(values['load-seconds']) * 1000,
      ...(values['no-faults']
        ? { faults: [] }
        : values.faults
          ? { faults: values.faults.split(',') as FaultKind[] }
          : {}),
      ...(values.users ? { users: Number(values.users) } : {}),
      cluster,
      logDir,
      logger,
    });
    reports.push(report);
    console.log(formatReport(report));
  }
} finally {
  await cluster.stop();
}
console.log(formatSummary(reports));
process.exit(reports.every((r) => r.ok) ? 0 : 1);
