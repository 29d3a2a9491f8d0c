import type { CommonPowerSyncDatabase, PowerSyncLogger, Schema } from '@powersync/common';
import {
  DrizzleAppSchema,
  type DrizzleTableWithPowerSyncOptions,
  type PowerSyncSQLiteDatabase,
  wrapPowerSyncWithDrizzle,
} from '@powersync/drizzle-driver';
import { invalidOption } from '@syncline/errors';
import type { SynclineSchema } from '@syncline/schema/client';
import { clientTableNames, clientTables } from '../tables/index.js';

/** What the platform factory receives: the PowerSync schema (and a logger if one was given). */
export interface OpenDatabaseOptions {
  schema: Schema;
  logger?: PowerSyncLogger;
}

/**
 * Opens the platform's PowerSync database. The core never imports `@powersync/node`, `@powersync/web`
 * or `@powersync/react-native`: the app passes this factory.
 *
 * @example
 * import { PowerSyncDatabase } from '@powersync/node';
 * const openDatabase: OpenDatabase = (options) =>
 *   new PowerSyncDatabase({ ...options, database: { dbFilename: 'notes.db' } });
 */
export type OpenDatabase = (options: OpenDatabaseOptions) => CommonPowerSyncDatabase;

/** The Drizzle tables of the app schema plus the client's own tables. */
export type ClientSqliteSchema<S extends SynclineSchema> = S['sqlite'] & {
  syncRejections: (typeof clientTables)['syncRejections']['sqlite'];
  syncQuarantine: (typeof clientTables)['syncQuarantine']['sqlite'];
  syncAccount: (typeof clientTables)['syncAccount']['sqlite'];
};

/** Options for {@link createDatabase}. */
export interface CreateDatabaseOptions<S extends SynclineSchema> {
  /** The app's tables: `defineSchema({ … })`. Required. */
  schema: S;
  /** The platform factory, e.g. `(o) => new PowerSyncDatabase({ ...o, database: { dbFilename } })`. Required. */
  openDatabase: OpenDatabase;
  /** Passed to `openDatabase`. Default: none (the SDK's console logger). */
  powerSyncLogger?: PowerSyncLogger;
}

/** A database made by {@link createDatabase}. */
export interface SyncDatabase<S extends SynclineSchema> {
  /** The PowerSync database (node, web or react-native). */
  powersync: CommonPowerSyncDatabase;
  /** Drizzle over it, with the app's tables and the client's tables. */
  db: PowerSyncSQLiteDatabase<ClientSqliteSchema<S>>;
  /** The PowerSync schema: app tables (local-only ones marked) plus the client's local-only tables. */
  appSchema: DrizzleAppSchema<Record<string, DrizzleTableWithPowerSyncOptions>>;
  /** The app's schema as given. */
  schema: S;
}

/**
 * Builds the PowerSync schema from the table definitions (local-only tables marked, the client's
 * `sync_rejections`, `sync_quarantine` and `sync_account` added), opens the database with the platform
 * factory and wraps it with Drizzle.
 *
 * @example
 * import { PowerSyncDatabase } from '@powersync/node';
 * const { powersync, db } = createDatabase({
 *   schema,
 *   openDatabase: (o) => new PowerSyncDatabase({ ...o, database: { dbFilename: 'notes.db' } }),
 * });
 * await db.insert(documents.sqlite).values({ id: crypto.randomUUID(), content: 'hi', deviceId: 'd1' });
 */
export function createDatabase<S extends SynclineSchema>(options: CreateDatabaseOptions<S>): SyncDatabase<S> {
  const f = 'createDatabase';
  if (!options || typeof options !== 'object') throw invalidOption(f, 'options', 'must be an object');
  const { schema, openDatabase } = options;
  if (!schema || typeof schema !== 'object' || !Array.isArray(schema.tables) || !schema.powersync) {
    throw invalidOption(f, 'schema', 'must be a schema made by defineSchema() from @syncline/schema');
  }
  if (typeof openDatabase !== 'function') {
    throw invalidOption(f, 'openDatabase', 'must be a function (options) => PowerSyncDatabase');
  }
  for (const t of schema.tables) {
    if (clientTableNames.includes(t.name)) {
      throw invalidOption(f, 'schema', `uses the table name "${t.name}", which @syncline/client reserves`);
    }
  }
  for (const key of Object.keys(clientTables)) {
    if (Object.hasOwn(schema.sqlite, key)) {
      throw invalidOption(f, 'schema', `uses the key "${key}", which @syncline/client reserves`);
    }
  }
  const entries: Record<string, DrizzleTableWithPowerSyncOptions> = { ...schema.powersync };
  const sqlite: Record<string, unknown> = { ...schema.sqlite };
  for (const [key, table] of Object.entries(clientTables)) {
    entries[key] = table.powersync;
    sqlite[key] = table.sqlite;
  }
  const appSchema = new DrizzleAppSchema(entries);
  const powersync = openDatabase(
    options.powerSyncLogger ? { schema: appSchema, logger: options.powerSyncLogger } : { schema: appSchema },
  );
  if (!powersync || typeof powersync.connect !== 'function' || typeof powersync.getAll !== 'function') {
    throw invalidOption(f, 'openDatabase', 'must return a PowerSyncDatabase');
  }
  const db = wrapPowerSyncWithDrizzle(powersync, {
    schema: sqlite as ClientSqliteSchema<S>,
  });
  return { powersync, db, appSchema, schema };
}
