import { type Rng, sleep } from './random.js';
import type { World } from './world.js';

export interface WcStats {
  calls: number;
  failed: number;
  /** Failures by status code (or error name). */
  failures?: Record<string, number>;
}

/** Calls `/write-checkpoint2.json` at random for random users and client ids, as clients do after uploads. */
export async function runWriteCheckpoints(
  syncUrl: string,
  rng: Rng,
  world: World,
  signal: AbortSignal,
  stats: WcStats,
): Promise<void> {
  const tokens = new Map<string, { token: string; at: number }>();
  while (!signal.aborted) {
    await sleep(rng.int(20, 200), signal);
    if (signal.aborted) break;
    const user = rng.pick(world.users);
    try {
      let t = tokens.get(user.id);
      if (!t || Date.now() - t.at > 120_000) {
        t = { token: await user.api.token(), at: Date.now() };
        tokens.set(user.id, t);
      }
      const res = await fetch(`${syncUrl}/write-checkpoint2.json?client_id=torture-${rng.int(1, 5)}`, {
        headers: { authorization: `Bearer ${t.token}` },
        signal: AbortSignal.timeout(5000),
      });
      await res.text();
      if (res.ok) stats.calls++;
      else note(stats, String(res.status));
    } catch (e) {
      // fetch() reports a refused or reset connection (the sync server killed or cut) as a TypeError whose
      // cause has the socket error code: count by that code.
      const err = e as Error & { cause?: { code?: string } };
      note(stats, err.cause?.code ?? err.name);
    }
  }
}

function note(stats: WcStats, why: string): void {
  stats.failed++;
  stats.failures ??= {};
  stats.failures[why] = (stats.failures[why] ?? 0) + 1;
}
