/**
 * Browser-safe entry point, `@syncline/schema/client`: defining tables and schemas, codecs and naming —
 * everything a client (web, React Native, Electron renderer) needs at run time. It leaves out the CLI
 * (`node:fs`), the drift check and the sync-rules generator (`@powersync/service-sync-rules`), which the
 * main entry also exports.
 *
 * @example
 * import { column, defineSchema, defineTable } from '@syncline/schema/client';
 */
export { type Codec, codecs, decodeRow, decodeValue, encodeRow, encodeValue } from './codecs/index.js';
export {
  type AnyColumnDef,
  ColumnDef,
  type ColumnDefault,
  type ColumnKind,
  column,
  type IdOptions,
  type KindValue,
  kindStorage,
  type ReferenceSpec,
  type ServerOwned,
  TimestampColumnDef,
} from './columns/index.js';
export type { ConflictOption, ConflictPolicy } from './conflicts/index.js';
export {
  checkId,
  DEFAULT_ID_MAX_LENGTH,
  DEFAULT_ID_PATTERN,
  DEFAULT_ID_SPEC,
  describeIdSpec,
  type IdFormat,
  type IdSpec,
  UUID_PATTERN,
} from './ids/index.js';
export { SAFE_NAME, toCamelCase, toSnakeCase } from './naming/index.js';
export { defineSchema, type SynclineSchema } from './schema/index.js';
export {
  type MembershipOption,
  resolveSharing,
  SHARE_ROLES,
  type SharedResource,
  type ShareRole,
  type SharingOption,
  sharingPartOf,
  type TableSharing,
} from './sharing/index.js';
export {
  type AnyTable,
  type ColumnInfo,
  defineLocalTable,
  defineTable,
  type IndexSpec,
  index,
  isTableDefinition,
  type LocalTable,
  type PgBuilderOf,
  type PgTableOf,
  type SqliteBuilderOf,
  type SqliteTableOf,
  type SyncedTable,
  type TableOptions,
  uniqueIndex,
} from './table/index.js';
