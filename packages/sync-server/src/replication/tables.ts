import type pg from 'pg';
import { builtinColumnType, type ColumnType } from './values.js';

/** What replication needs to know about a source table. */
export interface TableInfo {
  schema: string;
  name: string;
  /** Columns identifying a row (primary key; replica identity index or all columns as fallbacks). */
  keyColumns: string[];
}

type Queryable = Pick<pg.Client, 'query'>;

/**
 * Resolves table keys and non-built-in column types from the catalog, with caches. Row identity always
 * comes from the primary key (not the replica identity), so REPLICA IDENTITY FULL and DEFAULT tables key
 * rows the same way.
 */
export class CatalogResolver {
  private readonly types = new Map<number, ColumnType>();
  private readonly tables = new Map<string, TableInfo>();

  constructor(private readonly db: Queryable) {}

  /** Column type for a type OID (asks pg_type for enums, domains and custom arrays). */
  async columnTypes(oids: readonly number[]): Promise<ColumnType[]> {
    const unknown = [...new Set(oids.filter((o) => !this.types.has(o) && !builtinColumnType(o)))];
    if (unknown.length) {
      const { rows } = await this.db.query<{
        oid: number;
        typcategory: string;
        typelem: number;
        typbasetype: number;
      }>(
        'SELECT oid::int, typcategory, typelem::int, typbasetype::int FROM pg_type WHERE oid = ANY($1::oid[])',
        [unknown],
      );
      for (const r of rows) {
        if (r.typcategory === 'A') {
          const el = builtinColumnType(r.typelem);
          this.types.set(r.oid, { kind: 'array', element: el && el.kind !== 'array' ? el.kind : 'text' });
        } else if (r.typbasetype) {
          this.types.set(r.oid, builtinColumnType(r.typbasetype) ?? { kind: 'text' });
        } else {
          this.types.set(r.oid, { kind: 'text' });
        }
      }
    }
    return oids.map((o) => builtinColumnType(o) ?? this.types.get(o) ?? { kind: 'text' });
  }

  /** Key columns of a table. */
  async table(schema: string, name: string, fallbackKey: readonly string[] = []): Promise<TableInfo> {
    const id = `${schema}.${name}`;
    const cached = this.tables.get(id);
    if (cached) return cached;
    const { rows } = await this.db.query<{ attname: string; indisprimary: boolean }>(
      `SELECT a.attname, i.indisprimary
         FROM pg_index i
         JOIN pg_class c ON c.oid = i.indrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
        WHERE n.nspname = $1 AND c.relname = $2 AND (i.indisprimary OR i.indisreplident)
        ORDER BY i.indisprimary DESC, k.ord`,
      [schema, name],
    );
    const primary = rows.filter((r) => r.indisprimary).map((r) => r.attname);
    const keyColumns = primary.length ? primary : rows.length ? rows.map((r) => r.attname) : [...fallbackKey];
    const info = { schema, name, keyColumns };
    this.tables.set(id, info);
    return info;
  }

  /** Forgets a table (after a schema change). */
  invalidate(schema: string, name: string): void {
    this.tables.delete(`${schema}.${name}`);
  }
}

/** Serialises a row's key: the value itself for one key column, a JSON array for several. */
export function rowKey(keyColumns: readonly string[], row: Record<string, unknown>): string {
  if (keyColumns.length === 1) return String(row[keyColumns[0]!]);
  return JSON.stringify(keyColumns.map((k) => (row[k] === undefined ? null : row[k])));
}
