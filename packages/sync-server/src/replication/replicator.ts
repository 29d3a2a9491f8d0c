import { SyncError } from '@syncline/errors';
import type pg from 'pg';
import { createPool } from '../db/pool.js';
import { lsnToBigInt } from '../protocol/lsn.js';
import { SyncRules } from '../rules/index.js';
import { quietCheckpoint } from '../storage/events.js';
import type { SyncState } from '../storage/store.js';
import { StorageWriter } from '../storage/writer.js';
import { WalApplier } from './apply.js';
import { ChangeDecoder } from './decoder.js';
import { ReplicationPosition } from './position.js';
import { addRulesTables, PublishedTables, sameDatabase } from './published-tables.js';
import { rebuildStorage } from './rebuild.js';
import { SESSION_OPTIONS, slotStatus } from './slot.js';
import { CatalogResolver } from './tables.js';
import { WalStream } from './wal-stream.js';

/** Replication status for probes and metrics. */
export type ReplicationStatus = 'starting' | 'snapshot' | 'streaming' | 'reconnecting' | 'stopped';

/**
 * Replicates the source database into bucket storage: builds storage from an exported snapshot when
 * needed, then streams pgoutput changes. Positions follow SPEC.md R1–R7: storage commits line up with source
 * commits (several may share one), transactions that touch no synced table never cause a storage write,
 * Postgres is told exactly the durable position, and after any failure everything restarts from what
 * storage says.
 */
export class Replicator extends WalApplier {
  private meta!: pg.Pool;
  private restartTimer: NodeJS.Timeout | null = null;
  private pubTimer: NodeJS.Timeout | null = null;
  private restarts = 0;
  status: ReplicationStatus = 'starting';
  /** Why replication is not streaming (last error), for readiness. */
  lastError: string | null = null;

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
      await store.analyze();
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
  protected fail(e: unknown): void {
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
    this.o.onCheckpoint(quietCheckpoint(state.head, state.lsn, state.compactionEpoch, true));
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
