import { JSONBig } from '@powersync/service-jsonbig';
import type { ResolvedBucket } from '@powersync/service-sync-rules';
import { type Logger, SyncError } from '@syncline/errors';
import type { SyncRules } from '../rules/index.js';
import type { BucketUpdate, CheckpointEvent } from '../storage/events.js';
import type { BucketState, BucketStore, OpsRange } from '../storage/store.js';
import type { StreamHub } from './hub.js';
import {
  type BucketChecksum,
  checkpointCompleteLine,
  checkpointDiffLine,
  checkpointLine,
  dataLine,
  type StreamInfo,
  tokenExpiresLine,
} from './lines.js';
import type { RecentOps } from './recent-ops.js';
import type { SyncRequestBody } from './request.js';

/** Where a stream writes its lines (an HTTP response, possibly gzipped). */
export interface LineSink {
  /** Writes a line; resolves once the transport accepted it (respects backpressure). */
  write(line: string): Promise<void>;
  /** Pushes buffered (compressed) bytes to the client. */
  flush(): Promise<void>;
  end(): void;
  readonly closed: boolean;
}

/** Shared dependencies of all streams. */
export interface StreamContext {
  store: BucketStore;
  rules: () => SyncRules;
  cache: RecentOps;
  hub: StreamHub;
  logger: Logger;
  maxBuckets: number;
  maxParameterRows: number;
  opsPerLine: number;
  keepaliveMs: number;
  metrics: {
    linesSent: number;
    opsSent: number;
    bytesSent: number;
    checkpointsSent: number;
    abandoned: number;
  };
}

/** One connection's identity and request. */
export interface StreamRequest {
  userId: string;
  clientId: string;
  /** Token expiry, seconds since the epoch. */
  tokenExp: number;
  jwtPayload: Record<string, unknown>;
  body: SyncRequestBody;
}

interface KnownBucket extends BucketState {
  priority: number;
  definitionIndex?: number;
  subscriptions?: number[];
}

/**
 * One `/sync/stream` connection: the state machine of `SPEC.md`. Sends a full checkpoint with its data,
 * then a diff + data + complete after every change that affects the connection's buckets, parameter
 * lookups or write checkpoint, plus `token_expires_in` keepalives until the token expires.
 */
export class SyncStream {
  private readonly ctx: StreamContext;
  private readonly req: StreamRequest;
  private readonly sink: LineSink;
  private readonly log: Logger;
  private known = new Map<string, KnownBucket>();
  private positions = new Map<string, bigint>();
  private lookups = new Set<string>();
  private bucketJson = new Map<string, string>();
  private head = -1n;
  private writeCheckpoint: bigint | null = null;
  private streamsInfo: StreamInfo[] = [];
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
  /** A consistent re-read is in progress. */
  private reading = false;
  private timers: NodeJS.Timeout[] = [];

  constructor(ctx: StreamContext, req: StreamRequest, sink: LineSink) {
    this.ctx = ctx;
    this.req = req;
    this.sink = sink;
    this.log = ctx.logger.child({ user: req.userId, client: req.clientId });
    for (const b of req.body.buckets) this.positions.set(b.name, BigInt(b.after));
  }

  /** Runs until the token expires, the client goes away or {@link close} is called. */
  async run(): Promise<void> {
    const rules = this.ctx.rules();
    const { querier, errors } = rules.querier(this.req.jwtPayload, this.req.body);
    this.buildStreamsInfo(rules, errors);
    this.ctx.hub.add(this, this.req.userId, this.req.clientId);
    this.scheduleTimers();
    try {
      await this.checkpoint(querier, true);
      while (!this.closed && !this.sink.closed) {
        await this.waitForWork();
        if (this.closed || this.sink.closed) break;
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

  /** Ends the stream (server shutdown or client gone). */
  close(): void {
    this.closed = true;
    this.wake?.();
  }

  // ── events (from the hub, synchronous) ─────────────────────────────────────────────
  onCheckpoint(event: CheckpointEvent): void {
    if (event.reset) {
      // storage may hold commits no event announced: re-read consistently (SPEC.md R6)
      this.pendingLookups = true;
      this.wake?.();
      return;
    }
    if (event.head > this.pendingHead) this.pendingHead = event.head;
    let relevant = false;
    for (const [bucket, update] of event.buckets) {
      // While reading a new bucket set, keep every update: a bucket about to be followed must not miss one.
      if (!this.reading && this.head >= 0n && !this.known.has(bucket)) continue;
      const prev = this.pendingStates.get(bucket);
      if (!prev || update.lastOpId > prev.lastOpId) this.pendingStates.set(bucket, update);
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
  private async checkpoint(
    querier: ReturnType<SyncRules['querier']>['querier'],
    first: boolean,
  ): Promise<void> {
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
      // Until `follow` below, the hub hands this stream every event (buckets it is about to follow included).
      this.ctx.hub.watchAll(this);
      this.reading = true;
      let read: Awaited<ReturnType<SyncStream['readConsistent']>>;
      try {
        read = await this.readConsistent(querier);
      } finally {
        this.reading = false;
      }
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
    if (!first && updated.length === 0 && removed.length === 0 && wc === this.writeCheckpoint) {
      if (slow) {
        const before = { buckets: [...this.known.keys()], lookups: [...this.lookups] };
        this.lookups = nextLookups;
        this.ctx.hub.follow(this, before, { buckets: this.known.keys(), lookups: this.lookups });
      }
      if (head > this.head) this.head = head;
      return;
    }
    if (head < this.head) head = this.head; // never go backwards (I6)

    const before = { buckets: [...this.known.keys()], lookups: [...this.lookups] };
    this.known = next;
    this.lookups = nextLookups;
    for (const b of removed) {
      this.positions.delete(b);
      this.bucketJson.delete(b);
    }
    if (slow) this.ctx.hub.follow(this, before, { buckets: this.known.keys(), lookups: this.lookups });
    this.head = head;
    this.writeCheckpoint = wc;

    const list = (names: string[]) => names.map((b) => this.checksumEntry(b));
    if (first) {
      // The client drops every bucket a full checkpoint does not list, so a position it sent for such a
      // bucket is gone with it: if the bucket comes back later it is sent from the start.
      for (const b of [...this.positions.keys()]) if (!next.has(b)) this.positions.delete(b);
      await this.write(checkpointLine(head, wc, list([...next.keys()]), this.streamsInfo));
    } else {
      await this.write(checkpointDiffLine(head, wc, list(updated), removed));
    }
    this.ctx.metrics.checkpointsSent++;
    this.log.debug('checkpoint sent', {
      head: String(head),
      updated: updated.length,
      removed: removed.length,
      wc: wc === null ? null : String(wc),
      slow,
      first,
      buckets: updated.map((b) => {
        const k = next.get(b)!;
        return `${b}:${k.checksum}/${k.count}/${k.lastOpId}@${this.positions.get(b) ?? 0n}`;
      }),
      removedBuckets: removed,
    });
    const complete = await this.sendData(updated, head);
    if (!complete) {
      this.ctx.metrics.abandoned++;
      for (const b of updated) this.incomplete.add(b);
      this.pendingLookups = true; // re-read consistently and continue with a newer checkpoint (I3)
      return;
    }
    this.incomplete.clear();
    await this.write(checkpointCompleteLine(head));
    await this.sink.flush();
    // A bucket's position is the last op its state covers (not the head): a state that lags the head can
    // then never make the stream skip that bucket's later ops.
    for (const [b, k] of next) {
      const p = k.lastOpId < head ? k.lastOpId : head;
      if (p > (this.positions.get(b) ?? -1n)) this.positions.set(b, p);
    }
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

  /** Bucket set and states at one checkpoint, read in one REPEATABLE READ transaction. */
  private async readConsistent(querier: ReturnType<SyncRules['querier']>['querier']) {
    const { store } = this.ctx;
    return store.consistentRead(async (db, at) => {
      if (!at.snapshotDone)
        throw new SyncError('SYNC_NOT_READY', 'The initial replication is still running; retry shortly');
      const resolved: ResolvedBucket[] = [...querier.staticBuckets];
      const lookups = new Set<string>();
      if (querier.hasDynamicBuckets) {
        let paramRows = 0;
        const dynamic = await querier.queryDynamicBucketDescriptions({
          getParameterSets: async (requested) => {
            const keys = requested.map((l) => l.serializedRepresentation);
            for (const k of keys) lookups.add(k);
            const stored = await store.parameterSets(db, keys);
            return requested.map((lookup, i) => {
              const rows = (stored.get(keys[i]!) ?? []).flatMap(
                (p) => JSONBig.parse(p) as Record<string, unknown>[],
              );
              paramRows += rows.length;
              if (paramRows > this.ctx.maxParameterRows) {
                throw new SyncError(
                  'SYNC_TOO_MANY_BUCKETS',
                  `Parameter queries returned more than ${this.ctx.maxParameterRows} rows for this user`,
                );
              }
              return { lookup, rows: rows as never };
            });
          },
        });
        resolved.push(...dynamic);
      }
      const merged = new Map<string, { priority: number; reasons: ResolvedBucket['inclusion_reasons'] }>();
      for (const r of resolved) {
        const m = merged.get(r.bucket);
        if (m) {
          m.priority = Math.min(m.priority, r.priority);
          m.reasons = [...m.reasons, ...r.inclusion_reasons];
        } else merged.set(r.bucket, { priority: r.priority, reasons: [...r.inclusion_reasons] });
        const def = (r as { definition?: string }).definition;
        if (def !== undefined) (merged.get(r.bucket) as { definition?: string }).definition = def;
      }
      if (merged.size > this.ctx.maxBuckets) {
        throw new SyncError(
          'SYNC_TOO_MANY_BUCKETS',
          `This user has ${merged.size} buckets; the limit is ${this.ctx.maxBuckets}`,
        );
      }
      const states = await store.bucketStates(db, [...merged.keys()]);
      const buckets = new Map<string, KnownBucket>();
      for (const [name, m] of merged) {
        const s = states.get(name) ?? { checksum: 0, count: 0, lastOpId: 0n, compactedThrough: 0n };
        const def = (m as { definition?: string }).definition;
        const subs = m.reasons
          .filter((r): r is { subscription: number } => typeof r === 'object')
          .map((r) => r.subscription);
        const defIndex =
          m.reasons.includes('default') && def !== undefined ? this.definitionIndex.get(def) : undefined;
        buckets.set(name, {
          ...s,
          priority: m.priority,
          ...(defIndex !== undefined ? { definitionIndex: defIndex } : {}),
          ...(subs.length ? { subscriptions: subs } : {}),
        });
      }
      const writeCheckpoint = this.req.clientId
        ? await store.reachedWriteCheckpoint(db, this.req.userId, this.req.clientId, at.lsn)
        : null;
      return { head: at.head, buckets, writeCheckpoint, lookups };
    });
  }

  private buildStreamsInfo(
    rules: SyncRules,
    errors: { descriptor: string; message: string; subscription?: number }[],
  ): void {
    const requested = new Set((this.req.body.streams?.subscriptions ?? []).map((s) => s.stream));
    const includeDefaults = this.req.body.streams?.include_defaults ?? true;
    this.streamsInfo = [];
    for (const d of rules.definitions()) {
      if (!(d.isDefault && includeDefaults) && !requested.has(d.name)) continue;
      this.definitionIndex.set(d.name, this.streamsInfo.length);
      this.streamsInfo.push({
        name: d.name,
        is_default: d.isDefault,
        errors: errors
          .filter((e) => e.descriptor === d.name)
          .map((e) => ({ subscription: e.subscription ?? 'default', message: e.message })),
      });
    }
  }

  // ── data ────────────────────────────────────────────────────────────────────────────
  /** Sends ops `(position, head]` of the given buckets, by priority. False if compaction forced an abandon. */
  private async sendData(buckets: string[], head: bigint): Promise<boolean> {
    const order = buckets
      .map((b) => ({ b, p: this.known.get(b)!.priority }))
      .sort((x, y) => x.p - y.p || (x.b < y.b ? -1 : 1))
      .map((x) => x.b);
    for (const bucket of order) {
      const state = this.known.get(bucket)!;
      const target = state.lastOpId < head ? state.lastOpId : head;
      let pos = this.positions.get(bucket) ?? 0n;
      if (pos >= target) continue;
      let json = this.bucketJson.get(bucket);
      if (!json) {
        json = JSON.stringify(bucket);
        this.bucketJson.set(bucket, json);
      }
      let next: Promise<OpsRange> | null = this.fetch(bucket, pos, target);
      while (next && !this.closed) {
        const range = await next;
        if (range.count === 0) break;
        const after = pos;
        pos = range.lastOpId;
        this.positions.set(bucket, pos);
        next = pos < target ? this.fetch(bucket, pos, target) : null; // prefetch while writing
        if (this.log.level === 'debug')
          this.log.debug('data sent', {
            bucket,
            after: String(after),
            to: String(pos),
            count: range.count,
            target: String(target),
          });
        await this.write(dataLine(json, after, pos, pos < target, range.joined), range.count);
        await this.sink.flush();
      }
      if (next) await next.catch(() => undefined);
    }
    for (const b of order) if (this.compactedDuringSend.has(b)) return false;
    return !this.closed;
  }

  private fetch(bucket: string, after: bigint, upTo: bigint): Promise<OpsRange> {
    const cached = this.ctx.cache.get(bucket, after, upTo, this.ctx.opsPerLine);
    if (cached && (cached.count === this.ctx.opsPerLine || cached.lastOpId === upTo))
      return Promise.resolve(cached);
    return this.ctx.store.readOps(bucket, after, upTo, this.ctx.opsPerLine);
  }

  private async write(line: string, ops = 0): Promise<void> {
    if (this.sink.closed) {
      this.closed = true;
      return;
    }
    const m = this.ctx.metrics;
    m.linesSent++;
    m.opsSent += ops;
    m.bytesSent += line.length;
    await this.sink.write(line);
  }

  // ── keepalive and token expiry (I9) ─────────────────────────────────────────────────
  private scheduleTimers(): void {
    const expiresIn = () => this.req.tokenExp - Date.now() / 1000;
    const keepalive = () => {
      const jitter = this.ctx.keepaliveMs * (0.9 + Math.random() * 0.2);
      const t = setTimeout(() => {
        if (this.closed) return;
        void this.write(tokenExpiresLine(expiresIn())).then(() => this.sink.flush());
        keepalive();
      }, jitter);
      t.unref();
      this.timers.push(t);
    };
    keepalive();
    const warnAt = Math.max(0, (expiresIn() - 20) * 1000);
    const warn = setTimeout(() => {
      if (!this.closed)
        void this.write(tokenExpiresLine(Math.min(30, expiresIn()))).then(() => this.sink.flush());
    }, warnAt);
    warn.unref();
    const end = setTimeout(
      () => {
        if (this.closed) return;
        void this.write(tokenExpiresLine(0)).then(() => {
          this.log.info('token expired; ending stream');
          this.close();
          this.sink.end();
        });
      },
      Math.max(0, expiresIn() * 1000),
    );
    end.unref();
    this.timers.push(warn, end);
  }
}
