import type { ErrorCode } from '@syncline/errors';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { type ModelTable, modelOf } from '../model/index.js';
import { SAFE_NAME } from '../naming/index.js';
import type { SynclineSchema } from '../schema/index.js';
import type { AnyTable } from '../table/index.js';

/** One lint finding, naming the table (and column) it is about. */
export interface LintIssue {
  code: ErrorCode;
  table: string;
  column?: string;
  /** Which side the finding is about. */
  dialect?: 'sqlite' | 'pg';
  message: string;
  /** `warning`: allowed, but worth a second look (e.g. a globally unique index). Default `error`. */
  severity?: 'error' | 'warning';
}

/** Options for {@link lintDrizzleTables}. */
export interface LintDrizzleOptions {
  /** Owner column name synced tables must have. Default `owner_id`. */
  ownerColumn?: string;
  /** Table names that are local-only (not synced: no owner needed). */
  localOnly?: readonly string[];
}

/**
 * Lints table definitions for what PowerSync cannot sync: missing or non-text `id` primary key,
 * composite primary keys, foreign keys, synced tables without an owner column, column types the
 * client cannot carry and reserved names. Returns an empty list when everything is fine.
 *
 * @example
 * const issues = lintSchema(schema);
 * if (issues.length) throw new Error(formatLintIssues(issues));
 */
export function lintSchema(input: SynclineSchema | readonly AnyTable[]): LintIssue[] {
  const tables = Array.isArray(input) ? input : (input as SynclineSchema).tables;
  const issues: LintIssue[] = [];
  for (const t of tables) {
    issues.push(...lintModel(modelOf(t.sqlite)));
    if (!t.localOnly) {
      issues.push(...lintModel(modelOf(t.pg)).filter((i) => !isDuplicate(issues, i)));
      if (!t.owner) {
        issues.push({
          code: 'SCHEMA_MISSING_OWNER',
          table: t.name,
          message: `Synced table "${t.name}" has no owner column. Add \`ownerId: column.owner()\` (or pass { owner: '<column>' }), or make it local-only with defineLocalTable.`,
        });
      }
      issues.push(...lintUniqueScope(t), ...lintReferences(t, tables));
    }
  }
  return issues;
}

/** Globally unique indexes on a synced table: allowed, with a warning about what they reveal. */
function lintUniqueScope(t: AnyTable): LintIssue[] {
  return t.indexes
    .filter((i) => i.unique && i.scope === 'global')
    .map((i) => ({
      code: 'SCHEMA_GLOBAL_UNIQUE' as const,
      table: t.name,
      severity: 'warning' as const,
      message: `Unique index "${i.name}" (${i.columns.join(', ')}) is global: values are unique across all users, so any user can learn that a value exists (their write gets 409) and take a value before its rightful owner does. Drop { global: true } to make it unique per owner, unless that is what you want.`,
    }));
}

/** `.ref()` columns must point at a synced table with an owner, in the same schema. */
function lintReferences(t: AnyTable, tables: readonly AnyTable[]): LintIssue[] {
  const issues: LintIssue[] = [];
  for (const c of t.columns) {
    if (!c.references) continue;
    const add = (message: string) =>
      issues.push({ code: 'SCHEMA_INVALID_REFERENCE', table: t.name, column: c.name, message });
    let target: AnyTable | undefined;
    try {
      target = c.references.table();
    } catch (e) {
      add(`${t.name}.${c.name}: its ref(() => table) threw: ${(e as Error).message}`);
      continue;
    }
    if (!target || !tables.includes(target)) {
      add(
        `${t.name}.${c.name} references a table that is not in this schema${target?.name ? ` ("${target.name}")` : ''}. Add it to defineSchema.`,
      );
    } else if (target.localOnly || !target.owner) {
      add(
        `${t.name}.${c.name} references "${target.name}", which is ${target.localOnly ? 'local-only' : 'a synced table without an owner column'}: only synced tables with an owner can be referenced.`,
      );
    }
  }
  return issues;
}

/**
 * Lints hand-written Drizzle tables (sqlite-core and/or pg-core) with the same rules as
 * {@link lintSchema}.
 *
 * @example
 * lintDrizzleTables([todos, lists], { localOnly: ['settings'] });
 */
export function lintDrizzleTables(
  tables: readonly (SQLiteTable | PgTable)[],
  options: LintDrizzleOptions = {},
): LintIssue[] {
  const owner = options.ownerColumn ?? 'owner_id';
  const local = new Set(options.localOnly ?? []);
  const issues: LintIssue[] = [];
  for (const table of tables) {
    const model = modelOf(table);
    const synced = !local.has(model.name);
    issues.push(...lintModel(model));
    if (synced && !model.columns.some((c) => c.name === owner)) {
      issues.push({
        code: 'SCHEMA_MISSING_OWNER',
        table: model.name,
        dialect: model.dialect,
        message: `Synced table "${model.name}" (${model.dialect}) has no owner column "${owner}". Add it (nullable text on the client, NOT NULL on the server) or list the table as local-only.`,
      });
    }
  }
  return issues;
}

function isDuplicate(list: LintIssue[], issue: LintIssue): boolean {
  return list.some((i) => i.code === issue.code && i.table === issue.table && i.column === issue.column);
}

/** Lints one table model. */
export function lintModel(model: ModelTable): LintIssue[] {
  const issues: LintIssue[] = [];
  const where = `${model.name} (${model.dialect})`;
  const add = (code: ErrorCode, message: string, column?: string) =>
    issues.push({ code, table: model.name, dialect: model.dialect, message, ...(column ? { column } : {}) });

  if (!SAFE_NAME.test(model.name)) {
    add(
      'SCHEMA_INVALID_NAME',
      `Table name "${model.name}" must be lower-case letters, digits and underscores.`,
    );
  }
  if (model.name.startsWith('ps_')) {
    add(
      'SCHEMA_INVALID_NAME',
      `Table name "${model.name}" uses the "ps_" prefix PowerSync reserves for itself.`,
    );
  }
  for (const pk of model.compositePrimaryKeys) {
    add(
      'SCHEMA_COMPOSITE_PRIMARY_KEY',
      `${where} has a composite primary key (${pk.join(', ')}). PowerSync needs a single text "id": add a synthetic id column and a unique index on (${pk.join(', ')}).`,
    );
  }
  const id = model.columns.find((c) => c.name === 'id');
  if (!id) {
    add(
      'SCHEMA_MISSING_ID',
      `${where} has no "id" column. Add \`id: column.id()\` (text, client-generated UUID).`,
    );
  } else {
    const isText = model.dialect === 'sqlite' ? id.storage === 'text' : id.typeClass === 'text';
    if (!isText) {
      add(
        'SCHEMA_ID_NOT_TEXT',
        `${where}: "id" is ${id.sqlType}; PowerSync ids are text (UUIDs generated on the client).`,
        'id',
      );
    }
    if (!id.primary && model.compositePrimaryKeys.length === 0) {
      add('SCHEMA_ID_NOT_PRIMARY_KEY', `${where}: "id" must be the primary key.`, 'id');
    }
  }
  for (const c of model.columns) {
    if (c.primary && c.name !== 'id') {
      add('SCHEMA_ID_NOT_PRIMARY_KEY', `${where}: "${c.name}" is a primary key; only "id" may be.`, c.name);
    }
    if (!SAFE_NAME.test(c.name)) {
      add(
        'SCHEMA_INVALID_NAME',
        `${where}: column name "${c.name}" must be lower-case letters, digits and underscores.`,
        c.name,
      );
    }
    if (c.typeClass === 'unsupported' || c.storage === 'unsupported') {
      add(
        'SCHEMA_UNSUPPORTED_TYPE',
        `${where}: column "${c.name}" has type ${c.sqlType} (${c.columnType}), which the PowerSync client cannot carry. Use text, integer, real, boolean, timestamp or json.`,
        c.name,
      );
    }
  }
  for (const fk of model.foreignKeys) {
    add(
      'SCHEMA_FOREIGN_KEY',
      `${where}: foreign key (${fk.columns.join(', ')}) → ${fk.foreignTable}. PowerSync cannot enforce foreign keys (rows arrive in any order); drop the constraint and keep the reference in application code.`,
      fk.columns[0],
    );
  }
  return issues;
}

/**
 * Renders lint issues as lines a person can act on.
 *
 * @example
 * console.error(formatLintIssues(issues));
 */
export function formatLintIssues(issues: readonly LintIssue[]): string {
  return issues
    .map(
      (i) =>
        `${i.severity === 'warning' ? '⚠' : '✗'} ${i.code} ${i.table}${i.column ? `.${i.column}` : ''}: ${i.message}`,
    )
    .join('\n');
}

/** Whether lint issues include an error (warnings alone do not fail a check). */
export function hasLintErrors(issues: readonly LintIssue[]): boolean {
  return issues.some((i) => i.severity !== 'warning');
}
