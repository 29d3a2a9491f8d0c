export {
  type EmbeddedPostgresHandle,
  type EmbeddedPostgresOptions,
  ensureDatabase,
  REPLICATION_SETTINGS,
  startEmbeddedPostgres,
} from './embedded/index.js';
export {
  type ApplySchemaOptions,
  type ApplySchemaResult,
  applySchema,
  baselineSchema,
} from './migrate/index.js';
export { freePort, isPortFree } from './net/index.js';
export { type EnsurePublicationOptions, ensurePublication, missingTables } from './publication/index.js';
export { assertReplicationReady, checkReplicationSettings, type SettingCheck } from './settings/index.js';
export { databaseOf, redactUrl, withDatabase } from './url/index.js';
