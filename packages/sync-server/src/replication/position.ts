/**
 * The replication positions of SPEC.md (R1–R5) as one small state machine, so the rules that decide
 * what is skipped, stored and acknowledged live in one place and are unit-tested.
 */
export class ReplicationPosition {
  /** `P`: stored with the data (R1). */
  stored: bigint;
  /** `D`: everything relevant before it is stored (R3). */
  durable: bigint;
  /** End of the last transaction applied to the open (uncommitted) storage transaction; 0n when none. */
  pending = 0n;

  constructor(stored: bigint) {
    this.stored = stored;
    this.durable = stored;
  }

  /** R2: a transaction whose commit starts before `P` is already stored. */
  isReplay(commitLsn: bigint): boolean {
    return commitLsn < this.stored;
  }

  /** A transaction with relevant changes went into the open storage transaction. */
  applied(endLsn: bigint): void {
    if (endLsn > this.pending) this.pending = endLsn;
  }

  /**
   * A position passed with nothing relevant in between (a transaction without relevant changes, or a
   * keepalive). With nothing pending `D` advances (no storage write); otherwise the pending commit will
   * cover it.
   */
  passed(lsn: bigint): void {
    if (this.pending) {
      if (lsn > this.pending) this.pending = lsn;
    } else if (lsn > this.durable) this.durable = lsn;
  }

  /** Where the next storage commit will put `P` (at least `P`; `mark` for a write-checkpoint message). */
  commitTarget(mark = 0n): bigint {
    let t = this.stored;
    if (this.pending > t) t = this.pending;
    if (mark > t) t = mark;
    return t;
  }

  /** A storage commit at `lsn` landed. */
  committed(lsn: bigint): void {
    if (lsn > this.stored) this.stored = lsn;
    if (lsn > this.durable) this.durable = lsn;
    this.pending = 0n;
  }

  /** The open storage transaction was rolled back; `P` is re-read from storage by the caller (R6). */
  reset(stored: bigint): void {
    this.stored = stored;
    if (this.durable < stored) this.durable = stored;
    this.pending = 0n;
  }

  /** R5: what may be reported to Postgres as flushed. */
  get ackable(): bigint {
    return this.durable;
  }
}
