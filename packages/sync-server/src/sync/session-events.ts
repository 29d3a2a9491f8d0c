import type { BucketUpdate, CheckpointEvent } from '../storage/events.js';
import type { KnownBucket } from './resolve.js';

/** Shared empty stand-ins (never written: every writer replaces them with its own collection first). */
export const EMPTY_MAP = new Map<never, never>();
export const EMPTY_SET = new Set<never>();

/**
 * The event side of a sync session (SPEC.md, Events): checkpoint events and reached write checkpoints
 * arrive synchronously from the hub and only record pending work (latest state wins, I8) and wake the
 * session's loop, which takes that work in {@link SyncSession}'s next checkpoint.
 */
export abstract class SessionEvents {
  // Thousands of sessions sit idle at once: collections that are usually empty are created on first use
  // (EMPTY stands in meanwhile), to keep an idle stream small.
  protected known: Map<string, KnownBucket> = EMPTY_MAP;
  protected lookups: ReadonlySet<string> = EMPTY_SET;
  protected head = -1n;
  protected writeCheckpoint: bigint | null = null;

  // pending work (set by events, taken by the loop)
  protected pendingStates: Map<string, BucketUpdate> = EMPTY_MAP;
  protected pendingHead = 0n;
  protected pendingLookups = false;
  protected pendingWc: bigint | null = null;
  protected compactedDuringSend: Set<string> = EMPTY_SET;
  protected closed = false;
  /** A consistent re-read is in progress (every event is kept meanwhile, I12). */
  protected reading = false;

  // ── events (from the hub, synchronous) ─────────────────────────────────────────────
  onCheckpoint(event: CheckpointEvent): void {
    if (event.reset) {
      // storage may hold commits no event announced: re-read consistently (SPEC.md R6)
      this.pendingLookups = true;
      this.wakeUp();
      return;
    }
    if (event.head > this.pendingHead) this.pendingHead = event.head;
    let relevant = false;
    for (const [bucket, update] of event.buckets) {
      // While reading a new bucket set, keep every update: a bucket about to be followed must not miss one.
      if (!this.reading && this.head >= 0n && !this.known.has(bucket)) continue;
      const prev = this.pendingStates.get(bucket);
      if (!prev || update.lastOpId > prev.lastOpId) {
        if (this.pendingStates === EMPTY_MAP) this.pendingStates = new Map();
        this.pendingStates.set(bucket, update);
      }
      relevant = true;
    }
    for (const l of event.lookups) {
      if (this.reading || this.head < 0n || this.lookups.has(l)) {
        this.pendingLookups = true;
        relevant = true;
      }
    }
    for (const b of event.compacted) {
      if (this.known.has(b)) {
        if (this.compactedDuringSend === EMPTY_SET) this.compactedDuringSend = new Set();
        this.compactedDuringSend.add(b);
        this.pendingLookups = true; // forces a consistent re-read
        relevant = true;
      }
    }
    if (relevant) this.wakeUp();
  }

  onWriteCheckpoint(id: bigint): void {
    if (this.pendingWc === null || id > this.pendingWc) this.pendingWc = id;
    this.wakeUp();
  }

  protected hasWork(): boolean {
    return (
      this.pendingStates.size > 0 ||
      this.pendingLookups ||
      (this.pendingWc !== null && this.pendingWc !== this.writeCheckpoint)
    );
  }

  /** There may be work (or the session was closed): the session takes it after the current publish. */
  protected abstract wakeUp(): void;
}
