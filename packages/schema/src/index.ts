export { definitionsInModule, loadModule, runSchemaCli } from './cli/index.js';
export { type Codec, codecs, decodeRow, decodeValue, encodeRow, encodeValue } from './codecs/index.js';
export {
  type AnyColumnDef,
  ColumnDef,
  type ColumnDefault,
  type ColumnKind,
  column,
  type KindValue,
  kindStorage,
  TimestampColumnDef,
} from './columns/index.js';
export {
  checkDrift,
  type DriftInput,
  type DriftIssue,
  type DriftReport,
  formatDriftReport,
} from './drift/index.js';
export {
  formatLintIssues,
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
  type TypeClass,
  tablesInModule,
} from './model/index.js';
export { SAFE_NAME, toCamelCase, toSnakeCase } from './naming/index.js';
export { defineSchema, type SynclineSchema } from './schema/index.js';
export {
  type ParsedSyncRules,
  parseSyncRules,
  type RulesOutputTable,
  rulesOutputTables,
  rulesSourceTables,
  type SourceTable,
  type SyncRulesIssue,
  sourceTablesOf,
  type ToSyncRulesOptions,
  toSyncRules,
} from './sync-rules/index.js';
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
