import type { BuildColumns } from 'drizzle-orm';
import type { PgTableWithColumns } from 'drizzle-orm/pg-core';
import type { SQLiteTableWithColumns } from 'drizzle-orm/sqlite-core';
import type {
  AnyColumnDef,
  ColumnDefault,
  ColumnKind,
  ReferenceSpec,
  ServerOwned,
} from '../columns/index.js';
import type { ConflictOption, ConflictPolicy } from '../conflicts/index.js';
import type { IdSpec } from '../ids/index.js';
import type { MembershipOption, SharingOption, TableSharing } from '../sharing/index.js';
import type { PgColumnsOf, SqliteColumnsOf } from './builders.js';
import type { IndexSpec } from './indexes.js';

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
