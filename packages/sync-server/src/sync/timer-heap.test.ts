import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Timed, TimerHeap } from './timer-heap.js';

/** Invariant: every scheduled entry fires once, at (not before) its moment, in time order, from one Node timer;
 * a cancelled or moved entry fires at its new moment or not at all. */
function entry(name: string, fired: { name: string; at: number }[]): Timed {
  return {
    timerDue: 0,
    timerSlot: -1,
    onTimer: () => fired.push({ name, at: Date.now() }),
  };
}

describe('TimerHeap', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000_000_000);
  });
  afterEach(() => vi.useRealTimers());

  it('fires many entries at their own moments, in order, with one timer', async () => {
    const heap = new TimerHeap();
    const fired: { name: string; at: number }[] = [];
    const start = Date.now();
    const delays = Array.from({ length: 200 }, (_, i) => ((i * 7919) % 1000) + 1);
    delays.forEach((d, i) => {
      heap.schedule(entry(`e${i}`, fired), start + d);
    });
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(fired).toHaveLength(200);
    for (const f of fired) expect(f.at).toBe(start + delays[Number(f.name.slice(1))]!);
    expect(heap.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('moves and cancels entries', async () => {
    const heap = new TimerHeap();
    const fired: { name: string; at: number }[] = [];
    const start = Date.now();
    const a = entry('a', fired);
    const b = entry('b', fired);
    const c = entry('c', fired);
    heap.schedule(a, start + 100);
    heap.schedule(b, start + 200);
    heap.schedule(c, start + 300);
    heap.schedule(c, start + 50); // earlier
    heap.schedule(a, start + 400); // later
    heap.cancel(b);
    heap.cancel(b); // not scheduled: nothing
    await vi.advanceTimersByTimeAsync(1000);
    expect(fired).toEqual([
      { name: 'c', at: start + 50 },
      { name: 'a', at: start + 400 },
    ]);
    heap.schedule(b, start + 2000);
    heap.cancel(b);
    expect(vi.getTimerCount()).toBe(0);
  });
});
