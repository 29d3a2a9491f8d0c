import type { ErrorCode } from '@syncline/errors';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import {
  type ModelColumn,
  type ModelTable,
  modelOf,
  SQLITE_TYPE_OF_CLASS,
  tablesInModule,
} from '../model/index.js';
import { parseSyncRules, rulesOutputTables, type SourceTable } from '../sync-rules/index.js';

/** One difference between the client and server schemas. */
export interface DriftIssue {
  code: ErrorCode;
  table: string;
  column?: string;
  message: string;
}

/** Result of {@link checkDrift}. */
export interface DriftReport {
  ok: boolean;
  issues: DriftIssue[];
  /** Tables compared (present on both sides). */
  compared: string[];
}

/** Input for {@link checkDrift}. */
export interface DriftInput {
  /** The client schema: a module's exports or a list of sqlite-core tables. */
  sqlite: Record<string, unknown> | readonly SQLiteTable[];
  /** The server schema: a module's exports or a list of pg-core tables. */
  pg: Record<string, unknown> | readonly PgTable[];
  /** Sync rules YAML; when given, every table and column the rules use must exist on both sides. */
  syncRules?: string;
  /** Owner column name (nullable on the client, NOT NULL on the server is expected). Default `owner_id`. */
  ownerColumn?: string;
  /** Client tables that are local-only (they have no server table). */
  localOnly?: readonly string[];
  /** Server tables that are deliberately not on the client (auth tables and the like). */
  serverOnly?: readonly string[];
}

const compatible: Record<string, (c: ModelColumn) => boolean> = {
  text: (c) => c.storage === 'text',
  timestamp: (c) => c.storage === 'text',
  json: (c) => c.storage === 'text',
  integer: (c) => c.storage === 'integer',
  boolean: (c) => c.storage === 'integer',
  real: (c) => c.storage === 'real',
};

const expectedClient: Record<string, string> = {
  text: 'text()',
  timestamp: 'text() holding ISO-8601',
  json: "text({ mode: 'json' })",
  integer: 'integer()',
  boolean: "integer({ mode: 'boolean' })",
  real: 'real()',
};

function toMap(input: Record<string, unknown> | readonly (SQLiteTable | PgTable)[]): Map<string, ModelTable> {
  const tables = Array.isArray(input)
    ? input
    : [...tablesInModule(input as Record<string, unknown>).values()];
  const map = new Map<string, ModelTable>();
  for (const t of tables) {
    const m = modelOf(t as SQLiteTable | PgTable);
    map.set(m.name, m);
  }
  return map;
}

/**
 * Compares two hand-written Drizzle schemas (sqlite-core for the client, pg-core for the server):
 * missing or extra tables and columns, incompatible types, nullability differences (the owner column's
 * nullable-on-client difference is expected) and, with `syncRules`, tables and columns the rules use
 * that are missing on either side.
 *
 * @example
 * const report = checkDrift({ sqlite: await import('./client-schema'), pg: await import('./server-schema'),
 *                             syncRules: readFileSync('sync_rules.yaml', 'utf8'), localOnly: ['preferences'] });
 * if (!report.ok) { console.error(formatDriftReport(report)); process.exit(1); }
 */
export function checkDrift(input: DriftInput): DriftReport {
  const client = toMap(input.sqlite);
  const server = toMap(input.pg);
  for (const [name, t] of client)
    if (t.dialect !== 'sqlite')
      throw new Error(`checkDrift: "${name}" in the client schema is not a sqlite-core table`);
  for (const [name, t] of server)
    if (t.dialect !== 'pg')
      throw new Error(`checkDrift: "${name}" in the server schema is not a pg-core table`);
  const owner = input.ownerColumn ?? 'owner_id';
  const localOnly = new Set(input.localOnly ?? []);
  const serverOnly = new Set(input.serverOnly ?? []);
  const issues: DriftIssue[] = [];
  const compared: string[] = [];

  for (const [name, c] of client) {
    if (localOnly.has(name)) {
      if (server.has(name)) {
        issues.push({
          code: 'SCHEMA_DRIFT_TABLE',
          table: name,
          message: `"${name}" is declared local-only but also exists on the server.`,
        });
      }
      continue;
    }
    const s = server.get(name);
    if (!s) {
      issues.push({
        code: 'SCHEMA_DRIFT_TABLE',
        table: name,
        message: `Table "${name}" exists on the client but not on the server. Add it to the pg schema, or list it as local-only.`,
      });
      continue;
    }
    compared.push(name);
    compareColumns(c, s, owner, issues);
  }
  for (const name of server.keys()) {
    if (!client.has(name) && !serverOnly.has(name)) {
      issues.push({
        code: 'SCHEMA_DRIFT_TABLE',
        table: name,
        message: `Table "${name}" exists on the server but not on the client. Add it to the sqlite schema, or list it as server-only.`,
      });
    }
  }
  if (input.syncRules !== undefined) checkRules(input.syncRules, client, server, issues);
  return { ok: issues.length === 0, issues, compared };
}

function compareColumns(c: ModelTable, s: ModelTable, owner: string, issues: DriftIssue[]) {
  const serverCols = new Map(s.columns.map((col) => [col.name, col]));
  const clientCols = new Map(c.columns.map((col) => [col.name, col]));
  for (const cc of c.columns) {
    const sc = serverCols.get(cc.name);
    if (!sc) {
      issues.push({
        code: 'SCHEMA_DRIFT_COLUMN',
        table: c.name,
        column: cc.name,
        message: `Column ${c.name}.${cc.name} exists on the client but not on the server.`,
      });
      continue;
    }
    const check = compatible[sc.typeClass];
    if (sc.typeClass !== 'unsupported' && check && !check(cc)) {
      issues.push({
        code: 'SCHEMA_DRIFT_TYPE',
        table: c.name,
        column: cc.name,
        message: `Column ${c.name}.${cc.name} is ${sc.sqlType} on the server (${sc.typeClass}) but ${cc.sqlType} (${cc.columnType}) on the client; expected ${expectedClient[sc.typeClass]}.`,
      });
    }
    if (cc.name === owner) {
      if (cc.notNull) {
        issues.push({
          code: 'SCHEMA_DRIFT_NULLABILITY',
          table: c.name,
          column: cc.name,
          message: `Owner column ${c.name}.${cc.name} must be nullable on the client (rows are created before the server sets the owner).`,
        });
      }
      if (!sc.notNull) {
        issues.push({
          code: 'SCHEMA_DRIFT_NULLABILITY',
          table: c.name,
          column: cc.name,
          message: `Owner column ${c.name}.${cc.name} must be NOT NULL on the server (a row without owner syncs to nobody).`,
        });
      }
    } else if (cc.notNull !== sc.notNull && !(cc.primary && sc.primary)) {
      issues.push({
        code: 'SCHEMA_DRIFT_NULLABILITY',
        table: c.name,
        column: cc.name,
        message: `Column ${c.name}.${cc.name} is ${cc.notNull ? 'NOT NULL' : 'nullable'} on the client but ${sc.notNull ? 'NOT NULL' : 'nullable'} on the server.`,
      });
    }
  }
  for (const sc of s.columns) {
    if (!clientCols.has(sc.name)) {
      issues.push({
        code: 'SCHEMA_DRIFT_COLUMN',
        table: s.name,
        column: sc.name,
        message: `Column ${s.name}.${sc.name} exists on the server but not on the client.`,
      });
    }
  }
}

function sourceTablesFromModels(server: Map<string, ModelTable>): SourceTable[] {
  return [...server.values()].map((t) => ({
    name: t.name,
    columns: t.columns.map((c) => ({
      name: c.name,
      type: SQLITE_TYPE_OF_CLASS[c.typeClass],
      pgType: c.sqlType,
    })),
  }));
}

function checkRules(
  yaml: string,
  client: Map<string, ModelTable>,
  server: Map<string, ModelTable>,
  issues: DriftIssue[],
) {
  const sources = sourceTablesFromModels(server);
  const { config, issues: ruleIssues } = parseSyncRules(yaml, { tables: sources });
  for (const ri of ruleIssues) {
    if (ri.severity === 'fatal' || /not found|column|table/i.test(ri.message)) {
      const m = /[Cc]olumn not found: ([\w.]+)|[Tt]able ([\w.]+) not found/.exec(ri.message);
      issues.push({
        code: 'SCHEMA_DRIFT_RULES',
        table: m?.[2] ?? '(sync rules)',
        ...(m?.[1] ? { column: m[1] } : {}),
        message: `Sync rules on the server schema: ${ri.message}`,
      });
    }
  }
  for (const pattern of config.getSourceTables()) {
    const name = pattern.tablePattern;
    if (!pattern.isWildcard && !server.has(name)) {
      issues.push({
        code: 'SCHEMA_DRIFT_RULES',
        table: name,
        message: `Sync rules read table "${name}", which is not in the server schema.`,
      });
    }
  }
  for (const out of rulesOutputTables(config, sources)) {
    const c = client.get(out.name);
    if (!c) {
      issues.push({
        code: 'SCHEMA_DRIFT_RULES',
        table: out.name,
        message: `Sync rules produce client table "${out.name}", which is not in the client schema.`,
      });
      continue;
    }
    const names = new Set(c.columns.map((col) => col.name));
    for (const col of out.columns) {
      if (!names.has(col.name)) {
        issues.push({
          code: 'SCHEMA_DRIFT_RULES',
          table: out.name,
          column: col.name,
          message: `Sync rules send column ${out.name}.${col.name}, which the client schema does not have (the value would be invisible).`,
        });
      }
    }
  }
}

/**
 * Renders a drift report grouped by table.
 *
 * @example
 * console.log(formatDriftReport(checkDrift({ sqlite, pg })));
 */
export function formatDriftReport(report: DriftReport): string {
  if (report.ok) return `✓ no drift (${report.compared.length} tables compared)`;
  const byTable = new Map<string, DriftIssue[]>();
  for (const i of report.issues) byTable.set(i.table, [...(byTable.get(i.table) ?? []), i]);
  const lines = [`✗ ${report.issues.length} drift issue(s) in ${byTable.size} table(s):`];
  for (const [table, list] of byTable) {
    lines.push(`  ${table}`);
    for (const i of list) lines.push(`    ✗ ${i.code}${i.column ? ` [${i.column}]` : ''}: ${i.message}`);
  }
  return lines.join('\n');
}
