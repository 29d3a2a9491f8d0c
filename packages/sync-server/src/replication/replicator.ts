import type { SqliteRow } from '@powersync/service-sync-rules';
import { type Logger, SyncError } from '@syncline/errors';
import { ensurePublication } from '@syncline/postgres';
import pg from 'pg';
import { LogicalReplicationService, PgoutputPlugin } from 'pg-logical-replication';
import { SyncRules } from '../rules/index.js';
import type { CompactionPolicy } from '../storage/compactor.js';
import type { CheckpointEvent } from '../storage/events.js';
import type { BucketStore, SyncState } from '../storage/store.js';
import { type RowChange, StorageWriter } from '../storage/writer.js';
import { lsnToBigInt, maxLsn } from './lsn.js';
import {
  connectionError,
  createSlotWithSnapshot,
  dropSlot,
  publicationTables,
  SESSION_OPTIONS,
  slotStatus,
} from './slot.js';
import { snapshotTable } from './snapshot.js';
import { CatalogResolver, rowKey, type TableInfo } from './tables.js';
import { type ColumnType, convertValue } from './values.js';

/** Options for {@link Replicator}. */
export interface ReplicatorOptions {
  /** Source database (logical replication). */
  sourceUrl: string;
  store: BucketStore;
  rulesYaml: string;
  slotName: string;
  publication: string;
  logger: Logger;
  /** Called after every storage commit and every replicated-LSN advance. */
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

interface Relation {
  schema: string;
  name: string;
  qualified: string;
  columns: string[];
  types: ColumnType[];
  info: TableInfo;
  synced: boolean;
}

type PgMessage = { tag: string; [k: string]: any };

const identity = (v: unknown) => v;

/**
 * pgoutput parsing with raw text values: the library decodes values with `pg`'s global type parsers when it
 * reads a message (before our handler runs), which loses precision (timestamptz → Date). Swapping each
 * relation's parsers while parsing the relation message means every later tuple stays text.
 */
class RawPgoutputPlugin extends PgoutputPlugin {
  override parse(buffer: Buffer) {
    const msg = super.parse(buffer) as PgMessage;
    if (msg.tag === 'relation') for (const c of msg.columns as { parser: unknown }[]) c.parser = identity;
    return msg as ReturnType<PgoutputPlugin['parse']>;
  }
}

/**
 * Replicates the source database into bucket storage: creates the slot with an exported snapshot, copies
 * the tables consistently, then streams pgoutput changes. Storage commits line up with source commits
 * (several small transactions may share one storage commit); the slot is acknowledged only after the
 * storage commit, so a crash resumes from the last stored position with nothing lost or applied twice.
 */
export class Replicator {
  private readonly o: ReplicatorOptions;
  private readonly log: Logger;
  rules!: SyncRules;
  private writer!: StorageWriter;
  private meta!: pg.Client;
  private catalog!: CatalogResolver;
  private service: LogicalReplicationService | null = null;
  private relations = new Map<number, Relation>();
  private snapshotted = new Set<string>();
  private pendingSnapshots = new Set<string>();
  /** Tables that left the publication after being snapshotted: rebuild (truncate + snapshot) when back. */
  private resnapshot = new Set<string>();
  private buffer: RowChange[] = [];
  private chain: Promise<unknown> = Promise.resolve();
  private inTx = false;
  private skipTx = false;
  private storedLsn = '0/0';
  private pendingLsn = '0/0';
  private commitScheduled = false;
  private stopping = false;
  private failed = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private pubTimer: NodeJS.Timeout | null = null;
  private restarts = 0;
  /** Replication status for probes and metrics. */
  status: 'starting' | 'snapshot' | 'streaming' | 'reconnecting' | 'stopped' = 'starting';
  lastCommitAt = 0;
  changesApplied = 0;

  constructor(options: ReplicatorOptions) {
    this.o = options;
    this.log = options.logger.child({ part: 'replication' });
  }

  /** Replicated (stored and acknowledged) WAL position. */
  get lsn(): string {
    return this.storedLsn;
  }

  /** Prepares storage (snapshot when needed) and starts streaming. Resolves once streaming has begun. */
  async start(): Promise<void> {
    const { store } = this.o;
    await store.init();
    const candidate = SyncRules.parse(this.o.rulesYaml, 0);
    this.meta = new pg.Client({
      connectionString: this.o.sourceUrl,
      options: SESSION_OPTIONS,
    } as pg.ClientConfig);
    await this.meta.connect();
    this.meta.on('error', (e) => connectionError(this.log, 'metadata connection', e));
    this.catalog = new CatalogResolver(this.meta);
    if (this.o.managePublication) await this.ensurePublication(candidate);
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
      state = await this.rebuild();
    } else {
      this.rules = SyncRules.parse(this.o.rulesYaml, state!.rulesVersion);
      await store.discardUncommitted(state!.head);
      this.writer = this.newWriter(state!);
      const { rows } = await store.pool.query<{ qualified_name: string }>(
        `SELECT qualified_name FROM "${store.schema}".source_tables WHERE snapshot_done`,
      );
      this.snapshotted = new Set(rows.map((r) => r.qualified_name));
    }
    this.storedLsn = state!.lsn;
    this.pendingLsn = state!.lsn;
    await this.checkPublication();
    await this.subscribe();
    const interval = this.o.publicationCheckMs ?? 30_000;
    if (interval > 0) {
      this.pubTimer = setInterval(() => {
        this.enqueue(() => this.checkPublication()).catch((e) =>
          this.log.warn('publication check failed', { error: e }),
        );
      }, interval);
      this.pubTimer.unref();
    }
  }

  private newWriter(state: SyncState): StorageWriter {
    return new StorageWriter({
      pool: this.o.store.pool,
      schema: this.o.store.schema,
      rules: this.rules,
      logger: this.log,
      nextOpId: state.nextOpId,
      head: state.head,
      onCommit: (e) => this.o.onCheckpoint(e),
      ...(this.o.chunkOps ? { chunkOps: this.o.chunkOps } : {}),
      ...(this.o.compaction ? { compaction: this.o.compaction } : {}),
    });
  }

  private async ensurePublication(rules: SyncRules): Promise<void> {
    const wanted = rules.sourcePatterns().filter((p) => !p.wildcard);
    const { rows } = await this.meta.query<{ q: string }>(
      `SELECT n.nspname || '.' || c.relname AS q FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND (n.nspname || '.' || c.relname) = ANY($1::text[])`,
      [wanted.map((p) => `${p.schema}.${p.name}`)],
    );
    const added = await ensurePublication(this.meta as unknown as pg.Client, {
      name: this.o.publication,
      tables: rows.map((r) => r.q),
    });
    if (added.length)
      this.log.info('added tables to the publication', { publication: this.o.publication, tables: added });
  }

  /** Empties derived storage, recreates the slot and copies every synced table on its exported snapshot. */
  private async rebuild(): Promise<SyncState> {
    const { store } = this.o;
    this.status = 'snapshot';
    await dropSlot(this.meta, this.o.slotName, this.log);
    const state = await store.resetForRebuild(SyncRules.parse(this.o.rulesYaml, 0).hash, this.o.slotName);
    this.rules = SyncRules.parse(this.o.rulesYaml, state.rulesVersion);
    this.writer = this.newWriter(state);
    this.snapshotted.clear();
    const created = await createSlotWithSnapshot(this.o.sourceUrl, this.o.slotName);
    const snap = new pg.Client({
      connectionString: this.o.sourceUrl,
      options: SESSION_OPTIONS,
    } as pg.ClientConfig);
    await snap.connect();
    const started = Date.now();
    let rows = 0;
    try {
      await snap.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await snap.query(`SET TRANSACTION SNAPSHOT '${created.snapshotName}'`);
      for (const t of await publicationTables(snap, this.o.publication)) {
        const table = this.rules.table(t.schema, t.name);
        if (!table.syncsData && !table.syncsParameters) continue;
        rows += await snapshotTable({
          client: snap,
          catalog: new CatalogResolver(snap),
          rules: this.rules,
          writer: this.writer,
          schema: t.schema,
          name: t.name,
          logger: this.log,
        });
        this.snapshotted.add(`${t.schema}.${t.name}`);
      }
      await snap.query('COMMIT');
      await this.writer.commit(created.consistentPoint, { snapshotDone: true });
      await this.markSnapshotted([...this.snapshotted]);
    } catch (e) {
      await this.writer.rollback();
      throw SyncError.from(e, 'REPL_SLOT_FAILED', `Initial snapshot failed: ${(e as Error).message}`);
    } finally {
      await snap.end().catch(() => undefined);
      await created.connection.end().catch(() => undefined);
    }
    this.log.info('initial snapshot done', {
      rows,
      ms: Date.now() - started,
      consistentPoint: created.consistentPoint,
    });
    return (await store.state())!;
  }

  private async markSnapshotted(tables: string[]): Promise<void> {
    if (!tables.length) return;
    await this.o.store.pool.query(
      `INSERT INTO "${this.o.store.schema}".source_tables (qualified_name, snapshot_done) SELECT unnest($1::text[]), true
       ON CONFLICT (qualified_name) DO UPDATE SET snapshot_done = true`,
      [tables],
    );
  }

  /**
   * Snapshots tables that joined the publication after the initial copy. A table that left the publication
   * is forgotten, so re-adding it rebuilds it (changes made meanwhile were never streamed).
   */
  private async checkPublication(): Promise<void> {
    if (this.stopping || this.inTx) return;
    const current = new Set<string>();
    for (const t of await publicationTables(this.meta, this.o.publication)) {
      const q = `${t.schema}.${t.name}`;
      current.add(q);
      const table = this.rules.table(t.schema, t.name);
      if ((table.syncsData || table.syncsParameters) && !this.snapshotted.has(q))
        this.pendingSnapshots.add(q);
    }
    const left = [...this.snapshotted].filter((q) => !current.has(q));
    if (left.length) {
      for (const q of left) {
        this.snapshotted.delete(q);
        this.resnapshot.add(q);
      }
      await this.o.store.pool.query(
        `DELETE FROM "${this.o.store.schema}".source_tables WHERE qualified_name = ANY($1::text[])`,
        [left],
      );
      this.log.warn('tables left the publication; they will be rebuilt if added back', { tables: left });
    }
    await this.snapshotPending();
  }

  private async snapshotPending(): Promise<void> {
    if (this.pendingSnapshots.size === 0 || this.inTx) return;
    for (const q of [...this.pendingSnapshots]) {
      const [schema, name] = q.split('.', 2) as [string, string];
      this.log.info('snapshotting a table added to the publication', { table: q });
      const client = new pg.Client({
        connectionString: this.o.sourceUrl,
        options: SESSION_OPTIONS,
      } as pg.ClientConfig);
      await client.connect();
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        this.writer.insertsMayExist.add(q);
        if (this.resnapshot.delete(q)) {
          // Rows may have changed or vanished while the table was not published: replace them wholesale.
          await this.writer.apply([{ kind: 'truncate', table: this.rules.table(schema, name) }]);
        }
        await snapshotTable({
          client,
          catalog: this.catalog,
          rules: this.rules,
          writer: this.writer,
          schema,
          name,
          logger: this.log,
          existing: true,
        });
        await client.query('COMMIT');
        await this.writer.commit(this.storedLsn);
        await this.markSnapshotted([q]);
        this.snapshotted.add(q);
        this.pendingSnapshots.delete(q);
      } finally {
        await client.end().catch(() => undefined);
      }
    }
  }

  private enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async subscribe(): Promise<void> {
    const service = new LogicalReplicationService(
      { connectionString: this.o.sourceUrl, options: SESSION_OPTIONS } as pg.ClientConfig,
      { acknowledge: { auto: false, timeoutSeconds: 0 }, flowControl: { enabled: true } },
    );
    this.service = service;
    this.relations.clear();
    this.inTx = false;
    this.skipTx = false;
    this.buffer = [];
    this.failed = false;
    service.on('data', (_lsn: string, msg: PgMessage) =>
      this.enqueue(() => this.onMessage(msg)).catch((e) => this.fail(e)),
    );
    service.on('heartbeat', (lsn: string, _ts: number, shouldRespond: boolean) => {
      if (!shouldRespond || this.service !== service) return;
      const idle = !this.inTx && !this.writer.dirty && this.buffer.length === 0 && !this.commitScheduled;
      void service.acknowledge(idle ? maxLsn(lsn, this.storedLsn) : this.storedLsn);
    });
    service.on('error', (e: Error) => this.fail(e));
    const plugin = new RawPgoutputPlugin({
      protoVersion: 1,
      publicationNames: [this.o.publication],
      messages: true,
    });
    const started = new Promise<void>((resolve, reject) => {
      service.once('start', () => resolve());
      service
        .subscribe(plugin, this.o.slotName, this.storedLsn)
        .then(() => {
          if (!this.stopping && this.service === service) this.fail(new Error('replication stream ended'));
        })
        .catch((e: Error) => {
          reject(e);
          this.fail(e);
        });
    });
    await started;
    this.status = 'streaming';
    this.restarts = 0;
    this.log.info('streaming changes', { slot: this.o.slotName, from: this.storedLsn });
  }

  private fail(e: unknown): void {
    if (this.stopping || this.failed) return;
    this.failed = true;
    this.status = 'reconnecting';
    const delay = Math.min(10_000, 500 * 2 ** this.restarts++);
    this.log.error('replication failed; restarting from the last stored position', {
      error: e,
      lsn: this.storedLsn,
      retryInMs: delay,
    });
    this.log.debug('replication failure stack', { stack: (e as Error)?.stack });
    const service = this.service;
    this.service = null;
    void (async () => {
      await service?.stop().catch(() => undefined);
      await this.enqueue(() => this.writer.rollback());
      this.commitScheduled = false;
      this.restartTimer = setTimeout(() => {
        this.restartTimer = null;
        if (this.stopping) return;
        this.subscribe().catch((err) => this.fail(err));
      }, delay);
    })();
  }

  private async onMessage(msg: PgMessage): Promise<void> {
    if (this.failed || this.stopping) return;
    if (this.log.level === 'debug')
      this.log.debug('wal message', {
        tag: msg.tag,
        lsn: msg.commitLsn ?? msg.messageLsn ?? msg.commitEndLsn,
      });
    switch (msg.tag) {
      case 'relation':
        return this.onRelation(msg);
      case 'begin':
        this.inTx = true;
        this.skipTx = lsnToBigInt(msg.commitLsn) <= lsnToBigInt(this.storedLsn) && this.storedLsn !== '0/0';
        return;
      case 'insert':
      case 'update':
      case 'delete':
        if (this.skipTx) return;
        return this.onRow(msg);
      case 'truncate':
        if (this.skipTx) return;
        for (const rel of msg.relations as { relationOid: number }[]) {
          const r = this.relations.get(rel.relationOid);
          if (r?.synced) this.buffer.push({ kind: 'truncate', table: this.rules.table(r.schema, r.name) });
        }
        return;
      case 'commit': {
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
        this.pendingLsn = maxLsn(this.pendingLsn, msg.commitEndLsn ?? msg.commitLsn);
        this.scheduleCommit();
        return;
      }
      case 'message':
        if (!this.inTx && msg.prefix === 'syncline') {
          this.pendingLsn = maxLsn(this.pendingLsn, msg.messageLsn);
          this.scheduleCommit();
        }
        return;
      default:
        return;
    }
  }

  private async onRelation(msg: PgMessage): Promise<void> {
    const schema = msg.schema as string;
    const name = msg.name as string;
    const qualified = `${schema}.${name}`;
    this.catalog.invalidate(schema, name);
    const info = await this.catalog.table(schema, name, msg.keyColumns as string[]);
    const columns = (msg.columns as { name: string }[]).map((c) => c.name);
    const types = await this.catalog.columnTypes(
      (msg.columns as { typeOid: number }[]).map((c) => c.typeOid),
    );
    const table = this.rules.table(schema, name);
    const synced = table.syncsData || table.syncsParameters;
    this.relations.set(msg.relationOid as number, { schema, name, qualified, columns, types, info, synced });
    if (synced && !this.snapshotted.has(qualified)) this.pendingSnapshots.add(qualified);
  }

  private record(
    rel: Relation,
    tuple: Record<string, string | null | undefined>,
  ): { record: Record<string, unknown>; missing: string[] } {
    const record: Record<string, unknown> = {};
    const missing: string[] = [];
    for (let i = 0; i < rel.columns.length; i++) {
      const col = rel.columns[i]!;
      const v = convertValue(tuple[col], rel.types[i]!);
      if (v === undefined) missing.push(col);
      record[col] = v;
    }
    return { record, missing };
  }

  private async onRow(msg: PgMessage): Promise<void> {
    const rel = this.relations.get(msg.relation.relationOid as number);
    if (!rel?.synced) return;
    const table = this.rules.table(rel.schema, rel.name);
    const keyCols = rel.info.keyColumns;
    this.changesApplied++;
    if (msg.tag === 'delete') {
      const source = (msg.old ?? msg.key) as Record<string, string>;
      this.buffer.push({ kind: 'delete', table, key: rowKey(keyCols, source) });
    } else {
      const tuple = msg.new as Record<string, string | null | undefined>;
      const key = rowKey(keyCols, tuple as Record<string, unknown>);
      const oldTuple = (msg.old ?? msg.key) as Record<string, string> | null;
      const oldKey = oldTuple ? rowKey(keyCols, oldTuple) : undefined;
      let { record, missing } = this.record(rel, tuple);
      if (missing.length) record = await this.fillToast(rel, record, missing, tuple);
      this.buffer.push({
        kind: msg.tag as 'insert' | 'update',
        table,
        key,
        ...(oldKey !== undefined && oldKey !== key ? { oldKey } : {}),
        record: this.rules.applyRowContext(record as SqliteRow),
      });
    }
    if (this.buffer.length >= 2000) {
      const changes = this.buffer;
      this.buffer = [];
      await this.writer.apply(changes);
    }
  }

  /** Unchanged TOASTed values without an old tuple (REPLICA IDENTITY DEFAULT): read them from the table. */
  private async fillToast(
    rel: Relation,
    record: Record<string, unknown>,
    missing: string[],
    tuple: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const where = rel.info.keyColumns
      .map((k, i) => `${this.meta.escapeIdentifier(k)} = $${i + 1}`)
      .join(' AND ');
    const res = await this.meta.query({
      text: `SELECT ${missing.map((c) => this.meta.escapeIdentifier(c)).join(', ')} FROM ${this.meta.escapeIdentifier(rel.schema)}.${this.meta.escapeIdentifier(rel.name)} WHERE ${where}`,
      values: rel.info.keyColumns.map((k) => tuple[k]),
      rowMode: 'array',
      types: { getTypeParser: () => (v: string) => v },
    });
    const row = (res.rows[0] ?? []) as (string | null)[];
    for (let i = 0; i < missing.length; i++) {
      const idx = rel.columns.indexOf(missing[i]!);
      record[missing[i]!] = convertValue(row[i] ?? null, rel.types[idx]!);
    }
    return record;
  }

  private scheduleCommit(): void {
    if (this.commitScheduled) return;
    this.commitScheduled = true;
    setImmediate(() => {
      this.enqueue(() => this.commitNow()).catch((e) => this.fail(e));
    });
  }

  private async commitNow(): Promise<void> {
    this.commitScheduled = false;
    if (this.inTx || this.failed || this.stopping) return;
    // Under load (more WAL already queued), merge the next source transactions into this storage commit,
    // up to 50 ms or 20 000 ops: fewer commits (each has a round trip and an fsync) without adding latency
    // when the stream is idle.
    const queued =
      (this.service as unknown as { _messageQueue?: unknown[] } | null)?._messageQueue?.length ?? 0;
    if (
      queued > 0 &&
      this.writer.dirty &&
      Date.now() - this.writer.openedAt < 50 &&
      this.writer.pendingOps < 20_000
    )
      return;
    const lsn = this.pendingLsn;
    this.log.debug('storage commit', { lsn, dirty: this.writer.dirty });
    if (this.writer.dirty) {
      await this.writer.commit(lsn);
      this.lastCommitAt = Date.now();
    } else if (lsnToBigInt(lsn) > lsnToBigInt(this.storedLsn)) {
      await this.o.store.advanceLsn(lsn);
      this.o.onCheckpoint({
        head: this.writer.head,
        lsn,
        buckets: new Map(),
        lookups: new Set(),
        compactionEpoch: 0n,
        compacted: new Set(),
      });
    } else {
      return;
    }
    this.storedLsn = lsn;
    await this.service?.acknowledge(lsn);
    if (this.pendingSnapshots.size) await this.snapshotPending();
    if (this.writer.compactionDue.size) await this.writer.compactDue();
  }

  /** Stops streaming; an open storage transaction is rolled back (it will be replayed on restart). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.status = 'stopped';
    if (this.pubTimer) clearInterval(this.pubTimer);
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const service = this.service;
    this.service = null;
    await service?.stop().catch(() => undefined);
    await this.chain.catch(() => undefined);
    await this.writer?.rollback();
    await this.meta?.end().catch(() => undefined);
  }
}
