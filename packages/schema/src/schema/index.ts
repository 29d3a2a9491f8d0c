import { SyncError } from '@syncline/errors';
import { resolveSharing, type SharedResource } from '../sharing/index.js';
import type { AnyTable, LocalTable, SyncedTable } from '../table/index.js';

type SyncedKeys<T> = { [K in keyof T]: T[K] extends SyncedTable ? K : never }[keyof T];

/** A set of table definitions with everything derived from them, keyed like the input. */
export interface SynclineSchema<T extends Record<string, AnyTable> = Record<string, AnyTable>> {
  /** The definitions as given. */
  readonly definitions: T;
  /** All tables, in declaration order. */
  readonly tables: readonly AnyTable[];
  /** Synced tables only. */
  readonly synced: readonly SyncedTable[];
  /** Local-only tables only. */
  readonly local: readonly LocalTable[];
  /** Client Drizzle tables, for `wrapPowerSyncWithDrizzle(db, { schema: schema.sqlite })`. */
  readonly sqlite: { [K in keyof T]: T[K]['sqlite'] };
  /** Server Drizzle tables (synced tables only), for `drizzle(pool, { schema: schema.pg })` and migrations. */
  readonly pg: { [K in SyncedKeys<T>]: NonNullable<T[K]['pg']> };
  /** The shared resources (tables shared through a membership table) and the tables inheriting their access. */
  readonly sharing: readonly SharedResource[];
  /** Entries for PowerSync: `new DrizzleAppSchema(schema.powersync)`. */
  readonly powersync: { [K in keyof T]: T[K]['powersync'] };
  /** A table by its table name. */
  table(name: string): AnyTable | undefined;
}

/**
 * Groups table definitions into one schema and checks that table names are unique and that sharing
 * declarations (`membership`, `sharing.via`) fit together (`SCHEMA_INVALID_SHARING`).
 *
 * @example
 * export const schema = defineSchema({ projects, documents, preferences });
 * const appSchema = new DrizzleAppSchema(schema.powersync);
 * const db = wrapPowerSyncWithDrizzle(powerSync, { schema: schema.sqlite });
 */
export function defineSchema<T extends Record<string, AnyTable>>(definitions: T): SynclineSchema<T> {
  const tables = Object.values(definitions);
  const byName = new Map<string, AnyTable>();
  for (const t of tables) {
    if (byName.has(t.name)) {
      throw new SyncError('SCHEMA_DUPLICATE_TABLE', `Two definitions use the table name "${t.name}"`, {
        details: { table: t.name },
      });
    }
    byName.set(t.name, t);
  }
  const sqlite: Record<string, unknown> = {};
  const pg: Record<string, unknown> = {};
  const powersync: Record<string, unknown> = {};
  for (const [key, t] of Object.entries(definitions)) {
    sqlite[key] = t.sqlite;
    powersync[key] = t.powersync;
    if (!t.localOnly) pg[key] = t.pg;
  }
  const sharing = resolveSharing(tables);
  return {
    definitions,
    tables,
    sharing,
    synced: tables.filter((t): t is SyncedTable => !t.localOnly),
    local: tables.filter((t): t is LocalTable => t.localOnly),
    sqlite: sqlite as SynclineSchema<T>['sqlite'],
    pg: pg as SynclineSchema<T>['pg'],
    powersync: powersync as SynclineSchema<T>['powersync'],
    table: (name) => byName.get(name),
  };
}
