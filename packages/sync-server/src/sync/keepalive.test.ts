import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ControlLine } from '../protocol/lines.js';
import { TokenTimer } from './keepalive.js';
import type { LineOutput } from './output.js';
import { TimerHeap } from './timer-heap.js';

/** Invariant (SPEC I9): a keepalive every keepaliveMs ± 10 %, one line ≤ 30 at 20 s before expiry, 0 at expiry
 * then tokenExpired — one heap entry re-scheduled for whichever is due next; nothing after the stop. */
function output() {
  const sent: { at: number; seconds: number }[] = [];
  const out = {
    encoding: 'ndjson',
    closed: false,
    line: async (l: ControlLine) => {
      sent.push({ at: Date.now(), seconds: (l as { token_expires_in: number }).token_expires_in });
    },
    data: async () => undefined,
    flush: async () => undefined,
    end: () => undefined,
  } as unknown as LineOutput;
  return { out, sent };
}

/** A token timer in its own heap, started; `stop` stops it. */
function startTokenTimers(o: {
  out: LineOutput;
  keepaliveMs: number;
  tokenExp: number;
  isDone(): boolean;
  onExpired(): void;
}): () => void {
  const timer = new TokenTimer(
    new TimerHeap(),
    o.out,
    { isDone: o.isDone, tokenExpired: o.onExpired },
    o.keepaliveMs,
    o.tokenExp,
  );
  timer.start();
  return () => timer.stop();
}

describe('token timers', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000_000_000);
  });
  afterEach(() => vi.useRealTimers());

  it('sends keepalives, the pre-expiry line and 0 at expiry, in order, with one timer', async () => {
    const { out, sent } = output();
    const start = Date.now();
    let expired = 0;
    const stop = startTokenTimers({
      out,
      keepaliveMs: 20_000,
      tokenExp: start / 1000 + 100,
      isDone: () => expired > 0,
      onExpired: () => expired++,
    });
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(101_000);
    expect(expired).toBe(1);
    const keepalives = sent.filter((s) => s.seconds > 30);
    expect(keepalives.length).toBeGreaterThanOrEqual(3);
    let prev = start;
    for (const k of keepalives) {
      expect(k.at - prev).toBeGreaterThanOrEqual(18_000);
      expect(k.at - prev).toBeLessThanOrEqual(22_000);
      expect(k.seconds).toBe(Math.floor(100 - (k.at - start) / 1000));
      prev = k.at;
    }
    const warning = sent.find((s) => s.at - start === 80_000);
    expect(warning?.seconds).toBe(20);
    expect(sent.at(-1)).toEqual({ at: start + 100_000, seconds: 0 });
    expect(vi.getTimerCount()).toBe(0);
    stop();
  });

  it('sends the warning at once for a token expiring within 20 s, and nothing after the clear', async () => {
    const { out, sent } = output();
    const stop = startTokenTimers({
      out,
      keepaliveMs: 20_000,
      tokenExp: Date.now() / 1000 + 10,
      isDone: () => false,
      onExpired: () => undefined,
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual([{ at: Date.now(), seconds: 10 }]);
    stop();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sent).toHaveLength(1);
  });

  it('re-arms waits longer than setTimeout allows instead of firing early', async () => {
    const { out, sent } = output();
    const stop = startTokenTimers({
      out,
      keepaliveMs: 40 * 86_400_000, // 40 days: above the 24.8-day setTimeout limit
      tokenExp: Date.now() / 1000 + 60 * 86_400,
      isDone: () => false,
      onExpired: () => undefined,
    });
    await vi.advanceTimersByTimeAsync(30 * 86_400_000);
    expect(sent).toHaveLength(0);
    stop();
  });
});
