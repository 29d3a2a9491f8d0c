import { describe, expect, it } from 'vitest';
import { ReplicationPosition } from './position.js';

describe('ReplicationPosition (SPEC.md R1–R5)', () => {
  it('R2: a commit that starts exactly where the stored one ended is new, not a replay', () => {
    const p = new ReplicationPosition(0n);
    // T1: commit record [100, 140); stored at E(T1) = 140.
    expect(p.isReplay(100n)).toBe(false);
    p.applied(140n);
    p.committed(p.commitTarget());
    expect(p.stored).toBe(140n);
    // T2's commit record is adjacent: C(T2) = 140 = E(T1).
    expect(p.isReplay(140n)).toBe(false);
    // Replayed after a restart: T1 (C = 100) is skipped.
    expect(p.isReplay(100n)).toBe(true);
    expect(p.isReplay(139n)).toBe(true);
  });

  it('R3: irrelevant transactions advance D without a storage commit; never past pending data', () => {
    const p = new ReplicationPosition(1000n);
    p.passed(1100n);
    expect(p.durable).toBe(1100n);
    expect(p.stored).toBe(1000n);
    expect(p.commitTarget()).toBe(1000n); // nothing to store
    // relevant data pending: an irrelevant transaction after it does not move D ahead of the data
    p.applied(1200n);
    p.passed(1300n);
    expect(p.durable).toBe(1100n);
    expect(p.ackable).toBe(1100n);
    expect(p.commitTarget()).toBe(1300n);
    p.committed(p.commitTarget());
    expect(p.stored).toBe(1300n);
    expect(p.durable).toBe(1300n);
  });

  it('R1: a write-checkpoint message with nothing pending stores P at the message', () => {
    const p = new ReplicationPosition(500n);
    expect(p.commitTarget(800n)).toBe(800n);
    p.committed(800n);
    expect(p.isReplay(799n)).toBe(true);
    expect(p.isReplay(801n)).toBe(false);
  });

  it('R6: a rollback forgets pending data and takes P from storage again', () => {
    const p = new ReplicationPosition(500n);
    p.applied(900n);
    p.reset(700n); // a commit whose acknowledgement was lost had landed
    expect(p.pending).toBe(0n);
    expect(p.stored).toBe(700n);
    expect(p.isReplay(650n)).toBe(true);
    expect(p.commitTarget()).toBe(700n);
  });
});
