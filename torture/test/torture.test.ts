/**
 * The bounded torture run of `npm test`: both storage layouts, load with every fault, fixed seeds so a
 * failure replays (`npm run torture -- --seed <seed> --layout <layout> --rounds 1 --load-seconds 25`).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { quietLogger } from '@syncline/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../src/cluster.js';
import { formatReport } from '../src/report.js';
import { runRound } from '../src/run.js';

let cluster: Cluster;
const logDir = join(process.cwd(), 'test-results', 'torture', 'npm-test');

beforeAll(async () => {
  await mkdir(logDir, { recursive: true });
  cluster = await startCluster(quietLogger);
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

describe('torture: every committed change reaches every entitled device, exactly, whatever fails', () => {
  for (const [layout, seed] of [
    ['same', 1101],
    ['separate', 1102],
  ] as const) {
    it(`${layout === 'same' ? 'storage in the source database, FOR ALL TABLES' : 'storage in its own database'} (seed ${seed})`, async () => {
      const report = await runRound({
        seed: Number(process.env.TORTURE_SEED ?? seed),
        layout,
        loadMs: Number(process.env.TORTURE_LOAD_SECONDS ?? 25) * 1000,
        cluster,
        logDir,
        logger: quietLogger,
      });
      console.log(formatReport(report));
      expect(report.failures, formatReport(report)).toEqual([]);
      // The sharing operations ran: devices shared (and revoked) projects and edited documents shared with them.
      expect(report.sharing.deviceShares, 'shares granted or changed by devices').toBeGreaterThan(0);
      expect(report.sharing.sharedEdits, "edits of others' documents").toBeGreaterThan(0);
    }, 240_000);
  }
});
