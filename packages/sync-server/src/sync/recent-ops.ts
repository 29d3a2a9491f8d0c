import type { BucketUpdate } from '../storage/events.js';
import type { OpsRange } from '../storage/store.js';

interface Entry {
  /** Covers ops with `from < op_id ≤ last`. */
  from: bigint;
  opIds: bigint[];
  lines: string[];
  bytes: number;
}

/**
 * The ops of recent commits, per bucket, kept in memory so live fan-out (one change → many streams of
 * the same bucket) is served without a storage query per stream. Bounded by ops per bucket and total bytes;
 * a miss just means a storage read.
 */
export class RecentOps {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(
    private readonly maxBytes = 32 * 1024 * 1024,
    private readonly maxOpsPerBucket = 2000,
  ) {}

  /** Records the ops a commit added to a bucket. */
  add(bucket: string, ops: NonNullable<BucketUpdate['ops']>): void {
    if (ops.opIds.length === 0) return;
    let e = this.entries.get(bucket);
    const last = e?.opIds[e.opIds.length - 1] ?? e?.from;
    if (!e || last !== ops.prevLastOpId) {
      if (e) this.bytes -= e.bytes;
      e = { from: ops.prevLastOpId, opIds: [], lines: [], bytes: 0 };
    }
    this.entries.delete(bucket); // re-insert: Map order is recency order
    this.entries.set(bucket, e);
    for (let i = 0; i < ops.opIds.length; i++) {
      e.opIds.push(ops.opIds[i]!);
      e.lines.push(ops.lines[i]!);
      e.bytes += ops.lines[i]!.length;
      this.bytes += ops.lines[i]!.length;
    }
    if (e.opIds.length > this.maxOpsPerBucket) {
      const drop = e.opIds.length - this.maxOpsPerBucket;
      e.from = e.opIds[drop - 1]!;
      for (const l of e.lines.slice(0, drop)) {
        e.bytes -= l.length;
        this.bytes -= l.length;
      }
      e.opIds = e.opIds.slice(drop);
      e.lines = e.lines.slice(drop);
    }
    for (const [b, old] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(b);
      this.bytes -= old.bytes;
    }
  }

  /** Forgets everything. */
  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  /** Forgets a bucket (its ops were rewritten by compaction). */
  invalidate(bucket: string): void {
    const e = this.entries.get(bucket);
    if (e) {
      this.bytes -= e.bytes;
      this.entries.delete(bucket);
    }
  }

  /** Ops with `after < op_id ≤ upTo` (at most `limit`), or null when the cache does not cover `after`. */
  get(bucket: string, after: bigint, upTo: bigint, limit: number): OpsRange | null {
    const e = this.entries.get(bucket);
    if (!e || after < e.from) return null;
    let lo = 0;
    let hi = e.opIds.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (e.opIds[mid]! <= after) lo = mid + 1;
      else hi = mid;
    }
    const parts: string[] = [];
    let last = 0n;
    for (let i = lo; i < e.opIds.length && parts.length < limit; i++) {
      if (e.opIds[i]! > upTo) break;
      parts.push(e.lines[i]!);
      last = e.opIds[i]!;
    }
    return { lastOpId: last, count: parts.length, joined: parts.join(',') };
  }

  get size(): number {
    return this.bytes;
  }
}
