import { sql } from 'drizzle-orm';
import type { PgColumnBuilderBase } from 'drizzle-orm/pg-core';
import type { SQLiteColumnBuilderBase } from 'drizzle-orm/sqlite-core';
import type { AnyColumnDef, ColumnDefault } from '../columns/index.js';
import { DEFAULT_ID_SPEC } from '../ids/index.js';
import { toSnakeCase } from '../naming/index.js';
import { pgBuilders, sqliteBuilders } from './builders.js';
import type { ColumnInfo } from './types.js';

export function resolveColumns(definition: Record<string, AnyColumnDef>): ColumnInfo[] {
  return Object.entries(definition).map(([property, def]) => {
    const { kind, references, serverOwned } = def.config;
    return {
      property,
      name: def.config.name ?? toSnakeCase(property),
      kind,
      notNull: kind === 'owner' || kind === 'id' ? true : def.config.notNull,
      default: def.config.default,
      ...(kind === 'id' ? { id: def.config.id ?? DEFAULT_ID_SPEC } : {}),
      ...(references ? { references } : {}),
      ...(serverOwned ? { serverOwned } : {}),
    };
  });
}

function defaultFactory(d: ColumnDefault): () => unknown {
  if (d.kind === 'now') return () => new Date().toISOString();
  if (d.kind === 'fn') return d.fn;
  const value = d.value;
  return () => value;
}

/**
 * The builder methods the column loops chain. Method syntax on purpose: each Drizzle builder takes
 * defaults of its own value type, which a loop over every kind can only check at the descriptor.
 */
interface SqliteChain extends SQLiteColumnBuilderBase {
  notNull(): SqliteChain;
  $defaultFn(fn: () => unknown): SqliteChain;
}

interface PgChain extends PgColumnBuilderBase {
  notNull(): PgChain;
  default(value: unknown): PgChain;
  $defaultFn(fn: () => unknown): PgChain;
}

export function buildSqliteColumns(columns: readonly ColumnInfo[]) {
  const out: Record<string, SqliteChain> = {};
  for (const c of columns) {
    let b: SqliteChain = sqliteBuilders[c.kind](c.name);
    if (c.notNull && c.kind !== 'owner' && c.kind !== 'id') b = b.notNull();
    if (c.default) b = b.$defaultFn(defaultFactory(c.default));
    out[c.property] = b;
  }
  return out;
}

export function buildPgColumns(columns: readonly ColumnInfo[]) {
  const out: Record<string, PgChain> = {};
  for (const c of columns) {
    let b: PgChain = pgBuilders[c.kind](c.name);
    if (c.notNull && c.kind !== 'owner' && c.kind !== 'id') b = b.notNull();
    const d = c.default;
    // what pg-core's `defaultNow()` does (only its timestamp builders carry the method)
    if (d?.kind === 'now') b = b.default(sql`now()`);
    else if (d?.kind === 'value') b = b.default(c.kind === 'timestamp' ? new Date(String(d.value)) : d.value);
    else if (d?.kind === 'fn')
      b = b.$defaultFn(c.kind === 'timestamp' ? () => new Date(String(d.fn())) : d.fn);
    out[c.property] = b;
  }
  return out;
}

export function columnLookup(columns: readonly ColumnInfo[]) {
  const map = new Map<string, ColumnInfo>();
  for (const c of columns) {
    map.set(c.name, c);
    map.set(c.property, c);
  }
  return (key: string) => map.get(key);
}
