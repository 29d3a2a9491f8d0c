import type { Logger } from '@syncline/errors';
import {
  type BucketChecksum,
  checkpointCompleteLine,
  checkpointDiffLine,
  checkpointLine,
  type StreamInfo,
} from '../protocol/lines.js';
import type { SyncRules } from '../rules/index.js';
import type { BucketStore } from '../storage/store.js';
import { DataSender } from './data-sender.js';
import type { StreamHub } from './hub.js';
import { TokenTimer, type TokenTimerOwner } from './keepalive.js';
import type { LineOutput, OutputMetrics } from './output.js';
import type { RecentOps } from './recent-ops.js';
import type { SyncRequestBody } from './request.js';
import { type KnownBucket, type Querier, resolveCheckpoint, streamsInfo } from './resolve.js';
import { EMPTY_MAP, EMPTY_SET, type SessionEnd, SessionEvents } from './session-events.js';
import type { TimerHeap } from './timer-heap.js';

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
  /** The one timer heap of every session's token lines. */
  timers: TimerHeap;
  metrics: OutputMetrics & { checkpointsSent: number; abandoned: number };
}

/** What the first checkpoint needs (built when the session starts, dropped after it). */
interface Opening {
  querier: Querier;
  streams: StreamInfo[];
  /** Definition / stream name → index in `streams`. */
  definitionIndex: ReadonlyMap<string, number>;
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
export class SyncSession extends SessionEvents implements TokenTimerOwner {
  // Thousands of sessions sit idle at once: the logger is created on first log line (and usually empty
  // collections on first use, see session-events.ts), to keep an idle stream small.
  private logger: Logger | null = null;
  private readonly data: DataSender;
  /** Buckets whose data was cut short by an abandoned checkpoint: always resent. */
  private incomplete: Set<string> = EMPTY_SET;
  /** The rules the session started with (shared by all sessions; re-reads rebuild their querier from them). */
  private rules: SyncRules | null = null;
  private timer: TokenTimer | null = null;

  private readonly req: SessionRequest;

  constructor(
    private readonly ctx: SessionContext,
    req: SessionRequest,
    private readonly out: LineOutput,
  ) {
    super();
    this.data = new DataSender(ctx, out, this, req.body.buckets);
    // The request's bucket positions now live in the data sender: not kept twice for the stream's life (a
    // reconnecting client lists every bucket it holds).
    this.req = req.body.buckets.length ? { ...req, body: { ...req.body, buckets: [] } } : req;
  }

  get userId(): string {
    return this.req.userId;
  }

  private get log(): Logger {
    this.logger ??= this.ctx.logger.child({ user: this.req.userId, client: this.req.clientId });
    return this.logger;
  }

  /**
   * Starts the session; `onEnd` is called once when it ends (`failed` with the error that ended it). No
   * suspended `async` loop: an idle session is this record, woken by the hub and its token timer.
   */
  start(onEnd: SessionEnd): void {
    let opening: Opening;
    try {
      const rules = this.ctx.rules();
      const { querier, errors } = rules.querier(this.req.jwtPayload, this.req.body);
      opening = { querier, ...streamsInfo(rules, this.req.body, errors) };
      this.rules = rules;
    } catch (e) {
      onEnd(true, e);
      return;
    }
    this.begin(onEnd, () => {
      this.ctx.hub.add(this, this.req.userId, this.req.clientId);
      this.timer = new TokenTimer(this.ctx.timers, this.out, this, this.ctx.keepaliveMs, this.req.tokenExp);
      this.timer.start();
      return this.checkpoint(opening);
    });
  }

  /** The session ended: no more token lines, no more events. */
  protected stopped(): void {
    this.timer?.stop();
    this.ctx.hub.remove(this, this.req.userId, this.req.clientId, {
      buckets: this.known.keys(),
      lookups: this.lookups,
    });
  }

  /** Token timer: the `0` line was written. */
  tokenExpired(): void {
    this.log.info('token expired; ending stream');
    this.close();
    this.out.end();
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

  isDone(): boolean {
    return this.closed || this.out.closed;
  }

  // ── checkpoints ─────────────────────────────────────────────────────────────────────
  /**
   * `opening`: what {@link start} built, for the first checkpoint only. Later re-reads rebuild their querier
   * and definition index from the same rules and request: kept, they would cost ≈ 1.2 KB per idle stream.
   */
  protected async checkpoint(opening: Opening | null): Promise<void> {
    const first = opening !== null;
    const slow = first || this.pendingLookups;
    const pendingStates = this.pendingStates;
    const pendingWc = this.pendingWc;
    this.pendingStates = EMPTY_MAP;
    this.pendingLookups = false;
    this.compactedDuringSend = EMPTY_SET;

    let head: bigint;
    let next: Map<string, KnownBucket>;
    let nextLookups = this.lookups;
    let wc = this.writeCheckpoint;
    if (slow) {
      // Until `follow` below, the hub hands this session every event (buckets it is about to follow included).
      this.ctx.hub.watchAll(this);
      this.reading = true;
      let read: Awaited<ReturnType<typeof resolveCheckpoint>>;
      try {
        const { querier, definitionIndex } = opening ?? this.reopen();
        read = await resolveCheckpoint(querier, {
          store: this.ctx.store,
          maxBuckets: this.ctx.maxBuckets,
          maxParameterRows: this.ctx.maxParameterRows,
          userId: this.req.userId,
          clientId: this.req.clientId,
          definitionIndex,
        });
      } finally {
        this.reading = false;
      }
      head = read.head;
      next = read.buckets;
      nextLookups = read.lookups.size > 0 ? read.lookups : EMPTY_SET;
      if (read.writeCheckpoint !== null && (wc === null || read.writeCheckpoint > wc))
        wc = read.writeCheckpoint;
      // Events newer than what we read stay pending.
      for (const [b, u] of pendingStates) {
        const k = next.get(b);
        if (k && u.lastOpId > k.lastOpId) {
          if (this.pendingStates === EMPTY_MAP) this.pendingStates = new Map();
          this.pendingStates.set(b, u);
        }
      }
    } else {
      // biome-ignore lint/complexity/useMathMinMax: bigints (Math.max does not take them)
      head = this.pendingHead > this.head ? this.pendingHead : this.head;
      next = new Map(this.known);
      for (const [b, u] of pendingStates) {
        const k = next.get(b);
        if (k && u.lastOpId > k.lastOpId)
          next.set(b, {
            checksum: u.checksum,
            count: u.count,
            lastOpId: u.lastOpId,
            compactedThrough: u.compactedThrough,
            priority: k.priority,
            definitionIndex: k.definitionIndex,
            subscriptions: k.subscriptions,
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
    for (const b of removed) this.data.forget(b);
    if (slow) this.ctx.hub.follow(this, before, { buckets: this.known.keys(), lookups: this.lookups });
    this.head = head;
    this.writeCheckpoint = wc;

    const list = (names: string[]) => names.map((b) => this.checksumEntry(b));
    if (first) this.data.keepOnly(new Set(next.keys()));
    await this.out.line(
      first
        ? checkpointLine(head, wc, list([...next.keys()]), opening.streams)
        : checkpointDiffLine(head, wc, list(updated), removed),
    );
    this.ctx.metrics.checkpointsSent++;
    // Only when debug logging is on: the fields cost per checkpoint, and the child logger per stream.
    if (this.ctx.logger.level === 'debug')
      this.log.debug('checkpoint sent', {
        head: String(head),
        updated: updated.length,
        removed: removed.length,
        wc: wc === null ? null : String(wc),
        slow,
        buckets: updated.map((b) => {
          const k = next.get(b)!;
          return `${b}:${k.checksum}/${k.count}/${k.lastOpId}`;
        }),
        removedBuckets: removed,
      });
    const toSend = updated.map((b) => {
      const k = this.known.get(b)!;
      return { bucket: b, priority: k.priority, lastOpId: k.lastOpId };
    });
    // A view, not the set: buckets compacted while this checkpoint is being sent are added by onCheckpoint.
    const compacted = { has: (b: string) => this.compactedDuringSend.has(b) };
    const complete = await this.data.send(toSend, head, compacted);
    if (!complete) {
      this.ctx.metrics.abandoned++;
      if (this.incomplete === EMPTY_SET) this.incomplete = new Set();
      for (const b of updated) this.incomplete.add(b);
      this.pendingLookups = true; // re-read consistently and continue with a newer checkpoint (I3)
      return;
    }
    this.incomplete = EMPTY_SET;
    await this.out.line(checkpointCompleteLine(head));
    await this.out.flush();
    this.data.completed(
      [...next].map(([bucket, k]) => ({ bucket, lastOpId: k.lastOpId })),
      head,
    );
  }

  /** The querier and definition index of a re-read (rare: parameter changes, compaction, a reset). */
  private reopen(): Pick<Opening, 'querier' | 'definitionIndex'> {
    const rules = this.rules!;
    const { querier } = rules.querier(this.req.jwtPayload, this.req.body);
    return { querier, definitionIndex: streamsInfo(rules, this.req.body, []).definitionIndex };
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
}
