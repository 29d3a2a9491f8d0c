import type { BucketUpdate, CheckpointEvent } from '../storage/events.js';
import type { KnownBucket } from './resolve.js';

/** How a session ended: `failed` with the error, or not. */
export type SessionEnd = (failed: boolean, error: unknown) => void;

/** Shared empty stand-ins (never written: every writer replaces them with its own collection first). */
export const EMPTY_MAP = new Map<never, never>();
export const EMPTY_SET = new Set<never>();

/**
 * The event side of a sync session (SPEC.md, Events): checkpoint events and reached write checkpoints
 * arrive synchronously from the hub and only record pending work (latest state wins, I8) and wake the
 * session, which takes that work in {@link SyncSession}'s next checkpoint. No suspended `async` loop per
 * session: a checkpoint chain runs while there is work; an idle session is just its fields.
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
  /** Called when the session ends; null before it starts and after the end. */
  private onEnd: SessionEnd | null = null;
  /** A checkpoint is being read or sent. */
  private busy = false;
  private wakeQueued = false;

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

  // ── the run: a checkpoint chain while there is work, nothing waiting while idle ────────────────────
  /**
   * Runs until the token expires, the client goes away or {@link close} is called; resolves then (rejects
   * with what failed). For callers that want a promise; the endpoint uses {@link start}.
   */
  run(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.start((failed, error) => (failed ? reject(error) : resolve()));
    });
  }

  /** Starts the session; `onEnd` is called once when it ends (`failed` with the error that ended it). */
  abstract start(onEnd: SessionEnd): void;

  /** Ends the session (server shutdown, client gone, stream cancelled). */
  close(): void {
    this.closed = true;
    this.wakeUp();
  }

  abstract isDone(): boolean;

  /** Reads and sends one checkpoint with the pending work. */
  protected abstract checkpoint(opening: null): Promise<void>;

  /** Called once when the session ends, before `onEnd`. */
  protected abstract stopped(): void;

  /** From {@link start}: `first` registers the session and runs its first checkpoint. */
  protected begin(onEnd: SessionEnd, first: () => Promise<void>): void {
    this.onEnd = onEnd;
    this.busy = true;
    first().then(
      () => this.checkpointed(),
      (e: unknown) => this.finish(true, e),
    );
  }

  private checkpointed(): void {
    this.busy = false;
    this.pump();
  }

  /** Takes pending work: ends the session once done, starts the next checkpoint if there is work. */
  private pump(): void {
    if (this.busy || this.onEnd === null) return;
    if (this.isDone()) {
      this.finish(false, undefined);
      return;
    }
    if (!this.hasWork()) return; // idle until the next wake
    this.busy = true;
    this.checkpoint(null).then(
      () => this.checkpointed(),
      (e: unknown) => this.finish(true, e),
    );
  }

  /** From events and {@link close}: takes the work in a microtask (after the hub's publish returns). */
  private wakeUp(): void {
    if (this.busy || this.wakeQueued || this.onEnd === null) return;
    this.wakeQueued = true;
    queueMicrotask(() => {
      this.wakeQueued = false;
      this.pump();
    });
  }

  private finish(failed: boolean, error: unknown): void {
    const onEnd = this.onEnd;
    if (onEnd === null) return;
    this.onEnd = null;
    this.closed = true;
    this.busy = false;
    this.stopped();
    onEnd(failed, error);
  }
}
