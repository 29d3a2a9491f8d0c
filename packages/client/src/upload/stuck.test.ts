import { describe, expect, it } from 'vitest';
import { isServerFault, StuckTracker, type StuckUpload } from './stuck.js';

describe('StuckTracker', () => {
  it('reports a transaction after `threshold` consecutive server faults, and clears', () => {
    const seen: (StuckUpload | null)[] = [];
    let t = 1000;
    const tracker = new StuckTracker(
      3,
      (s) => seen.push(s),
      () => t,
    );
    const err = { code: 'UPLOAD_INTERNAL', message: 'boom' };
    tracker.fault(7, err);
    t = 2000;
    tracker.fault(7, err);
    expect(seen).toEqual([]);
    tracker.fault(7, err);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ transactionId: 7, code: 'UPLOAD_INTERNAL', attempts: 3 });
    expect(seen[0]!.since.getTime()).toBe(1000);
    tracker.clear();
    expect(seen.at(-1)).toBeNull();
  });

  it('starts over when another transaction is at the head', () => {
    const seen: (StuckUpload | null)[] = [];
    const tracker = new StuckTracker(2, (s) => seen.push(s));
    const err = { code: 'UPLOAD_INTERNAL', message: 'boom' };
    tracker.fault(1, err);
    tracker.fault(2, err);
    expect(seen).toEqual([]);
    tracker.fault(2, err);
    expect(seen[0]?.transactionId).toBe(2);
  });

  it('counts 500-style faults, not outages', () => {
    expect([500, 501, 507, 599].map(isServerFault)).toEqual([true, true, true, true]);
    expect([502, 503, 504, 429, 200, undefined].map(isServerFault)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
