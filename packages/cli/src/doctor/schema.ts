import {
  checkDrift,
  modelOf,
  parseSyncRules,
  pgTypeClass,
  type SourceTable,
  SQLITE_TYPE_OF_CLASS,
  type SynclineSchema,
  type TypeClass,
} from '@syncline/schema';
import type pg from 'pg';
import { parse } from 'yaml';
import type { CheckResult } from '../shared/report.js';

/** A live Postgres column (information_schema). */
export interface LiveColumn {
  name: string;
  /** `text`, `timestamp with time zone`, `ARRAY`… */
  dataType: string;
  typeClass: TypeClass;
  notNull: boolean;
}

/** Columns of every table in the `public` schema, keyed by table name. */
export async function liveColumns(db: Pick<pg.Client, 'query'>): Promise<Map<string, LiveColumn[]>> {
  const { rows } = await db.query<{
    table_name: string;
    column_name: string;
    data_type: string;
    is_nullable: string;
  }>(
    `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
      WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
  );
  const map = new Map<string, LiveColumn[]>();
  for (const r of rows) {
    const typeClass: TypeClass =
      r.data_type === 'ARRAY' ? 'json' : r.data_type === 'USER-DEFINED' ? 'text' : pgTypeClass(r.data_type);
    const cols = map.get(r.table_name) ?? [];
    cols.push({ name: r.column_name, dataType: r.data_type, typeClass, notNull: r.is_nullable === 'NO' });
    map.set(r.table_name, cols);
  }
  return map;
}

function asSourceTables(live: Map<string, LiveColumn[]>): SourceTable[] {
  return [...live].map(([name, cols]) => ({
    name,
    columns: cols.map((c) => ({ name: c.name, type: SQLITE_TYPE_OF_CLASS[c.typeClass], pgType: c.dataType })),
  }));
}

/** Data queries of the rules YAML with the table each reads, to say which query a problem is in. */
function ruleQueries(rulesYaml: string): { table: string; sql: string }[] {
  const doc = (parse(rulesYaml) ?? {}) as { bucket_definitions?: Record<string, { data?: string[] }> };
  const out: { table: string; sql: string }[] = [];
  for (const def of Object.values(doc.bucket_definitions ?? {})) {
    for (const sql of def?.data ?? []) {
      const m = /\bfrom\s+(?:"?public"?\.)?"?([\w]+)"?/i.exec(sql);
      if (m) out.push({ table: m[1]!, sql });
    }
  }
  return out;
}

/** The sync rules parse with the official library and reference only tables and columns Postgres has. */
export function rulesAgainstDatabase(
  rulesYaml: string,
  live: Map<string, LiveColumn[]>,
  options: { schema?: SynclineSchema; rulesSource: string },
): CheckResult {
  const name = 'sync rules vs Postgres';
  let issues: ReturnType<typeof parseSyncRules>['issues'];
  try {
    issues = parseSyncRules(rulesYaml, { tables: asSourceTables(live) }).issues;
  } catch (e) {
    return {
      name,
      status: 'fail',
      code: 'SCHEMA_INVALID_SYNC_RULES',
      detail: (e as Error).message,
      fix: `Fix ${options.rulesSource}`,
    };
  }
  if (issues.length === 0)
    return { name, status: 'ok', detail: `every table and column in ${options.rulesSource} exists` };
  const queries = ruleQueries(rulesYaml);
  const problems: string[] = [];
  const fixes: string[] = [];
  for (const issue of issues) {
    const col = /Column not found: ([\w.]+)/.exec(issue.message)?.[1];
    const table = /Table (?:[\w]+\.)?([\w]+) not found/.exec(issue.message)?.[1];
    if (col) {
      const owners = queries.filter(
        (q) => new RegExp(`\\b${col}\\b`).test(q.sql) && !live.get(q.table)?.some((c) => c.name === col),
      );
      const where = owners.map((o) => o.table);
      problems.push(`column ${where.length ? `${where.join('/')}.` : ''}${col} does not exist`);
      for (const t of where)
        fixes.push(
          addColumnFix(t, col, options.schema) ??
            `Remove ${col} from the ${t} query in ${options.rulesSource} (or regenerate it: npx syncline generate)`,
        );
      if (!where.length)
        fixes.push(`Remove ${col} from ${options.rulesSource}, or add the column to Postgres`);
    } else if (table) {
      problems.push(`table ${table} does not exist`);
      fixes.push(
        options.schema?.table(table)
          ? `Apply the schema (npm start / applySchema) so that table ${table} exists`
          : `Remove the ${table} queries from ${options.rulesSource}, or create the table`,
      );
    } else {
      problems.push(issue.message);
      fixes.push(`Fix ${options.rulesSource}: ${issue.message}`);
    }
  }
  return {
    name,
    status: 'fail',
    code: 'SCHEMA_INVALID_SYNC_RULES',
    detail: problems.join('; '),
    fix: [...new Set(fixes)].join('\n'),
  };
}

function addColumnFix(table: string, column: string, schema: SynclineSchema | undefined): string | undefined {
  const def = schema?.table(table);
  if (!def || def.localOnly) return undefined;
  const col = modelOf(def.pg).columns.find((c) => c.name === column);
  if (!col) return undefined;
  return `ALTER TABLE "${table}" ADD COLUMN "${column}" ${col.sqlType}; -- or apply the definitions: npm start / applySchema`;
}

/** The definitions' client (sqlite) and server (pg) sides agree, including with the sync rules. */
export function definitionsDrift(schema: SynclineSchema, rulesYaml: string): CheckResult {
  const name = 'client vs server definitions';
  const report = checkDrift({
    sqlite: schema.sqlite as Record<string, unknown>,
    pg: schema.pg as Record<string, unknown>,
    syncRules: rulesYaml,
    localOnly: schema.local.map((t) => t.name),
  });
  if (report.ok) return { name, status: 'ok', detail: `${report.compared.length} table(s) agree` };
  return {
    name,
    status: 'fail',
    code: report.issues[0]!.code,
    detail: report.issues.map((i) => i.message).join(' '),
    fix: 'Fix the definitions (or hand-written schemas) so both sides match; `npx syncline check --json` lists every issue',
  };
}

/** Every synced definition's table and column exists in Postgres with a compatible type and nullability. */
export function definitionsVsDatabase(schema: SynclineSchema, live: Map<string, LiveColumn[]>): CheckResult {
  const name = 'definitions vs Postgres';
  const problems: string[] = [];
  const fixes: string[] = [];
  for (const t of schema.synced) {
    const cols = live.get(t.name);
    if (!cols) {
      problems.push(`table ${t.name} is missing`);
      fixes.push(`Apply the schema: npm start (or applySchema(DATABASE_URL, schema)) creates ${t.name}`);
      continue;
    }
    for (const c of modelOf(t.pg).columns) {
      const lc = cols.find((x) => x.name === c.name);
      if (!lc) {
        problems.push(`column ${t.name}.${c.name} is missing`);
        fixes.push(
          `ALTER TABLE "${t.name}" ADD COLUMN "${c.name}" ${c.sqlType}${c.notNull ? ' NOT NULL' : ''}; -- or npm start (applies the definitions)`,
        );
      } else if (lc.typeClass !== c.typeClass && c.typeClass !== 'unsupported') {
        problems.push(
          `column ${t.name}.${c.name} is ${lc.dataType} in Postgres, ${c.sqlType} in the definitions`,
        );
        fixes.push(
          `ALTER TABLE "${t.name}" ALTER COLUMN "${c.name}" TYPE ${c.sqlType} USING "${c.name}"::${c.sqlType};`,
        );
      } else if (c.notNull && !lc.notNull) {
        problems.push(`column ${t.name}.${c.name} is nullable in Postgres, NOT NULL in the definitions`);
        fixes.push(`ALTER TABLE "${t.name}" ALTER COLUMN "${c.name}" SET NOT NULL;`);
      }
    }
  }
  if (!problems.length)
    return { name, status: 'ok', detail: `${schema.synced.length} synced table(s) match` };
  return {
    name,
    status: 'fail',
    code: 'SCHEMA_DRIFT_COLUMN',
    detail: problems.join('; '),
    fix: fixes.join('\n'),
  };
}
