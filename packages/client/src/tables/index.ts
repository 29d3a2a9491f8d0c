/**
 * The client's own local-only tables. They are added to the app's schema by `createDatabase`, never
 * uploaded, and survive an account switch (`disconnectAndClear({ clearLocal: false })`).
 */
import { column, defineLocalTable } from '@syncline/schema/client';

/**
 * Writes the API rejected permanently (a 4xx): one row per op of the rejected client transaction. The app
 * lists them (`client.rejections.list()`), re-applies one as a new local write (`retry`) or drops it
 * (`discard`). Rows are tagged with the user they belong to and listed for that user only.
 *
 * @example
 * const rows = await client.db.select().from(syncRejections.sqlite);
 */
export const syncRejections = defineLocalTable('sync_rejections', {
  /** `rej-<ps_crud id>`: deterministic, so recording a rejection twice (crash, retry) keeps one row. */
  id: column.id(),
  userId: column.text(),
  tableName: column.text().notNull(),
  rowId: column.text().notNull(),
  /** `PUT`, `PATCH` or `DELETE`. */
  op: column.text().notNull(),
  /** The API's error code, e.g. `UPLOAD_NOT_OWNER`. */
  code: column.text().notNull(),
  message: column.text().notNull(),
  /** The op's data as JSON text (null for DELETE). */
  data: column.text(),
  /** The API's `error.details` plus `opIndex` and `offending` (whether this op caused it), JSON text. */
  details: column.text(),
  /** The client transaction id (`op_id` of the upload). */
  transactionId: column.integer(),
  rejectedAt: column.timestamp().notNull(),
});

/**
 * Pending writes of a previous user, taken out of the upload queue when another user signed in on this
 * device, so they are never sent with the new user's token. Listed and restorable for their user only.
 *
 * @example
 * const mine = await client.quarantine.list();
 */
export const syncQuarantine = defineLocalTable('sync_quarantine', {
  /** `q-<ps_crud id>`: deterministic, so an interrupted switch that runs again keeps one row. */
  id: column.id(),
  userId: column.text().notNull(),
  tableName: column.text().notNull(),
  rowId: column.text().notNull(),
  op: column.text().notNull(),
  data: column.text(),
  transactionId: column.integer(),
  /** Order of the original write (the `ps_crud` id), so a restore replays in order. */
  sequence: column.integer().notNull(),
  quarantinedAt: column.timestamp().notNull(),
});

/**
 * Which user the synced data on this device belongs to, and the database version (bumped on every
 * clear, so caches know to refetch). One row, id `owner`.
 *
 * @example
 * const [state] = await client.db.select().from(syncAccount.sqlite);
 */
export const syncAccount = defineLocalTable('sync_account', {
  id: column.id(),
  userId: column.text(),
  databaseVersion: column.integer().notNull(),
  updatedAt: column.timestamp().notNull(),
});

/**
 * The client's tables, keyed like a `defineSchema` input (`createDatabase` adds them for you).
 *
 * @example
 * const pending = await client.db.select().from(clientTables.syncQuarantine.sqlite);
 */
export const clientTables = { syncRejections, syncQuarantine, syncAccount };

/** Table names the client reserves. */
export const clientTableNames: readonly string[] = Object.values(clientTables).map((t) => t.name);
