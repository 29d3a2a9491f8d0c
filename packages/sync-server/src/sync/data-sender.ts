import { partialCheckpointCompleteLine } from '../protocol/lines.js';
import type { BucketStore, OpsRange } from '../storage/store.js';
import type { LineOutput } from './output.js';
import type { RecentOps } from './recent-ops.js';
import { EMPTY_MAP } from './session-events.js';

/** A bucket to send data for, with the state the checkpoint announced. */
export interface BucketToSend {
  bucket: string;
  priority: number;
  lastOpId: bigint;
}

/**
 * The data half of a session: per-bucket positions (I2) and the `data` / `partial_checkpoint_complete`
 * lines of one checkpoint, highest priority first (I12).
 */
export class DataSender {
  /**
   * Per bucket, the op id of the last op the client has (from the request, then advanced as sent). Created
   * on first use (an idle stream of a client that starts empty holds none).
   */
  private positions: Map<string, bigint> = EMPTY_MAP;

  constructor(
    private readonly deps: { store: BucketStore; cache: RecentOps; opsPerLine: number },
    private readonly out: LineOutput,
    /** The session (an object, not a closure: one less per idle stream). */
    private readonly session: { isDone(): boolean },
    initial: Iterable<{ name: string; after: string }>,
  ) {
    for (const b of initial) this.setPosition(b.name, BigInt(b.after));
  }

  private isDone(): boolean {
    return this.session.isDone();
  }

  private setPosition(bucket: string, position: bigint): void {
    if (this.positions === EMPTY_MAP) this.positions = new Map();
    this.positions.set(bucket, position);
  }

  /**
   * Sends ops `(position, head]` of `buckets`, highest priority (lowest number) first. After each priority
   * group that another group follows, and after a priority-0 group (which the client may apply while
   * uploads are pending), sends `partial_checkpoint_complete`. False if a bucket in `compacted` (rewritten
   * while being sent) forces the checkpoint to be abandoned, or the session ended (I3).
   */
  async send(
    buckets: readonly BucketToSend[],
    head: bigint,
    compacted: { has(bucket: string): boolean },
  ): Promise<boolean> {
    const order = [...buckets].sort((x, y) => x.priority - y.priority || (x.bucket < y.bucket ? -1 : 1));
    for (let i = 0; i < order.length; i++) {
      const { priority } = order[i]!;
      await this.sendBucket(order[i]!, head);
      if (this.isDone()) return false;
      const nextPriority = order[i + 1]?.priority;
      if (nextPriority === priority || (nextPriority === undefined && priority !== 0)) continue;
      for (let j = 0; j <= i; j++) if (compacted.has(order[j]!.bucket)) return false;
      await this.out.line(partialCheckpointCompleteLine(head, priority));
      await this.out.flush();
    }
    for (const { bucket } of order) if (compacted.has(bucket)) return false;
    return !this.isDone();
  }

  /**
   * After `checkpoint_complete`: the client holds every op of these buckets up to the last op their announced
   * state covers (not the head — a state that lags the head must never make a later send skip ops; I12).
   */
  completed(buckets: Iterable<{ bucket: string; lastOpId: bigint }>, head: bigint): void {
    for (const { bucket, lastOpId } of buckets) {
      const p = lastOpId < head ? lastOpId : head;
      if (p > (this.positions.get(bucket) ?? -1n)) this.setPosition(bucket, p);
    }
  }

  /**
   * Drops the positions of buckets the first (full) checkpoint does not list: the client deletes those
   * buckets, so one that comes back must be sent from the start (I13).
   */
  keepOnly(buckets: ReadonlySet<string>): void {
    for (const b of [...this.positions.keys()]) if (!buckets.has(b)) this.positions.delete(b);
  }

  /** The bucket left the connection. */
  forget(bucket: string): void {
    this.positions.delete(bucket);
  }

  private async sendBucket({ bucket, lastOpId }: BucketToSend, head: bigint): Promise<void> {
    const target = lastOpId < head ? lastOpId : head;
    let pos = this.positions.get(bucket) ?? 0n;
    if (pos >= target) return;
    let next: Promise<OpsRange> | null = this.fetch(bucket, pos, target);
    while (next && !this.isDone()) {
      const range = await next;
      if (range.count === 0) break;
      const after = pos;
      pos = range.lastOpId;
      this.setPosition(bucket, pos);
      next = pos < target ? this.fetch(bucket, pos, target) : null; // prefetch while writing
      await this.out.data(bucket, after, pos, pos < target, range);
      await this.out.flush();
    }
    if (next) await next.catch(() => undefined);
  }

  private fetch(bucket: string, after: bigint, upTo: bigint): Promise<OpsRange> {
    const { cache, store, opsPerLine } = this.deps;
    const encoding = this.out.encoding;
    const cached = cache.get(bucket, after, upTo, opsPerLine, encoding);
    if (cached && (cached.count === opsPerLine || cached.lastOpId === upTo)) return Promise.resolve(cached);
    return store.readOps(bucket, after, upTo, opsPerLine, encoding);
  }
}
