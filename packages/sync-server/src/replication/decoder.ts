import type { SqliteRow } from '@powersync/service-sync-rules';
import type pg from 'pg';
import type { SyncRules } from '../rules/index.js';
import type { RowChange } from '../storage/ops.js';
import { type CatalogResolver, rowKey, type TableInfo } from './tables.js';
import { type ColumnType, convertValue } from './values.js';
import type { PgRelation, PgRowMessage, PgTruncate, PgTuple } from './wal-stream.js';

interface Relation {
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
   * The change an insert/update/delete message makes to a synced table, or null for other tables. Returns
   * a promise only when unchanged TOASTed values must be read back.
   */
  row(msg: PgRowMessage): RowChange | null | Promise<RowChange> {
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
    return this.fillToast(rel, record, missing, tuple).then(build);
  }

  /** Unchanged TOASTed values without an old tuple (REPLICA IDENTITY DEFAULT): read them from the table. */
  private async fillToast(
    rel: Relation,
    record: Record<string, unknown>,
    missing: string[],
    tuple: Record<string, unknown>,
  ): Promise<void> {
    const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
    const where = rel.info.keyColumns.map((k, i) => `${q(k)} = $${i + 1}`).join(' AND ');
    const res = await this.db.query({
      text: `SELECT ${missing.map(q).join(', ')} FROM ${q(rel.schema)}.${q(rel.name)} WHERE ${where}`,
      values: rel.info.keyColumns.map((k) => tuple[k]),
      rowMode: 'array',
      types: { getTypeParser: () => (v: string) => v },
    } as pg.QueryConfig);
    const row = (res.rows[0] ?? []) as (string | null)[];
    for (let i = 0; i < missing.length; i++) {
      const idx = rel.columns.indexOf(missing[i]!);
      record[missing[i]!] = convertValue(row[i] ?? null, rel.types[idx]!);
    }
  }
}
