import { type Logger, SyncError } from '@syncline/errors';
import type pg from 'pg';
import { createPool } from '../db/pool.js';
import { bigIntToLsn, lsnToBigInt } from '../protocol/lsn.js';
import { SyncRules } from '../rules/index.js';
import type { CompactionPolicy } from '../storage/compactor.js';
import type { CheckpointEvent } from '../storage/events.js';
import type { BucketStore, SyncState } from '../storage/store.js';
import { type RowChange, StorageWriter } from '../storage/writer.js';
import { ChangeDecoder } from './decoder.js';
import { ReplicationPosition } from './position.js';
import { addRulesTables, PublishedTables, sameDatabase } from './published-tables.js';
import { rebuildStorage } from './rebuild.js';
import { SESSION_OPTIONS, slotStatus } from './slot.js';
import { CatalogResolver } from './tables.js';
import { type PgMessage, type WalItem, WalStream } from './wal-stream.js';

/** Options for {@link Replicator}. */
export interface ReplicatorOptions {
  /** Source database (logical replication). */
  sourceUrl: string;
  store: BucketStore;
  rulesYaml: string;
  slotName: string;
  publication: string;
  logger: Logger;
  /** Called after every storage commit (and once after each restart with `reset: true`). */
  onCheckpoint: (event: CheckpointEvent) => void;
  /** Add the rules' source tables to the publication when missing. Default false. */
  managePublication?: boolean;
  /** How often to look for tables added to the publication. Default 30 000 ms. */
  publicationCheckMs?: number;
  /** Rows per storage chunk. */
  chunkOps?: number;
  /** Compaction thresholds. */
  compaction?: CompactionPolicy;
}

/** Replication status for probes and metrics. */
export type ReplicationStatus = 'starting' | 'snapshot' | 'streaming' | 'reconnecting' | 'stopped';

/**
 * Replicates the source database into bucket storage: builds storage from an exported snapshot when
 * needed, then streams pgoutput changes. Positions follow SPEC.md R1–R7: storage commits line up with source
 * commits (several may share one), transactions that touch no synced table never cause a storage write,
 * Postgres is told exactly the durable position, and after any failure everything restarts from what
 * storage says.
 */
export class Replicator {
  private readonly o: ReplicatorOptions;
  private readonly log: Logger;
  rules!: SyncRules;
  private writer!: StorageWriter;
  private meta!: pg.Pool;
  private decoder!: ChangeDecoder;
  private tables!: PublishedTables;
  private stream: WalStream | null = null;
  private pos = new ReplicationPosition(0n);
  private buffer: RowChange[] = [];
  private chain: Promise<unknown> = Promise.resolve();
  private inTx = false;
  private skipTx = false;
  private txRelevant = false;
  /** Latest write-checkpoint message to store (0n: none). */
  private mark = 0n;
  private commitScheduled = false;
  private stopping = false;
  private failed = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private pubTimer: NodeJS.Timeout | null = null;
  private restarts = 0;
  status: ReplicationStatus = 'starting';
  /** Why replication is not streaming (last error), for readiness. */
  lastError: string | null = null;
  lastCommitAt = 0;
  changesApplied = 0;
  /** Storage commits (replicated data, write-checkpoint positions, snapshots). */
  storageCommits = 0;

  constructor(options: ReplicatorOptions) {
    this.o = options;
    this.log = options.logger.child({ part: 'replication' });
  }

  /** Stored (and acknowledged) WAL position. */
  get lsn(): string {
    return bigIntToLsn(this.pos.stored);
  }

  /** Prepares storage (snapshot when needed) and starts streaming. Resolves once streaming has begun. */
  async start(): Promise<void> {
    const { store } = this.o;
    await store.init();
    const candidate = SyncRules.parse(this.o.rulesYaml, 0);
    this.meta = createPool(
      { connectionString: this.o.sourceUrl, options: SESSION_OPTIONS, max: 2 } as pg.PoolConfig,
      this.log,
      'metadata connection',
    );
    const catalog = new CatalogResolver(this.meta);
    // Storage in the source database: its own tables are never replicated, even when published.
    const ignored = (await sameDatabase(this.meta, store.pool)) ? store.schema : null;
    this.decoder = new ChangeDecoder(this.meta, catalog, () => this.rules, ignored);
    this.tables = new PublishedTables({
      sourceUrl: this.o.sourceUrl,
      publication: this.o.publication,
      store,
      db: this.meta,
      catalog,
      rules: () => this.rules,
      syncs: (s, n) => this.decoder.syncs(s, n),
      logger: this.log,
    });
    if (this.o.managePublication) await addRulesTables(this.meta, this.o.publication, candidate, this.log);
    let state = await store.state();
    const slot = await slotStatus(this.meta, this.o.slotName);
    const reason = !state
      ? 'first start'
      : state.rulesHash !== candidate.hash
        ? 'sync rules changed'
        : !state.snapshotDone
          ? 'initial snapshot did not finish'
          : state.slotName !== this.o.slotName
            ? 'slot name changed'
            : !slot.exists
              ? 'replication slot is missing'
              : null;
    if (reason) {
      this.log.info('building bucket storage from the source tables', { reason });
      this.status = 'snapshot';
      state = await rebuildStorage({
        ...this.o,
        syncs: (s, n) => this.decoder.syncs(s, n),
        logger: this.log,
        setRules: (rules, writer) => {
          this.rules = rules;
          this.writer = writer;
        },
        newWriter: (rules, s) => this.newWriter(rules, s),
        db: this.meta,
      });
    } else {
      this.rules = SyncRules.parse(this.o.rulesYaml, state!.rulesVersion);
      await store.discardUncommitted(state!.head);
      this.writer = this.newWriter(this.rules, state!);
    }
    await this.tables.load();
    this.pos = new ReplicationPosition(lsnToBigInt(state!.lsn));
    await this.tables.check();
    await this.subscribe();
    const interval = this.o.publicationCheckMs ?? 30_000;
    if (interval > 0) {
      this.pubTimer = setInterval(() => {
        if (this.status !== 'streaming') return;
        this.enqueue(async () => {
          if (this.inTx || this.status !== 'streaming') return;
          await this.tables.check();
          if (this.tables.hasPending) this.scheduleCommit();
        }).catch((e) => this.log.warn('publication check failed', { error: e }));
      }, interval);
      this.pubTimer.unref();
    }
  }

  private newWriter(rules: SyncRules, state: SyncState): StorageWriter {
    return new StorageWriter({
      pool: this.o.store.pool,
      schema: this.o.store.schema,
      rules,
      logger: this.log,
      nextOpId: state.nextOpId,
      head: state.head,
      onCommit: (e) => {
        this.storageCommits++;
        this.o.onCheckpoint(e);
      },
      ...(this.o.chunkOps ? { chunkOps: this.o.chunkOps } : {}),
      ...(this.o.compaction ? { compaction: this.o.compaction } : {}),
    });
  }

  private enqueue<T>(fn: () => Promise<T> | T): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async subscribe(): Promise<void> {
    this.decoder.clear();
    this.inTx = false;
    this.skipTx = false;
    this.buffer = [];
    this.mark = 0n;
    const stream = new WalStream({
      url: this.o.sourceUrl,
      slot: this.o.slotName,
      publication: this.o.publication,
      startLsn: this.pos.stored,
      handler: (item) => this.enqueue(() => this.onItem(item)),
      onError: (e) => this.fail(e),
    });
    this.stream = stream;
    this.failed = false;
    await stream.start();
    this.status = 'streaming';
    this.lastError = null;
    this.restarts = 0;
    this.log.info('streaming changes', { slot: this.o.slotName, from: this.lsn });
  }

  /** R6: stop, roll back, re-read the position from storage, resume with backoff (≤ 2 s between tries). */
  private fail(e: unknown): void {
    if (this.stopping || this.failed) return;
    this.failed = true;
    this.status = 'reconnecting';
    this.lastError = (e as Error)?.message ?? String(e);
    const delay = Math.min(2000, 100 * 2 ** this.restarts++);
    const level = this.restarts > 1 ? 'warn' : 'error';
    this.log[level]('replication failed; restarting from the stored position', {
      error: e,
      lsn: this.lsn,
      retryInMs: delay,
    });
    const stream = this.stream;
    this.stream = null;
    void (async () => {
      await stream?.stop();
      await this.enqueue(() => this.writer.rollback());
      this.commitScheduled = false;
      this.restartTimer = setTimeout(() => {
        this.restartTimer = null;
        if (this.stopping) return;
        this.resume().catch((err) => {
          this.failed = false;
          this.fail(err);
        });
      }, delay);
    })();
  }

  private async resume(): Promise<void> {
    const state = await this.o.store.state();
    if (!state) throw new SyncError('SYNC_NOT_READY', 'Bucket storage state is missing');
    await this.o.store.discardUncommitted(state.head);
    this.pos.reset(lsnToBigInt(state.lsn));
    this.writer = this.newWriter(this.rules, state);
    await this.tables.load();
    await this.subscribe();
    // Streams re-read their checkpoint: a commit whose acknowledgement was lost may have landed unseen.
    this.o.onCheckpoint({
      head: state.head,
      lsn: state.lsn,
      buckets: new Map(),
      lookups: new Set(),
      compactionEpoch: state.compactionEpoch,
      compacted: new Set(),
      reset: true,
    });
  }

  private onItem(item: WalItem): void | Promise<void> {
    if (this.failed || this.stopping) return;
    if (item.kind === 'keepalive') {
      // R3/R4: everything sent before this keepalive was handled; with nothing pending, D moves.
      if (this.inTx || this.buffer.length) return;
      if (this.writer.dirty || this.mark) return this.scheduleCommit();
      this.pos.passed(item.walEnd);
      this.stream?.ack(this.pos.ackable, { lazy: true });
      return;
    }
    return this.onMessage(item.msg);
  }

  private onMessage(msg: PgMessage): void | Promise<void> {
    switch (msg.tag) {
      case 'relation':
        return this.decoder.relation(msg).then((q) => {
          if (q) this.tables.seen(q);
        });
      case 'begin':
        this.inTx = true;
        this.txRelevant = false;
        this.skipTx = this.pos.isReplay(lsnToBigInt(msg.commitLsn));
        return;
      case 'insert':
      case 'update':
      case 'delete': {
        if (this.skipTx) return;
        const change = this.decoder.row(msg);
        if (change === null) return;
        if (change instanceof Promise) return change.then((c) => this.buffered(c));
        return this.buffered(change);
      }
      case 'truncate': {
        if (this.skipTx) return;
        const changes = this.decoder.truncates(msg);
        if (changes.length) {
          this.txRelevant = true;
          this.buffer.push(...changes);
        }
        return;
      }
      case 'commit':
        return this.onCommit(lsnToBigInt(msg.commitEndLsn ?? msg.commitLsn));
      case 'message': {
        if (msg.prefix !== 'syncline' || this.inTx) return;
        const at = lsnToBigInt(msg.messageLsn);
        if (at < this.pos.stored) return; // a replay (R2)
        if (at > this.mark) this.mark = at;
        return this.scheduleCommit();
      }
      default:
        return;
    }
  }

  private buffered(change: RowChange): void | Promise<void> {
    this.txRelevant = true;
    this.changesApplied++;
    this.buffer.push(change);
    if (this.buffer.length >= 2000) {
      const changes = this.buffer;
      this.buffer = [];
      return this.writer.apply(changes);
    }
  }

  private async onCommit(end: bigint): Promise<void> {
    this.inTx = false;
    if (this.skipTx) {
      this.skipTx = false;
      return;
    }
    if (this.buffer.length) {
      const changes = this.buffer;
      this.buffer = [];
      await this.writer.apply(changes);
    }
    if (this.txRelevant) {
      this.pos.applied(end);
      this.scheduleCommit();
    } else {
      // R3: nothing to store; no storage commit of its own (storage tables in the publication cannot loop).
      this.pos.passed(end);
      if (!this.pos.pending) this.stream?.ack(this.pos.ackable, { lazy: true });
    }
  }

  private scheduleCommit(delayMs = 0): void {
    if (this.commitScheduled) return;
    this.commitScheduled = true;
    const run = () => {
      this.enqueue(() => this.commitNow()).catch((e) => this.fail(e));
    };
    if (delayMs > 0) setTimeout(run, delayMs).unref();
    else setImmediate(run);
  }

  private async commitNow(): Promise<void> {
    this.commitScheduled = false;
    if (this.inTx || this.failed || this.stopping) return;
    // Under load (more WAL already queued), merge the next source transactions into this storage commit,
    // up to 50 ms or 20 000 ops: fewer commits without adding latency when the stream is idle.
    const age = Date.now() - this.writer.openedAt;
    if ((this.stream?.backlog ?? 0) > 0 && this.writer.dirty && age < 50 && this.writer.pendingOps < 20_000) {
      this.scheduleCommit(50 - age);
      return;
    }
    const target = this.pos.commitTarget(this.mark);
    if (this.writer.dirty) {
      await this.writer.commit(bigIntToLsn(target));
      this.lastCommitAt = Date.now();
    } else if (target > this.pos.stored) {
      // A write-checkpoint message with no data pending: store the position (reader processes read it).
      await this.o.store.advanceLsn(bigIntToLsn(target));
      this.storageCommits++;
      this.o.onCheckpoint({
        head: this.writer.head,
        lsn: bigIntToLsn(target),
        buckets: new Map(),
        lookups: new Set(),
        compactionEpoch: 0n,
        compacted: new Set(),
      });
    }
    this.pos.committed(target);
    this.mark = 0n;
    this.stream?.ack(this.pos.ackable);
    if (this.tables.hasPending) await this.tables.snapshotPending(this.writer, this.lsn);
    if (this.writer.compactionDue.size) await this.writer.compactDue();
  }

  /** Stops streaming; an open storage transaction is rolled back (it will be replayed on restart). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.status = 'stopped';
    if (this.pubTimer) clearInterval(this.pubTimer);
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const stream = this.stream;
    this.stream = null;
    await stream?.stop();
    await this.chain.catch(() => undefined);
    await this.writer?.rollback();
    await this.meta?.end().catch(() => undefined);
  }
}
