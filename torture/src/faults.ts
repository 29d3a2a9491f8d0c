/**
 * Fault injection at random (seeded) moments: kill -9 of the sync server or the API, Postgres immediate
 * restart, connections cut or stalled between the clients and either server.
 */
import type { TcpProxy } from '@syncline/test-utils';
import pg from 'pg';
import type { Cluster } from './cluster.js';
import { type Rng, sleep } from './random.js';
import type { Service } from './services.js';

export const FAULT_KINDS = [
  'kill-sync',
  'kill-api',
  'pg-restart',
  'cut-sync',
  'cut-api',
  'stall-sync',
  'stall-api',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultLog {
  counts: Partial<Record<FaultKind, number>>;
  /** Per Postgres restart: ms from accepting connections again to the replication slot being active. */
  replicationBackMs: number[];
  /** Restarts after which replication did not come back within 30 s. */
  replicationStuck: number;
}

export interface FaultTargets {
  cluster: Cluster;
  sync: Service;
  api: Service;
  syncProxy: TcpProxy;
  apiProxy: TcpProxy;
  /** Slot of the sync server (to see replication come back). */
  slotName: string;
}

const WEIGHTS: Record<FaultKind, number> = {
  'kill-sync': 3,
  'kill-api': 2,
  'pg-restart': 2,
  'cut-sync': 3,
  'cut-api': 2,
  'stall-sync': 2,
  'stall-api': 1,
};

/** Waits until the slot is active again (a walsender streams it), measured from `since`. */
async function slotBack(cluster: Cluster, slot: string, since: number): Promise<number | null> {
  const deadline = since + 30_000;
  while (Date.now() < deadline) {
    const client = new pg.Client({ connectionString: cluster.adminUrl });
    client.on('error', () => undefined);
    try {
      await client.connect();
      const { rows } = await client.query<{ active: boolean }>(
        'SELECT active FROM pg_replication_slots WHERE slot_name = $1',
        [slot],
      );
      if (rows[0]?.active) return Date.now() - since;
    } catch {
      // Postgres still starting
    } finally {
      await client.end().catch(() => undefined);
    }
    await sleep(50);
  }
  return null;
}

/** Injects faults until `signal` aborts; each one is awaited (servers restarted) before the next. */
export async function runFaults(
  t: FaultTargets,
  rng: Rng,
  signal: AbortSignal,
  kinds: readonly FaultKind[],
  log: FaultLog,
): Promise<void> {
  const weights = Object.fromEntries(kinds.map((k) => [k, WEIGHTS[k]])) as Record<FaultKind, number>;
  const measuring: Promise<void>[] = [];
  // Every kind once first (in a random order), so even a short run covers all of them; then by weight.
  const first = [...kinds];
  for (let i = first.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [first[i], first[j]] = [first[j]!, first[i]!];
  }
  while (!signal.aborted) {
    await sleep(first.length ? rng.int(300, 1500) : rng.int(1000, 4000), signal);
    if (signal.aborted) break;
    const kind = first.shift() ?? rng.weighted(weights);
    log.counts[kind] = (log.counts[kind] ?? 0) + 1;
    switch (kind) {
      case 'kill-sync':
        await t.sync.kill9();
        await sleep(rng.int(0, 1500));
        await t.sync.start();
        break;
      case 'kill-api':
        await t.api.kill9();
        await sleep(rng.int(0, 1500));
        await t.api.start();
        break;
      case 'pg-restart': {
        const { upAt } = await t.cluster.restartImmediate(rng.int(100, 1500));
        measuring.push(
          slotBack(t.cluster, t.slotName, upAt).then((ms) => {
            if (ms === null) log.replicationStuck++;
            else log.replicationBackMs.push(ms);
          }),
        );
        break;
      }
      case 'cut-sync':
        t.syncProxy.cut();
        break;
      case 'cut-api':
        t.apiProxy.cut();
        break;
      case 'stall-sync':
        t.syncProxy.stall(rng.int(500, 5000));
        break;
      case 'stall-api':
        t.apiProxy.stall(rng.int(500, 3000));
        break;
    }
  }
  await Promise.all(measuring);
}
