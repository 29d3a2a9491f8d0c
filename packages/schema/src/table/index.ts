import { type BuildColumns, getTableName, sql } from 'drizzle-orm';
import {
  type PgColumn,
  type PgColumnBuilderBase,
  type PgTableWithColumns,
  index as pgIndex,
  pgTable,
  uniqueIndex as pgUniqueIndex,
} from 'drizzle-orm/pg-core';
import {
  type SQLiteColumn,
  type SQLiteColumnBuilderBase,
  type SQLiteTableWithColumns,
  index as sqliteIndex,
  sqliteTable,
  uniqueIndex as sqliteUniqueIndex,
} from 'drizzle-orm/sqlite-core';
import type {
  AnyColumnDef,
  ColumnDefault,
  ColumnKind,
  ReferenceSpec,
  ServerOwned,
} from '../columns/index.js';
import { type ConflictOption, type ConflictPolicy, resolveConflicts } from '../conflicts/index.js';
import { DEFAULT_ID_SPEC, type IdSpec } from '../ids/index.js';
import { toSnakeCase } from '../naming/index.js';
import {
  type MembershipOption,
  resolveTableSharing,
  type SharingOption,
  type TableSharing,
} from '../sharing/index.js';
import {
  type PgBuilderOf,
  type PgColumnsOf,
  pgBuilders,
  type SqliteBuilderOf,
  type SqliteColumnsOf,
  sqliteBuilders,
} from './builders.js';

export type { PgBuilderOf, SqliteBuilderOf };

/** A resolved column: property name, column name, kind and flags. */
export interface ColumnInfo {
  /** Property name in TypeScript (camelCase). */
  readonly property: string;
  /** Column name in SQLite and Postgres (snake_case). */
  readonly name: string;
  readonly kind: ColumnKind;
  /** NOT NULL on the server. The owner column is NOT NULL on the server only. */
  readonly notNull: boolean;
  readonly default: ColumnDefault | undefined;
  /** The accepted id format (`id` columns only). */
  readonly id?: IdSpec;
  /** The table this column points at (`column.text().ref(() => table)`). */
  readonly references?: ReferenceSpec;
  /** Set by the server only (`column.x().serverOwned()`): clients' values are ignored. */
  readonly serverOwned?: ServerOwned;
}

/** An index over columns, declared once for both dialects. */
export interface IndexSpec<P extends string = string> {
  readonly name: string;
  readonly unique: boolean;
  readonly columns: readonly P[];
  /**
   * Unique indexes only: `'owner'` (default) makes the values unique per owner — on the server the owner
   * column joins the key; `'global'` makes them unique across all users, which lets any user probe whether
   * a value exists (a 409 on another user's value) and squat values others will want.
   */
  readonly scope?: 'owner' | 'global';
}

/**
 * Declares an index for {@link defineTable}; columns are property names.
 *
 * @example
 * indexes: [index('idx_documents_owner').on('ownerId')]
 */
export function index(name: string) {
  return {
    on: <P extends string>(...columns: [P, ...P[]]): IndexSpec<P> => ({ name, unique: false, columns }),
  };
}

/**
 * Declares a unique index for {@link defineTable}; columns are property names. On a synced table the
 * values are unique **per owner**: the server's index also covers the owner column, so one user's rows
 * never collide with (or reveal) another user's. Pass `{ global: true }` for uniqueness across all users
 * (the linter warns: any user can then probe for and squat values).
 *
 * @example
 * indexes: [uniqueIndex('uq_document_groups_pair').on('documentId', 'groupId')]
 * indexes: [uniqueIndex('uq_handles', { global: true }).on('handle')] // one handle in the whole system
 */
export function uniqueIndex(name: string, options: { global?: boolean } = {}) {
  const scope = options.global === true ? 'global' : 'owner';
  return {
    on: <P extends string>(...columns: [P, ...P[]]): IndexSpec<P> => ({ name, unique: true, columns, scope }),
  };
}

/** Options for {@link defineTable}. */
export interface TableOptions<P extends string> {
  /**
   * The owner column (property name) that drives sync rules and upload checks, or `false` for a
   * table without one (the linter rejects synced tables without an owner).
   * Default: the `column.owner()` column, else a column named `owner_id`.
   */
  owner?: P | false;
  /**
   * The soft-delete timestamp column (property name): DELETE sets it instead of deleting the row.
   * Default: a timestamp column named `deleted_at` if there is one.
   */
  softDelete?: P | false;
  /** Indexes, created on both the client and the server. */
  indexes?: readonly IndexSpec<P>[];
  /**
   * This is a membership table: each row gives `user` a `role` (`viewer` / `editor`) on the row `resource`
   * references. See the schema README, "Sharing".
   *
   * @example
   * membership: { resource: 'projectId', user: 'userId', role: 'role' }
   */
  membership?: MembershipOption<P>;
  /**
   * Rows inherit read and write access from the shared row `via` references (a document from its project).
   *
   * @example
   * sharing: { via: 'projectId' }
   */
  sharing?: SharingOption<P>;
  /**
   * What happens when two devices change the same row: `'lww'` (default, field by field) or
   * `{ policy: 'version', column, lww? }`. See {@link ConflictOption}.
   */
  conflicts?: ConflictOption<P>;
}

/** The client Drizzle table of a definition (`any`-typed when the columns are not known). */
export type SqliteTableOf<N extends string, C extends Record<string, AnyColumnDef>> =
  Record<string, AnyColumnDef> extends C
    ? // biome-ignore lint/suspicious/noExplicitAny: a table of unknown columns (`SyncedTable` without arguments) must accept every concrete Drizzle table; Drizzle spreads columns onto the table, so `TableWithColumns<TableConfig>` demands an index signature concrete tables lack
      SQLiteTableWithColumns<any>
    : ExactSqliteTable<N, C>;

/** The server Drizzle table of a definition (`any`-typed when the columns are not known). */
export type PgTableOf<N extends string, C extends Record<string, AnyColumnDef>> =
  Record<string, AnyColumnDef> extends C
    ? // biome-ignore lint/suspicious/noExplicitAny: a table of unknown columns (`SyncedTable` without arguments) must accept every concrete Drizzle table; Drizzle spreads columns onto the table, so `TableWithColumns<TableConfig>` demands an index signature concrete tables lack
      PgTableWithColumns<any>
    : ExactPgTable<N, C>;

type ExactSqliteTable<N extends string, C extends Record<string, AnyColumnDef>> = SQLiteTableWithColumns<{
  name: N;
  schema: undefined;
  columns: BuildColumns<N, SqliteColumnsOf<C>, 'sqlite'>;
  dialect: 'sqlite';
}>;

type ExactPgTable<N extends string, C extends Record<string, AnyColumnDef>> = PgTableWithColumns<{
  name: N;
  schema: undefined;
  columns: BuildColumns<N, PgColumnsOf<C>, 'pg'>;
  dialect: 'pg';
}>;

interface TableBase<N extends string, C extends Record<string, AnyColumnDef>> {
  /** Table name in SQLite and Postgres. */
  readonly name: N;
  /** The descriptors as declared. */
  readonly definition: C;
  /** Resolved columns in declaration order. */
  readonly columns: readonly ColumnInfo[];
  /** Columns by column name and by property name. */
  readonly column: (nameOrProperty: string) => ColumnInfo | undefined;
  readonly indexes: readonly IndexSpec[];
  /** The client table (`drizzle-orm/sqlite-core`), for `wrapPowerSyncWithDrizzle`. */
  readonly sqlite: SqliteTableOf<N, C>;
}

/** A synced table: exists on the client and on the server. */
export interface SyncedTable<
  N extends string = string,
  C extends Record<string, AnyColumnDef> = Record<string, AnyColumnDef>,
> extends TableBase<N, C> {
  readonly localOnly: false;
  /** The server table (`drizzle-orm/pg-core`). */
  readonly pg: PgTableOf<N, C>;
  /** The owner column, if any. */
  readonly owner: ColumnInfo | undefined;
  /** The soft-delete column, if any. */
  readonly softDelete: ColumnInfo | undefined;
  /** How the table takes part in sharing (a membership table, or shared via a reference), if at all. */
  readonly sharing: TableSharing | undefined;
  /** What the upload endpoint does when two devices change the same row. */
  readonly conflicts: ConflictPolicy;
  /** The entry for PowerSync's `DrizzleAppSchema`. */
  readonly powersync: { tableDefinition: SqliteTableOf<N, C>; options: { localOnly: false } };
}

/** A local-only table: exists on the client only and is never uploaded or synced. */
export interface LocalTable<
  N extends string = string,
  C extends Record<string, AnyColumnDef> = Record<string, AnyColumnDef>,
> extends TableBase<N, C> {
  readonly localOnly: true;
  readonly pg: undefined;
  readonly owner: undefined;
  readonly softDelete: undefined;
  readonly sharing: undefined;
  readonly conflicts: { readonly policy: 'lww' };
  readonly powersync: { tableDefinition: SqliteTableOf<N, C>; options: { localOnly: true } };
}

/** Any table definition. */
export type AnyTable = SyncedTable | LocalTable;

function resolveColumns(definition: Record<string, AnyColumnDef>): ColumnInfo[] {
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

function buildSqliteColumns(columns: readonly ColumnInfo[]) {
  const out: Record<string, SqliteChain> = {};
  for (const c of columns) {
    let b: SqliteChain = sqliteBuilders[c.kind](c.name);
    if (c.notNull && c.kind !== 'owner' && c.kind !== 'id') b = b.notNull();
    if (c.default) b = b.$defaultFn(defaultFactory(c.default));
    out[c.property] = b;
  }
  return out;
}

function buildPgColumns(columns: readonly ColumnInfo[]) {
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

function columnLookup(columns: readonly ColumnInfo[]) {
  const map = new Map<string, ColumnInfo>();
  for (const c of columns) {
    map.set(c.name, c);
    map.set(c.property, c);
  }
  return (key: string) => map.get(key);
}

/** The index columns of a spec: on the server, owner-scoped unique indexes get the owner column appended. */
function indexColumns<T>(spec: IndexSpec, self: Record<string, T>, ownerProperty?: string): [T, ...T[]] {
  const scoped =
    spec.unique &&
    spec.scope !== 'global' &&
    ownerProperty !== undefined &&
    !spec.columns.includes(ownerProperty);
  const [first, ...rest] = [...spec.columns, ...(scoped ? [ownerProperty] : [])].map((p) => {
    const col = self[p];
    if (!col) throw new Error(`Index "${spec.name}" references unknown column "${p}"`);
    return col;
  });
  return [first as T, ...rest];
}

/** Drizzle sqlite-core index builders. */
function sqliteIndexBuilders(indexes: readonly IndexSpec[]) {
  return (self: Record<string, SQLiteColumn>) =>
    indexes.map((spec) =>
      (spec.unique ? sqliteUniqueIndex : sqliteIndex)(spec.name).on(...indexColumns(spec, self)),
    );
}

/**
 * Drizzle pg-core index builders. `ownerProperty`: owner-scoped unique indexes get the owner column
 * appended to their key (appended, so the index still serves lookups by its declared columns).
 */
function pgIndexBuilders(indexes: readonly IndexSpec[], ownerProperty: string | undefined) {
  return (self: Record<string, PgColumn>) =>
    indexes.map((spec) =>
      (spec.unique ? pgUniqueIndex : pgIndex)(spec.name).on(...indexColumns(spec, self, ownerProperty)),
    );
}

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

/** The table name of a Drizzle table (either dialect). */
export { getTableName };
