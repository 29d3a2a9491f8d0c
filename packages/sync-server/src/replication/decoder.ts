import type { SqliteRow } from '@powersync/service-sync-rules';
import type pg from 'pg';
import type { SyncRules } from '../rules/index.js';
import type { RowChange } from '../storage/ops.js';
import { type CatalogResolver, rowKey, type TableInfo } from './tables.js';
import { type ColumnType, convertValue } from './values.js';
import type { PgRelation, PgRowMessage, PgTruncate, PgTuple } from './wal-stream.js';

export interface Relation {
  schema: string;
  name: string;
  qualified: string;
  columns: string[];
  types: ColumnType[];
  info: TableInfo;
  synced: boolean;
}

/**
 * Turns pgoutput relation and row messages into {@link RowChange}s for the rules' tables: values converted
 * from raw text like the official service does, unchanged TOASTed values read back from the table.
 * Tables in `ignoredSchema` (bucket storage, when it shares the source database) are never synced, even
 * when a `FOR ALL TABLES` publication sends them.
 */
export class ChangeDecoder {
  private readonly relations = new Map<number, Relation>();

  constructor(
    private readonly db: Pick<pg.Pool, 'query'>,
    private readonly catalog: CatalogResolver,
    private readonly rules: () => SyncRules,
    private readonly ignoredSchema: string | null,
  ) {}

  /** Whether changes of this table matter to the rules. */
  syncs(schema: string, name: string): boolean {
    if (schema === this.ignoredSchema) return false;
    const t = this.rules().table(schema, name);
    return t.syncsData || t.syncsParameters;
  }

  /** Records a relation message; returns the table's qualified name when it is synced. */
  async relation(msg: PgRelation): Promise<string | null> {
    const { schema, name } = msg;
    const qualified = `${schema}.${name}`;
    this.catalog.invalidate(schema, name);
    const synced = this.syncs(schema, name);
    const info = synced
      ? await this.catalog.table(schema, name, msg.keyColumns)
      : { schema, name, keyColumns: [] };
    const columns = msg.columns.map((c) => c.name);
    const types = synced ? await this.catalog.columnTypes(msg.columns.map((c) => c.typeOid)) : [];
    this.relations.set(msg.relationOid, { schema, name, qualified, columns, types, info, synced });
    return synced ? qualified : null;
  }

  /** Forgets relations (a new replication connection sends them again). */
  clear(): void {
    this.relations.clear();
  }

  /** The truncated synced tables of a `truncate` message. */
  truncates(msg: PgTruncate): RowChange[] {
    const out: RowChange[] = [];
    for (const rel of msg.relations) {
      const r = this.relations.get(rel.relationOid);
      if (r?.synced) out.push({ kind: 'truncate', table: this.rules().table(r.schema, r.name) });
    }
    return out;
  }

  /**
   * The change an insert/update/delete message makes to a synced table, or null for other tables. When
   * unchanged TOASTed values must be read back, a {@link ToastPending} to complete with {@link fill} first
   * (a whole chunk's in one query per table, not one per row).
   */
  row(msg: PgRowMessage): RowChange | null | ToastPending {
    const rel = this.relations.get(msg.relation.relationOid);
    if (!rel?.synced) return null;
    const table = this.rules().table(rel.schema, rel.name);
    const keyCols = rel.info.keyColumns;
    if (msg.tag === 'delete') {
      const source = (msg.old ?? msg.key) as Record<string, string>;
      return { kind: 'delete', table, key: rowKey(keyCols, source) };
    }
    const tuple: PgTuple = msg.new;
    const key = rowKey(keyCols, tuple as Record<string, unknown>);
    const oldTuple = msg.tag === 'update' ? ((msg.old ?? msg.key) as Record<string, string> | null) : null;
    const oldKey = oldTuple ? rowKey(keyCols, oldTuple) : undefined;
    const record: Record<string, unknown> = {};
    const missing: string[] = [];
    for (let i = 0; i < rel.columns.length; i++) {
      const col = rel.columns[i]!;
      const v = convertValue(tuple[col], rel.types[i]!);
      if (v === undefined) missing.push(col);
      record[col] = v;
    }
    const build = (): RowChange => ({
      kind: msg.tag,
      table,
      key,
      ...(oldKey !== undefined && oldKey !== key ? { oldKey } : {}),
      record: this.rules().applyRowContext(record as SqliteRow),
    });
    if (missing.length === 0) return build();
    return new ToastPending(rel, record, missing, tuple as Record<string, unknown>, build);
  }

  /**
   * Reads back the unchanged TOASTed values of `pending` (REPLICA IDENTITY DEFAULT sends none) from the
   * tables: one query per table and set of missing columns for single-column keys, one per row otherwise.
   * Like the per-row read it replaces, it reads the current value (a later change of the row follows).
   */
  async fill(pending: readonly ToastPending[]): Promise<void> {
    const groups = new Map<string, ToastPending[]>();
    for (const p of pending) {
      if (p.rel.info.keyColumns.length !== 1) {
        await this.fillOne(p);
        continue;
      }
      const g = `${p.rel.qualified}\u0000${p.missing.join(',')}`;
      const list = groups.get(g);
      if (list) list.push(p);
      else groups.set(g, [p]);
    }
    for (const list of groups.values()) {
      const { rel, missing } = list[0]!;
      const k = rel.info.keyColumns[0]!;
      const res = await this.db.query({
        text: `SELECT ${q(k)}::text, ${missing.map(q).join(', ')} FROM ${q(rel.schema)}.${q(rel.name)} WHERE ${q(k)} = ANY($1)`,
        values: [[...new Set(list.map((p) => String(p.tuple[k])))]],
        rowMode: 'array',
        types: { getTypeParser: () => (v: string) => v },
      } as pg.QueryConfig);
      const byKey = new Map<string, (string | null)[]>();
      for (const row of res.rows as (string | null)[][]) byKey.set(row[0]!, row.slice(1));
      for (const p of list) p.set(byKey.get(String(p.tuple[k])) ?? []);
    }
  }

  private async fillOne(p: ToastPending): Promise<void> {
    const { rel, missing, tuple } = p;
    const where = rel.info.keyColumns.map((k, i) => `${q(k)} = $${i + 1}`).join(' AND ');
    const res = await this.db.query({
      text: `SELECT ${missing.map(q).join(', ')} FROM ${q(rel.schema)}.${q(rel.name)} WHERE ${where}`,
      values: rel.info.keyColumns.map((k) => tuple[k]),
      rowMode: 'array',
      types: { getTypeParser: () => (v: string) => v },
    } as pg.QueryConfig);
    p.set((res.rows[0] ?? []) as (string | null)[]);
  }
}

const q = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** A row change waiting for its unchanged TOASTed values ({@link ChangeDecoder.fill}). */
export class ToastPending {
  constructor(
    readonly rel: Relation,
    private readonly record: Record<string, unknown>,
    readonly missing: string[],
    readonly tuple: Record<string, unknown>,
    private readonly build: () => RowChange,
  ) {}

  /** Sets the missing values (raw text, in `missing` order; a row gone meanwhile gives nulls). */
  set(values: (string | null)[]): void {
    for (let i = 0; i < this.missing.length; i++) {
      const col = this.missing[i]!;
      this.record[col] = convertValue(values[i] ?? null, this.rel.types[this.rel.columns.indexOf(col)]!);
    }
  }

  /** The completed change. */
  change(): RowChange {
    return this.build();
  }
}
