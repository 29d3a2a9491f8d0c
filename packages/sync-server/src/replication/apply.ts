import type { Logger } from '@syncline/errors';
import { bigIntToLsn, lsnToBigInt } from '../protocol/lsn.js';
import type { SyncRules } from '../rules/index.js';
import type { CompactionPolicy } from '../storage/compactor.js';
import { type CheckpointEvent, quietCheckpoint } from '../storage/events.js';
import type { RowChange } from '../storage/ops.js';
import type { BucketStore } from '../storage/store.js';
import type { StorageWriter } from '../storage/writer.js';
import { type ChangeDecoder, ToastPending } from './decoder.js';
import { ReplicationPosition } from './position.js';
import type { PublishedTables } from './published-tables.js';
import type { PgMessage, WalItem, WalStream } from './wal-stream.js';

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

/**
 * The replication loop of one stream (SPEC.md R2–R5): hands each WAL item, in order, to storage — row
 * changes of synced tables to the writer, transactions that touch none only move the position — and decides
 * when storage commits (several source commits may share one under load) and which position Postgres is
 * told. Starting, rebuilding and restarting are {@link Replicator}'s.
 */
export abstract class WalApplier {
  protected readonly o: ReplicatorOptions;
  protected readonly log: Logger;
  rules!: SyncRules;
  protected writer!: StorageWriter;
  protected decoder!: ChangeDecoder;
  protected tables!: PublishedTables;
  protected stream: WalStream | null = null;
  protected pos = new ReplicationPosition(0n);
  /** Changes of the open transaction not yet handed to the writer (some waiting for TOASTed values). */
  protected buffer: (RowChange | ToastPending)[] = [];
  protected chain: Promise<unknown> = Promise.resolve();
  protected inTx = false;
  protected skipTx = false;
  private txRelevant = false;
  /** Latest write-checkpoint message to store (0n: none). */
  protected mark = 0n;
  protected commitScheduled = false;
  protected stopping = false;
  protected failed = false;
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

  /** Stops, rolls back and restarts from storage (R6). */
  protected abstract fail(e: unknown): void;

  protected enqueue<T>(fn: () => Promise<T> | T): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  protected onItem(item: WalItem): void | Promise<void> {
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

  private buffered(change: RowChange | ToastPending): void | Promise<void> {
    this.txRelevant = true;
    this.changesApplied++;
    this.buffer.push(change);
    if (this.buffer.length >= 2000) return this.flushBuffer();
  }

  /** Hands the buffered changes to the writer, after reading back their unchanged TOASTed values at once. */
  private async flushBuffer(): Promise<void> {
    const buffered = this.buffer;
    this.buffer = [];
    const pending = buffered.filter((c): c is ToastPending => c instanceof ToastPending);
    if (pending.length) await this.decoder.fill(pending);
    await this.writer.apply(
      pending.length
        ? buffered.map((c) => (c instanceof ToastPending ? c.change() : c))
        : (buffered as RowChange[]),
    );
  }

  private async onCommit(end: bigint): Promise<void> {
    this.inTx = false;
    if (this.skipTx) {
      this.skipTx = false;
      return;
    }
    if (this.buffer.length) await this.flushBuffer();
    if (this.txRelevant) {
      this.pos.applied(end);
      this.scheduleCommit();
    } else {
      // R3: nothing to store; no storage commit of its own (storage tables in the publication cannot loop).
      this.pos.passed(end);
      if (!this.pos.pending) this.stream?.ack(this.pos.ackable, { lazy: true });
    }
  }

  protected scheduleCommit(delayMs = 0): void {
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
      this.o.onCheckpoint(quietCheckpoint(this.writer.head, bigIntToLsn(target), 0n));
    }
    this.pos.committed(target);
    this.mark = 0n;
    this.stream?.ack(this.pos.ackable);
    if (this.tables.hasPending) await this.tables.snapshotPending(this.writer, this.lsn);
    if (this.writer.compactionDue.size) await this.compactSome();
  }

  /**
   * Compaction shares the replication loop, so it yields to replication (SPEC.md R8): while WAL is queued
   * (replication catching up) one bucket at a time and at most ~10% of the time; with nothing queued, slices
   * of ≤ 100 ms. What is left is continued by a later commit or a follow-up, never by delaying a commit.
   */
  private async compactSome(): Promise<void> {
    const behind = (this.stream?.backlog ?? 0) > 0;
    const wait = this.compactAllowedAt - Date.now();
    if (behind && wait > 0) return this.compactLater(wait);
    const { ms } = behind ? await this.writer.compactDue(1) : await this.writer.compactDue(Infinity, 100);
    this.compactAllowedAt = Date.now() + ms * 9;
    if (this.writer.compactionDue.size) this.compactLater(behind ? ms * 9 : 10);
  }

  private compactAllowedAt = 0;
  private compactTimer: NodeJS.Timeout | null = null;

  /** Runs the compaction step again after `ms` (a commit with nothing to store still compacts). */
  private compactLater(ms: number): void {
    if (this.compactTimer) return;
    this.compactTimer = setTimeout(() => {
      this.compactTimer = null;
      this.scheduleCommit();
    }, ms);
    this.compactTimer.unref();
  }
}
