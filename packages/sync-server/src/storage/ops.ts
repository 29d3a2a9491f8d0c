import { hash } from 'node:crypto';
import { JSONBig } from '@powersync/service-jsonbig';
import type { SqliteRow } from '@powersync/service-sync-rules';
import type { Logger } from '@syncline/errors';
import { putOpBson, removeOpBson } from '../protocol/bson.js';
import { addChecksums, putChecksum, removeChecksum } from '../protocol/checksum.js';
import { OP, putOpJson, removeOpJson } from '../protocol/lines.js';
import { rowJson } from '../protocol/row-json.js';
import type { SourceTable, SyncRules } from '../rules/index.js';
import type { EventOpsLimits } from './events.js';
import { type PendingOp, type RowState, SEP, split } from './flush.js';

/** One replicated row change, values already converted and row-context applied. */
export type RowChange =
  | { kind: 'insert' | 'update'; table: SourceTable; key: string; oldKey?: string; record: SqliteRow }
  | { kind: 'delete'; table: SourceTable; key: string }
  | { kind: 'truncate'; table: SourceTable };

/** A `current_rows` row: a source row's bucket memberships and parameter lookups. */
export interface StoredRow {
  source_table: string;
  row_key: string;
  entries: string;
  lookups: string;
}

/** What a commit did to one bucket so far. */
export interface BucketDelta {
  checksum: number;
  ops: number;
  live: number;
  lastOpId: bigint;
  /** Whether the checkpoint event carries this bucket's ops (within the writer's event-op limits). */
  carry: boolean;
  opIds: bigint[];
  lines: string[];
  bson: Buffer[];
}

/**
 * What row changes do to buckets, in memory: evaluates the sync rules for each changed row and turns the
 * difference to the row's previous memberships into PUT/REMOVE ops (op ids allocated in order, checksums
 * and pre-encoded lines included), per-bucket deltas and changed parameter lookups. No I/O: the
 * {@link StorageWriter} loads previous row states into `rows`, writes what accumulates here and clears it.
 */
export class OpBuilder {
  protected rules: SyncRules;
  protected readonly log: Logger;
  protected readonly eventOps: EventOpsLimits;
  /** Encoded bytes of the ops kept for the event; -1 once the commit carries none. */
  private eventBytes = 0;
  nextOpId: bigint;
  protected ops: PendingOp[] = [];
  protected rows = new Map<string, RowState | null>();
  protected originalRows = new Map<string, RowState | null>();
  protected deltas = new Map<string, BucketDelta>();
  protected lookupsChanged = new Set<string>();
  protected opsInCommit = 0;
  evaluationErrors = 0;
  /** Tables whose INSERTs may hit rows storage already holds (snapshotted while streaming). */
  readonly insertsMayExist = new Set<string>();

  constructor(rules: SyncRules, log: Logger, nextOpId: bigint, eventOps: EventOpsLimits) {
    this.rules = rules;
    this.log = log;
    this.nextOpId = nextOpId;
    this.eventOps = eventOps;
  }

  /** Starts a new commit: nothing kept for its event yet. */
  protected resetCommit(): void {
    this.deltas.clear();
    this.opsInCommit = 0;
    this.eventBytes = 0;
  }

  /** Ops written in the open storage transaction. */
  get pendingOps(): number {
    return this.opsInCommit;
  }

  /** Replaces the rules (after a rebuild). */
  setRules(rules: SyncRules): void {
    this.rules = rules;
  }

  protected rowId(table: SourceTable, key: string): string {
    return `${table.qualifiedName}${SEP}${key}`;
  }

  protected subkey(table: SourceTable, key: string): string {
    return hash('sha256', `${table.qualifiedName}/${key}`, 'base64url').slice(0, 22);
  }

  private allocate(): bigint {
    const id = this.nextOpId;
    this.nextOpId += 1n;
    return id;
  }

  private delta(bucket: string): BucketDelta {
    let d = this.deltas.get(bucket);
    if (!d) {
      d = {
        checksum: 0,
        ops: 0,
        live: 0,
        lastOpId: 0n,
        carry: this.eventBytes >= 0,
        opIds: [],
        lines: [],
        bson: [],
      };
      this.deltas.set(bucket, d);
    }
    return d;
  }

  private push(op: PendingOp): void {
    this.ops.push(op);
    this.opsInCommit++;
    const d = this.delta(op.bucket);
    d.checksum = addChecksums(d.checksum, op.checksum);
    d.ops++;
    d.lastOpId = op.opId;
    if (!d.carry) return;
    const size = op.line.length + op.bson.length;
    if (d.ops > this.eventOps.perBucket) {
      this.eventBytes -= d.lines.reduce((n, l, i) => n + l.length + d.bson[i]!.length, 0);
      this.drop(d);
    } else if (this.opsInCommit > this.eventOps.ops || this.eventBytes + size > this.eventOps.bytes) {
      // Too many for the event (streams will read storage): let go of what was kept for it now, so a large
      // transaction holds at most one chunk of ops in memory.
      this.eventBytes = -1;
      for (const other of this.deltas.values()) this.drop(other);
    } else {
      this.eventBytes += size;
      d.opIds.push(op.opId);
      d.lines.push(op.line);
      d.bson.push(op.bson);
    }
  }

  private drop(d: BucketDelta): void {
    d.carry = false;
    d.opIds = [];
    d.lines = [];
    d.bson = [];
  }

  protected removeEntry(entry: string, subkey: string): void {
    const [bucket, objectType, objectId] = entry.split(SEP) as [string, string, string];
    const opId = this.allocate();
    const checksum = removeChecksum(subkey);
    this.push({
      bucket,
      opId,
      op: OP.REMOVE,
      rowKey: `${objectType}/${objectId}/${subkey}`,
      checksum,
      line: removeOpJson(opId, objectType, objectId, checksum, subkey),
      bson: removeOpBson(opId, objectType, objectId, checksum, subkey),
    });
    this.delta(bucket).live--;
  }

  protected applyOne(change: Exclude<RowChange, { kind: 'truncate' }>): void {
    const { table } = change;
    const oldId = this.rowId(table, change.kind === 'delete' ? change.key : (change.oldKey ?? change.key));
    const old = this.rows.get(oldId) ?? null;
    const subkeyOld = this.subkey(
      table,
      change.kind === 'delete' ? change.key : (change.oldKey ?? change.key),
    );
    if (change.kind === 'delete') {
      for (const e of old?.entries ?? []) this.removeEntry(e, subkeyOld);
      this.rows.set(oldId, null);
      if (old?.lookups.length) this.noteLookups(oldId, old.lookups, []);
      return;
    }
    const newId = this.rowId(table, change.key);
    if (newId !== oldId) {
      // Primary key changed: the old row is gone.
      for (const e of old?.entries ?? []) this.removeEntry(e, subkeyOld);
      this.rows.set(oldId, null);
      if (old?.lookups.length) this.noteLookups(oldId, old.lookups, []);
    }
    const current = newId === oldId ? old : (this.rows.get(newId) ?? null);
    const subkey = this.subkey(table, change.key);
    const entries: string[] = [];
    if (table.syncsData) {
      const { rows, errors } = this.rules.evaluate(table, change.record);
      if (errors.length) {
        this.evaluationErrors += errors.length;
        this.log.warn('sync rules evaluation error', { table: table.qualifiedName, key: change.key, errors });
      }
      const previous = new Set(current?.entries ?? []);
      for (const r of rows) {
        const entry = `${r.bucket}${SEP}${r.table}${SEP}${r.id}`;
        if (entries.includes(entry)) continue;
        entries.push(entry);
        const data = rowJson(r.data);
        const opId = this.allocate();
        const checksum = putChecksum(r.table, r.id, data);
        this.push({
          bucket: r.bucket,
          opId,
          op: OP.PUT,
          rowKey: `${r.table}/${r.id}/${subkey}`,
          checksum,
          line: putOpJson(opId, r.table, r.id, data, checksum, subkey),
          bson: putOpBson(opId, r.table, r.id, data, checksum, subkey),
        });
        if (!previous.has(entry)) this.delta(r.bucket).live++;
      }
      const kept = new Set(entries);
      for (const e of current?.entries ?? []) if (!kept.has(e)) this.removeEntry(e, subkey);
    }
    let lookups: string[] = [];
    let params: Map<string, string> | undefined;
    if (table.syncsParameters) {
      params = new Map();
      for (const l of this.rules.evaluateParameters(table, change.record, (v) => JSONBig.stringify(v))) {
        params.set(l.lookup, l.params);
      }
      lookups = [...params.keys()];
      this.noteLookups(newId, current?.lookups ?? [], lookups);
    }
    this.rows.set(newId, { entries, lookups, ...(params ? { params } : {}) });
  }

  private noteLookups(_id: string, before: readonly string[], after: readonly string[]): void {
    for (const l of before) this.lookupsChanged.add(l);
    for (const l of after) this.lookupsChanged.add(l);
  }

  /**
   * The stored row states the changes need (`source_table`, `row_key` pairs not loaded yet); each is marked
   * as loading. A freshly inserted row has no stored state (its key did not exist), unless the table was
   * re-snapshotted while streaming and the snapshot may already hold it.
   */
  protected rowsToLoad(changes: readonly RowChange[]): { tables: string[]; keys: string[] } {
    const tables: string[] = [];
    const keys: string[] = [];
    for (const c of changes) {
      if (c.kind === 'truncate') continue;
      if (c.kind === 'insert' && !this.insertsMayExist.has(c.table.qualifiedName)) continue;
      for (const key of c.kind !== 'delete' && c.oldKey !== undefined ? [c.key, c.oldKey] : [c.key]) {
        const id = this.rowId(c.table, key);
        if (!this.rows.has(id)) {
          this.rows.set(id, null); // placeholder, filled by rowsLoaded
          tables.push(c.table.qualifiedName);
          keys.push(key);
        }
      }
    }
    return { tables, keys };
  }

  /** Takes the stored states of the rows {@link rowsToLoad} asked for (absent rows stay null). */
  protected rowsLoaded(
    found: readonly StoredRow[],
    tables: readonly string[],
    keys: readonly string[],
  ): void {
    for (const r of found) {
      this.rows.set(`${r.source_table}${SEP}${r.row_key}`, {
        entries: split(r.entries),
        lookups: split(r.lookups),
      });
    }
    for (let i = 0; i < keys.length; i++) {
      const id = `${tables[i]}${SEP}${keys[i]}`;
      if (!this.originalRows.has(id)) this.originalRows.set(id, this.rows.get(id) ?? null);
    }
  }

  /** A truncated table's stored rows: REMOVE ops for their memberships, their lookups changed. */
  protected removeRows(table: SourceTable, rows: readonly Omit<StoredRow, 'source_table'>[]): void {
    for (const r of rows) {
      const subkey = this.subkey(table, r.row_key);
      for (const e of split(r.entries)) this.removeEntry(e, subkey);
      for (const l of split(r.lookups)) this.lookupsChanged.add(l);
    }
  }

  /** Drops the cached states of a truncated table's rows. */
  protected forgetTable(table: SourceTable): void {
    const prefix = `${table.qualifiedName}${SEP}`;
    for (const id of [...this.rows.keys()]) if (id.startsWith(prefix)) this.rows.set(id, null);
    for (const id of [...this.originalRows.keys()]) if (id.startsWith(prefix)) this.originalRows.delete(id);
  }
}
