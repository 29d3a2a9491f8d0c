import { type Column, getTableName, is } from 'drizzle-orm';
import { getTableConfig as getPgTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as getSqliteTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';

/**
 * What a column means, independent of dialect. `unsupported` = the PowerSync client cannot carry it.
 */
export type TypeClass = 'text' | 'integer' | 'real' | 'boolean' | 'timestamp' | 'json' | 'unsupported';

/**
 * SQLite column type the sync service gives a column of each class (the type a sync-rules source table
 * declares): what the drift check and `syncline doctor` feed to the rules parser.
 */
export const SQLITE_TYPE_OF_CLASS = {
  text: 'text',
  timestamp: 'text',
  json: 'text',
  integer: 'integer',
  boolean: 'integer',
  real: 'real',
  unsupported: 'blob',
} as const satisfies Record<TypeClass, string>;

/** The SQLite storage class a client column has (PowerSync columns are text, integer or real). */
export type ClientStorage = 'text' | 'integer' | 'real' | 'unsupported';

/** A column of a Drizzle table, dialect-neutral. */
export interface ModelColumn {
  /** Column name in the database. */
  name: string;
  /** Property name in TypeScript. */
  property: string;
  /** The SQL type as Drizzle renders it (`text`, `timestamp with time zone`, `integer`…). */
  sqlType: string;
  /** Drizzle's column class (`SQLiteText`, `PgTimestamp`…). */
  columnType: string;
  typeClass: TypeClass;
  /** SQLite storage on the client; only set for sqlite-core columns. */
  storage?: ClientStorage;
  notNull: boolean;
  primary: boolean;
}

/** A Drizzle table, dialect-neutral. */
export interface ModelTable {
  name: string;
  dialect: 'sqlite' | 'pg';
  columns: ModelColumn[];
  /** Composite primary keys (`primaryKey({ columns })`), as column name lists. */
  compositePrimaryKeys: string[][];
  /** Foreign keys: local columns → referenced table. */
  foreignKeys: { columns: string[]; foreignTable: string }[];
}

/** Whether a value is a Drizzle sqlite-core or pg-core table. */
export function isDrizzleTable(value: unknown): value is SQLiteTable | PgTable {
  return is(value, SQLiteTable) || is(value, PgTable);
}

function propertyNames(table: object): Map<Column, string> {
  const map = new Map<Column, string>();
  for (const [key, value] of Object.entries(table)) {
    if (value && typeof value === 'object' && 'columnType' in value) map.set(value as Column, key);
  }
  return map;
}

function sqliteClass(col: Column): { typeClass: TypeClass; storage: ClientStorage } {
  const sql = col.getSQLType().toLowerCase();
  switch (col.columnType) {
    case 'SQLiteText':
      return { typeClass: 'text', storage: 'text' };
    case 'SQLiteTextJson':
      return { typeClass: 'json', storage: 'text' };
    case 'SQLiteInteger':
      return { typeClass: 'integer', storage: 'integer' };
    case 'SQLiteBoolean':
      return { typeClass: 'boolean', storage: 'integer' };
    case 'SQLiteTimestamp':
      return { typeClass: 'timestamp', storage: 'integer' };
    case 'SQLiteReal':
      return { typeClass: 'real', storage: 'real' };
    case 'SQLiteBigInt':
    case 'SQLiteBlobJson':
    case 'SQLiteBlobBuffer':
    case 'SQLiteNumeric':
    case 'SQLiteNumericNumber':
    case 'SQLiteNumericBigInt':
      return { typeClass: 'unsupported', storage: 'unsupported' };
    default:
      if (sql === 'text') return { typeClass: 'text', storage: 'text' };
      if (sql === 'integer') return { typeClass: 'integer', storage: 'integer' };
      if (sql === 'real') return { typeClass: 'real', storage: 'real' };
      return { typeClass: 'unsupported', storage: 'unsupported' };
  }
}

/** Postgres SQL type → type class (what the sync service turns it into on the client). */
export function pgTypeClass(sqlType: string): TypeClass {
  const t = sqlType.toLowerCase().trim();
  if (t.endsWith('[]')) return 'json';
  const base = t.replace(/\(.*\)/, '').trim();
  if (
    [
      'text',
      'varchar',
      'character varying',
      'char',
      'character',
      'uuid',
      'citext',
      'name',
      'inet',
      'cidr',
      'macaddr',
      'interval',
      'numeric',
      'decimal',
      'money',
    ].includes(base)
  )
    return 'text';
  if (
    [
      'integer',
      'int',
      'int4',
      'smallint',
      'int2',
      'bigint',
      'int8',
      'serial',
      'smallserial',
      'bigserial',
    ].includes(base)
  )
    return 'integer';
  if (['real', 'float4', 'double precision', 'float8'].includes(base)) return 'real';
  if (['boolean', 'bool'].includes(base)) return 'boolean';
  if (base.startsWith('timestamp') || base === 'date' || base.startsWith('time')) return 'timestamp';
  if (['json', 'jsonb'].includes(base)) return 'json';
  return 'unsupported';
}

/**
 * Reads a Drizzle table (sqlite-core or pg-core) into the dialect-neutral model used by lint and drift.
 *
 * @example
 * modelOf(documents.sqlite).columns.map((c) => c.name);
 */
export function modelOf(table: SQLiteTable | PgTable): ModelTable {
  const props = propertyNames(table);
  if (is(table, SQLiteTable)) {
    const cfg = getSqliteTableConfig(table);
    return {
      name: cfg.name,
      dialect: 'sqlite',
      columns: cfg.columns.map((c) => ({
        name: c.name,
        property: props.get(c) ?? c.name,
        sqlType: c.getSQLType(),
        columnType: c.columnType,
        ...sqliteClass(c),
        notNull: c.notNull,
        primary: c.primary,
      })),
      compositePrimaryKeys: cfg.primaryKeys.map((pk) => pk.columns.map((c) => c.name)),
      foreignKeys: cfg.foreignKeys.map((fk) => {
        const ref = fk.reference();
        return { columns: ref.columns.map((c) => c.name), foreignTable: getTableName(ref.foreignTable) };
      }),
    };
  }
  const cfg = getPgTableConfig(table as PgTable);
  return {
    name: cfg.name,
    dialect: 'pg',
    columns: cfg.columns.map((c) => ({
      name: c.name,
      property: props.get(c) ?? c.name,
      sqlType: c.getSQLType(),
      columnType: c.columnType,
      typeClass: pgTypeClass(c.getSQLType()),
      notNull: c.notNull,
      primary: c.primary,
    })),
    compositePrimaryKeys: cfg.primaryKeys.map((pk) => pk.columns.map((c) => c.name)),
    foreignKeys: cfg.foreignKeys.map((fk) => {
      const ref = fk.reference();
      return { columns: ref.columns.map((c) => c.name), foreignTable: getTableName(ref.foreignTable) };
    }),
  };
}

/** Every Drizzle table exported by a module, keyed by table name. */
export function tablesInModule(mod: Record<string, unknown>): Map<string, SQLiteTable | PgTable> {
  const out = new Map<string, SQLiteTable | PgTable>();
  for (const value of Object.values(mod)) {
    if (isDrizzleTable(value)) out.set(getTableName(value), value);
  }
  return out;
}
