import { describe, expect, it } from 'vitest';
import type { CheckpointEvent } from '../storage/events.js';
import { StreamHub } from './hub.js';
import { RecentOps } from './recent-ops.js';

/**
 * Invariant: a published checkpoint reaches exactly the streams that follow one of its buckets or lookups
 * (plus streams still reading), and a write checkpoint exactly the streams of its (user, client) — however
 * streams join, move and leave (keys hold a lone stream until a second one joins). Checked against a plain
 * model over a seeded random sequence.
 */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Probe {
  events = 0;
  wcs = 0;
  buckets: string[] = [];
  lookups: string[] = [];
  constructor(
    readonly user: string,
    readonly client: string,
  ) {}
  onCheckpoint(): void {
    this.events++;
  }
  onWriteCheckpoint(): void {
    this.wcs++;
  }
}

const event = (buckets: string[], lookups: string[]): CheckpointEvent => ({
  head: 1n,
  lsn: '0/0',
  buckets: new Map(buckets.map((b) => [b, { checksum: 0, count: 0, lastOpId: 1n, compactedThrough: 0n }])),
  lookups: new Set(lookups),
  compactionEpoch: 0n,
  compacted: new Set(),
});

describe('StreamHub', () => {
  it('delivers to exactly the following streams through random joins, moves and leaves', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const random = rng(seed);
      const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
      const names = ['a', 'b', 'c', 'd'];
      const hub = new StreamHub(new RecentOps());
      const open: Probe[] = [];
      for (let step = 0; step < 400; step++) {
        const r = random();
        if (r < 0.3 || open.length === 0) {
          const p = new Probe(pick(['u1', 'u2']), pick(['c1', 'c2']));
          hub.add(p, p.user, p.client);
          const after = {
            buckets: names.filter(() => random() < 0.4),
            lookups: names.filter(() => random() < 0.3),
          };
          hub.follow(p, { buckets: [], lookups: [] }, after);
          p.buckets = after.buckets;
          p.lookups = after.lookups;
          open.push(p);
        } else if (r < 0.5) {
          const p = pick(open);
          const after = {
            buckets: names.filter(() => random() < 0.4),
            lookups: names.filter(() => random() < 0.3),
          };
          hub.follow(p, { buckets: p.buckets, lookups: p.lookups }, after);
          p.buckets = after.buckets;
          p.lookups = after.lookups;
        } else if (r < 0.7) {
          const p = open.splice(Math.floor(random() * open.length), 1)[0]!;
          hub.remove(p, p.user, p.client, { buckets: p.buckets, lookups: p.lookups });
        } else if (r < 0.85) {
          const buckets = names.filter(() => random() < 0.3);
          const lookups = names.filter(() => random() < 0.2);
          const before = open.map((p) => p.events);
          hub.publish(event(buckets, lookups));
          open.forEach((p, i) => {
            const expected =
              p.buckets.some((b) => buckets.includes(b)) || p.lookups.some((l) => lookups.includes(l));
            expect(p.events - before[i]!, `seed ${seed} step ${step}`).toBe(expected ? 1 : 0);
          });
        } else {
          const user = pick(['u1', 'u2']);
          const client = pick(['c1', 'c2']);
          const before = open.map((p) => p.wcs);
          hub.writeCheckpointReached(user, client, 1n);
          open.forEach((p, i) => {
            expect(p.wcs - before[i]!).toBe(p.user === user && p.client === client ? 1 : 0);
          });
        }
      }
      for (const p of open) hub.remove(p, p.user, p.client, { buckets: p.buckets, lookups: p.lookups });
      expect(hub.size).toBe(0);
    }
  });
});
