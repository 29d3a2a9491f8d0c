import { pgTable } from 'drizzle-orm/pg-core';
import { sqliteTable } from 'drizzle-orm/sqlite-core';
import type { AnyColumnDef } from '../columns/index.js';
import { resolveConflicts } from '../conflicts/index.js';
import { resolveTableSharing } from '../sharing/index.js';
import type { PgBuilderOf, SqliteBuilderOf } from './builders.js';
import { buildPgColumns, buildSqliteColumns, columnLookup, resolveColumns } from './columns.js';
import { pgIndexBuilders, sqliteIndexBuilders } from './indexes.js';
import type {
  AnyTable,
  ColumnInfo,
  LocalTable,
  PgTableOf,
  SqliteTableOf,
  SyncedTable,
  TableOptions,
} from './types.js';

export { type IndexSpec, index, uniqueIndex } from './indexes.js';
export type {
  AnyTable,
  ColumnInfo,
  LocalTable,
  PgTableOf,
  SqliteTableOf,
  SyncedTable,
  TableOptions,
} from './types.js';
export type { PgBuilderOf, SqliteBuilderOf };

/**
 * Defines a synced table once. Everything else is derived from it: the SQLite Drizzle table (`.sqlite`),
 * the Postgres Drizzle table (`.pg`), the `DrizzleAppSchema` entry (`.powersync`), the codecs, the sync
 * rules and the upload handler's mapping.
 *
 * @example
 * export const documents = defineTable('documents', {
 *   id: column.id(),
 *   title: column.text(),
 *   content: column.text().notNull(),
 *   ownerId: column.owner(),
 *   createdAt: column.timestamp().notNull(),
 *   deletedAt: column.timestamp(),
 * }, { indexes: [index('idx_documents_owner').on('ownerId')] });
 *
 * type Document = typeof documents.sqlite.$inferSelect; // { id: string; title: string | null; … }
 */
export function defineTable<N extends string, C extends Record<string, AnyColumnDef>>(
  name: N,
  definition: C,
  options: TableOptions<keyof C & string> = {},
): SyncedTable<N, C> {
  const columns = resolveColumns(definition);
  const column = columnLookup(columns);
  const indexes = options.indexes ?? [];
  let owner: ColumnInfo | undefined;
  if (options.owner !== false) {
    owner =
      options.owner !== undefined
        ? column(options.owner)
        : (columns.find((c) => c.kind === 'owner') ?? columns.find((c) => c.name === 'owner_id'));
    if (options.owner !== undefined && !owner) {
      throw new Error(`defineTable("${name}"): option "owner" names unknown column "${options.owner}"`);
    }
  }
  let softDelete: ColumnInfo | undefined;
  if (options.softDelete !== false) {
    softDelete =
      options.softDelete !== undefined
        ? column(options.softDelete)
        : columns.find((c) => c.name === 'deleted_at' && c.kind === 'timestamp');
    if (options.softDelete !== undefined && softDelete?.kind !== 'timestamp') {
      throw new Error(
        `defineTable("${name}"): option "softDelete" must name a timestamp column, got "${options.softDelete}"`,
      );
    }
  }
  const sharing = resolveTableSharing(name, options, column, owner);
  const conflicts = resolveConflicts(name, options.conflicts, column, columns);
  const sqlite = sqliteTable(
    name,
    buildSqliteColumns(columns),
    sqliteIndexBuilders(indexes),
  ) as SqliteTableOf<N, C>;
  const pg = pgTable(name, buildPgColumns(columns), pgIndexBuilders(indexes, owner?.property)) as PgTableOf<
    N,
    C
  >;
  return {
    name,
    definition,
    columns,
    column,
    indexes,
    sqlite,
    pg,
    owner,
    softDelete,
    sharing,
    conflicts,
    localOnly: false,
    powersync: { tableDefinition: sqlite, options: { localOnly: false } },
  };
}

/**
 * Defines a local-only table: it lives in the client's SQLite only, is never uploaded, and survives
 * an account switch (`disconnectAndClear()` keeps local-only tables).
 *
 * @example
 * export const preferences = defineLocalTable('preferences', {
 *   id: column.id(),
 *   key: column.text().notNull(),
 *   value: column.text(),
 * });
 */
export function defineLocalTable<N extends string, C extends Record<string, AnyColumnDef>>(
  name: N,
  definition: C,
  options: Pick<TableOptions<keyof C & string>, 'indexes'> = {},
): LocalTable<N, C> {
  const columns = resolveColumns(definition);
  const indexes = options.indexes ?? [];
  const sqlite = sqliteTable(
    name,
    buildSqliteColumns(columns),
    sqliteIndexBuilders(indexes),
  ) as SqliteTableOf<N, C>;
  return {
    name,
    definition,
    columns,
    column: columnLookup(columns),
    indexes,
    sqlite,
    pg: undefined,
    owner: undefined,
    softDelete: undefined,
    sharing: undefined,
    conflicts: { policy: 'lww' },
    localOnly: true,
    powersync: { tableDefinition: sqlite, options: { localOnly: true } },
  };
}

/** Whether a value is a table made by {@link defineTable} or {@link defineLocalTable}. */
export function isTableDefinition(value: unknown): value is AnyTable {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<AnyTable>;
  return (
    typeof v.name === 'string' && Array.isArray(v.columns) && typeof v.localOnly === 'boolean' && !!v.sqlite
  );
}
