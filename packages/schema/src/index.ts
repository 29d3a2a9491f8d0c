/**
 * Main entry, `@syncline/schema`: everything the browser-safe `./client` entry exports, plus module
 * loading, the drift check, lint, the Drizzle model and the sync-rules generator (Node only).
 */

export * from './client.js';
export {
  checkDrift,
  type DriftInput,
  type DriftIssue,
  type DriftReport,
  formatDriftReport,
} from './drift/index.js';
export {
  formatLintIssues,
  hasLintErrors,
  type LintDrizzleOptions,
  type LintIssue,
  lintDrizzleTables,
  lintModel,
  lintSchema,
} from './lint/index.js';
export {
  type ClientStorage,
  isDrizzleTable,
  type ModelColumn,
  type ModelTable,
  modelOf,
  pgTypeClass,
  SQLITE_TYPE_OF_CLASS,
  type TypeClass,
  tablesInModule,
} from './model/index.js';
export { definitionsInModule, loadModule } from './module/index.js';
export {
  type ParsedSyncRules,
  parseSyncRules,
  type RulesOutputTable,
  rulesOutputTables,
  rulesSourceTables,
  type SourceTable,
  type SyncRulesIssue,
  sharedBucketName,
  sourceTablesOf,
  type ToSyncRulesOptions,
  toSyncRules,
} from './sync-rules/index.js';
