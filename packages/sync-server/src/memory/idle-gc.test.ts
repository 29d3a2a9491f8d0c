import { describe, expect, it } from 'vitest';
import { IdleCollector } from './idle-gc.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('IdleCollector', () => {
  it('collects once the process has been quiet, and bursts push the collection back', async () => {
    const idle = new IdleCollector(80);
    idle.burst();
    await sleep(40);
    idle.burst(); // more work: not yet
    await sleep(50);
    expect(idle.collections).toBe(0);
    await sleep(80);
    expect(idle.collections).toBe(1);
  });

  it('runs a full collection: unreachable objects are gone afterwards', async () => {
    let garbage: object | null = { payload: new Array(100_000).fill('x') };
    const ref = new WeakRef(garbage);
    garbage = null;
    await sleep(20);
    expect(ref.deref()).toBeDefined(); // nothing collected it on its own
    const idle = new IdleCollector(10);
    idle.burst();
    await sleep(60);
    expect(idle.collections).toBe(1);
    expect(ref.deref()).toBeUndefined();
  });

  it('stop() cancels a pending collection', async () => {
    const idle = new IdleCollector(20);
    idle.burst();
    idle.stop();
    await sleep(50);
    expect(idle.collections).toBe(0);
  });
});
