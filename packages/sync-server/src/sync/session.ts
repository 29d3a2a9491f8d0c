import type { Logger } from '@syncline/errors';
import type { SyncRules } from '../rules/index.js';
import type { BucketUpdate, CheckpointEvent } from '../storage/events.js';
import type { BucketStore, OpsRange } from '../storage/store.js';
import type { StreamHub } from './hub.js';
import {
  type BucketChecksum,
  checkpointCompleteLine,
  checkpointDiffLine,
  checkpointLine,
  partialCheckpointCompleteLine,
  type StreamInfo,
  tokenExpiresLine,
} from './lines.js';
import type { LineOutput, OutputMetrics } from './output.js';
import type { RecentOps } from './recent-ops.js';
import type { SyncRequestBody } from './request.js';
import { type KnownBucket, type Querier, resolveCheckpoint, streamsInfo } from './resolve.js';

/** Shared dependencies of all sessions. */
export interface SessionContext {
  store: BucketStore;
  rules: () => SyncRules;
  cache: RecentOps;
  hub: StreamHub;
  logger: Logger;
  maxBuckets: number;
  maxParameterRows: number;
  opsPerLine: number;
  keepaliveMs: number;
  metrics: OutputMetrics & { checkpointsSent: number; abandoned: number };
}

/** One connection's identity and request. */
export interface SessionRequest {
  userId: string;
  clientId: string;
  /** Token expiry, seconds since the epoch. */
  tokenExp: number;
  jwtPayload: Record<string, unknown>;
  body: SyncRequestBody;
}

/**
 * One sync stream, whatever the transport (HTTP NDJSON, HTTP BSON, RSocket): the state machine of
 * `SPEC.md`. Sends a full checkpoint with its data, then a diff + data + complete after every change that
 * affects the connection's buckets, parameter lookups or write checkpoint, plus `token_expires_in`
 * keepalives until the token expires. Data goes out highest priority first, with a
 * `partial_checkpoint_complete` after each priority group.
 */
export class SyncSession {
  private readonly log: Logger;
  private known = new Map<string, KnownBucket>();
  private positions = new Map<string, bigint>();
  private lookups = new Set<string>();
  private head = -1n;
  private writeCheckpoint: bigint | null = null;
  private streams: StreamInfo[] = [];
  private definitionIndex = new Map<string, number>();

  // pending work (set by events, taken by the loop)
  private pendingStates = new Map<string, BucketUpdate>();
  private pendingHead = 0n;
  private pendingLookups = false;
  private pendingWc: bigint | null = null;
  private compactedDuringSend = new Set<string>();
  /** Buckets whose data was cut short by an abandoned checkpoint: always resent. */
  private incomplete = new Set<string>();
  private wake: (() => void) | null = null;
  private closed = false;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly ctx: SessionContext,
    private readonly req: SessionRequest,
    private readonly out: LineOutput,
  ) {
    this.log = ctx.logger.child({ user: req.userId, client: req.clientId });
    for (const b of req.body.buckets) this.positions.set(b.name, BigInt(b.after));
  }

  /** Runs until the token expires, the client goes away or {@link close} is called. */
  async run(): Promise<void> {
    const rules = this.ctx.rules();
    const { querier, errors } = rules.querier(this.req.jwtPayload, this.req.body);
    ({ streams: this.streams, definitionIndex: this.definitionIndex } = streamsInfo(
      rules,
      this.req.body,
      errors,
    ));
    this.ctx.hub.add(this, this.req.userId, this.req.clientId);
    this.scheduleTimers();
    try {
      await this.checkpoint(querier, true);
      while (!this.isDone()) {
        await this.waitForWork();
        if (this.isDone()) break;
        await this.checkpoint(querier, false);
      }
    } finally {
      this.closed = true;
      for (const t of this.timers) clearTimeout(t);
      this.ctx.hub.remove(this, this.req.userId, this.req.clientId, {
        buckets: this.known.keys(),
        lookups: this.lookups,
      });
    }
  }

  /** Who is connected and how much they hold, for metrics. */
  summary(): { userId: string; clientId: string; buckets: number; ops: number; head: bigint } {
    let ops = 0;
    for (const k of this.known.values()) ops += k.count;
    return {
      userId: this.req.userId,
      clientId: this.req.clientId,
      buckets: this.known.size,
      ops,
      head: this.head,
    };
  }

  /** Ends the session (server shutdown, client gone, stream cancelled). */
  close(): void {
    this.closed = true;
    this.wake?.();
  }

  private isDone(): boolean {
    return this.closed || this.out.closed;
  }

  // ── events (from the hub, synchronous) ─────────────────────────────────────────────
  onCheckpoint(event: CheckpointEvent): void {
    if (event.head > this.pendingHead) this.pendingHead = event.head;
    let relevant = false;
    for (const [bucket, update] of event.buckets) {
      if (this.head >= 0n && !this.known.has(bucket)) continue;
      const prev = this.pendingStates.get(bucket);
      if (!prev || update.lastOpId > prev.lastOpId) this.pendingStates.set(bucket, update);
      relevant = true;
    }
    for (const l of event.lookups) {
      if (this.head < 0n || this.lookups.has(l)) {
        this.pendingLookups = true;
        relevant = true;
      }
    }
    for (const b of event.compacted) {
      if (this.known.has(b)) {
        this.compactedDuringSend.add(b);
        this.pendingLookups = true; // forces a consistent re-read
        relevant = true;
      }
    }
    if (relevant) this.wake?.();
  }

  onWriteCheckpoint(id: bigint): void {
    if (this.pendingWc === null || id > this.pendingWc) this.pendingWc = id;
    this.wake?.();
  }

  private hasWork(): boolean {
    return (
      this.pendingStates.size > 0 ||
      this.pendingLookups ||
      (this.pendingWc !== null && this.pendingWc !== this.writeCheckpoint)
    );
  }

  private waitForWork(): Promise<void> {
    if (this.hasWork() || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = null;
        resolve();
      };
    });
  }

  // ── checkpoints ─────────────────────────────────────────────────────────────────────
  private async checkpoint(querier: Querier, first: boolean): Promise<void> {
    const slow = first || this.pendingLookups;
    const pendingStates = this.pendingStates;
    const pendingWc = this.pendingWc;
    this.pendingStates = new Map();
    this.pendingLookups = false;
    this.compactedDuringSend.clear();

    let head: bigint;
    let next: Map<string, KnownBucket>;
    let nextLookups = this.lookups;
    let wc = this.writeCheckpoint;
    if (slow) {
      const read = await resolveCheckpoint(querier, {
        store: this.ctx.store,
        maxBuckets: this.ctx.maxBuckets,
        maxParameterRows: this.ctx.maxParameterRows,
        userId: this.req.userId,
        clientId: this.req.clientId,
        definitionIndex: this.definitionIndex,
      });
      head = read.head;
      next = read.buckets;
      nextLookups = read.lookups;
      if (read.writeCheckpoint !== null && (wc === null || read.writeCheckpoint > wc))
        wc = read.writeCheckpoint;
      // Events newer than what we read stay pending.
      for (const [b, u] of pendingStates) {
        const k = next.get(b);
        if (k && u.lastOpId > k.lastOpId) this.pendingStates.set(b, u);
      }
    } else {
      // biome-ignore lint/complexity/useMathMinMax: bigints (Math.max does not take them)
      head = this.pendingHead > this.head ? this.pendingHead : this.head;
      next = new Map(this.known);
      for (const [b, u] of pendingStates) {
        const k = next.get(b);
        if (k && u.lastOpId > k.lastOpId)
          next.set(b, {
            ...k,
            checksum: u.checksum,
            count: u.count,
            lastOpId: u.lastOpId,
            compactedThrough: u.compactedThrough,
          });
      }
      if (pendingWc !== null && (wc === null || pendingWc > wc)) wc = pendingWc;
    }
    if (pendingWc !== null && pendingWc === this.pendingWc) this.pendingWc = null;

    const updated: string[] = [];
    for (const [b, k] of next) {
      const old = this.known.get(b);
      if (
        first ||
        !old ||
        this.incomplete.has(b) ||
        old.checksum !== k.checksum ||
        old.count !== k.count ||
        old.priority !== k.priority
      ) {
        updated.push(b);
      }
    }
    const removed = [...this.known.keys()].filter((b) => !next.has(b));
    const before = { buckets: [...this.known.keys()], lookups: [...this.lookups] };
    if (!first && updated.length === 0 && removed.length === 0 && wc === this.writeCheckpoint) {
      if (slow) {
        this.lookups = nextLookups;
        this.ctx.hub.follow(this, before, { buckets: this.known.keys(), lookups: this.lookups });
      }
      if (head > this.head) this.head = head;
      return;
    }
    if (head < this.head) head = this.head; // never go backwards (I6)

    this.known = next;
    this.lookups = nextLookups;
    for (const b of removed) this.positions.delete(b);
    if (slow) this.ctx.hub.follow(this, before, { buckets: this.known.keys(), lookups: this.lookups });
    this.head = head;
    this.writeCheckpoint = wc;

    const list = (names: string[]) => names.map((b) => this.checksumEntry(b));
    await this.out.line(
      first
        ? checkpointLine(head, wc, list([...next.keys()]), this.streams)
        : checkpointDiffLine(head, wc, list(updated), removed),
    );
    this.ctx.metrics.checkpointsSent++;
    this.log.debug('checkpoint sent', {
      head: String(head),
      updated: updated.length,
      removed: removed.length,
      wc: wc === null ? null : String(wc),
      slow,
    });
    const complete = await this.sendData(updated, head);
    if (!complete) {
      this.ctx.metrics.abandoned++;
      for (const b of updated) this.incomplete.add(b);
      this.pendingLookups = true; // re-read consistently and continue with a newer checkpoint (I3)
      return;
    }
    this.incomplete.clear();
    await this.out.line(checkpointCompleteLine(head));
    await this.out.flush();
    for (const b of next.keys()) this.positions.set(b, head);
  }

  private checksumEntry(bucket: string): BucketChecksum {
    const k = this.known.get(bucket)!;
    return {
      bucket,
      checksum: k.checksum,
      count: k.count,
      priority: k.priority,
      ...(k.definitionIndex !== undefined ? { definitionIndex: k.definitionIndex } : {}),
      ...(k.subscriptions?.length ? { subscriptions: k.subscriptions } : {}),
    };
  }

  // ── data ────────────────────────────────────────────────────────────────────────────
  /**
   * Sends ops `(position, head]` of the given buckets, highest priority (lowest number) first. After each
   * priority group that another group follows, and after a priority-0 group (which the client may apply
   * while uploads are pending), sends `partial_checkpoint_complete` (I12). False if compaction of a bucket
   * being sent forced an abandon, or the session ended.
   */
  private async sendData(buckets: string[], head: bigint): Promise<boolean> {
    const order = buckets
      .map((b) => ({ b, p: this.known.get(b)!.priority }))
      .sort((x, y) => x.p - y.p || (x.b < y.b ? -1 : 1));
    for (let i = 0; i < order.length; i++) {
      const { b: bucket, p: priority } = order[i]!;
      await this.sendBucket(bucket, head);
      if (this.isDone()) return false;
      const nextPriority = order[i + 1]?.p;
      if (nextPriority === priority || (nextPriority === undefined && priority !== 0)) continue;
      for (let j = 0; j <= i; j++) if (this.compactedDuringSend.has(order[j]!.b)) return false;
      await this.out.line(partialCheckpointCompleteLine(head, priority));
      await this.out.flush();
    }
    for (const { b } of order) if (this.compactedDuringSend.has(b)) return false;
    return !this.isDone();
  }

  private async sendBucket(bucket: string, head: bigint): Promise<void> {
    const state = this.known.get(bucket)!;
    const target = state.lastOpId < head ? state.lastOpId : head;
    let pos = this.positions.get(bucket) ?? 0n;
    if (pos >= target) return;
    let next: Promise<OpsRange> | null = this.fetch(bucket, pos, target);
    while (next && !this.isDone()) {
      const range = await next;
      if (range.count === 0) break;
      const after = pos;
      pos = range.lastOpId;
      this.positions.set(bucket, pos);
      next = pos < target ? this.fetch(bucket, pos, target) : null; // prefetch while writing
      await this.out.data(bucket, after, pos, pos < target, range);
      await this.out.flush();
    }
    if (next) await next.catch(() => undefined);
  }

  private fetch(bucket: string, after: bigint, upTo: bigint): Promise<OpsRange> {
    const { cache, store, opsPerLine } = this.ctx;
    const encoding = this.out.encoding;
    const cached = cache.get(bucket, after, upTo, opsPerLine, encoding);
    if (cached && (cached.count === opsPerLine || cached.lastOpId === upTo)) return Promise.resolve(cached);
    return store.readOps(bucket, after, upTo, opsPerLine, encoding);
  }

  // ── keepalive and token expiry (I9) ─────────────────────────────────────────────────
  private scheduleTimers(): void {
    const expiresIn = () => this.req.tokenExp - Date.now() / 1000;
    const send = (seconds: number) => {
      if (!this.isDone()) void this.out.line(tokenExpiresLine(seconds)).then(() => this.out.flush());
    };
    const keepalive = () => {
      const jitter = this.ctx.keepaliveMs * (0.9 + Math.random() * 0.2);
      const t = setTimeout(() => {
        send(expiresIn());
        keepalive();
      }, jitter);
      t.unref();
      this.timers.push(t);
    };
    keepalive();
    const warn = setTimeout(() => send(Math.min(30, expiresIn())), Math.max(0, (expiresIn() - 20) * 1000));
    const end = setTimeout(
      () => {
        if (this.isDone()) return;
        void this.out.line(tokenExpiresLine(0)).then(() => {
          this.log.info('token expired; ending stream');
          this.close();
          this.out.end();
        });
      },
      Math.max(0, expiresIn() * 1000),
    );
    warn.unref();
    end.unref();
    this.timers.push(warn, end);
  }
}
