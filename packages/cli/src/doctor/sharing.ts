/**
 * Sharing declared in the definitions (`membership`, `sharing.via`) against what is deployed: the sync rules
 * in use deliver each shared resource the way the definitions say (a rules file generated before sharing was
 * declared silently keeps shared rows off members' devices), the live tables have the columns the rules and the
 * upload checks read, an index serves the per-upload membership lookup, and the membership rows carry roles the
 * checks understand.
 */
import {
  parseSyncRules,
  SHARE_ROLES,
  type SharedResource,
  type SynclineSchema,
  sharedBucketName,
  toSyncRules,
} from '@syncline/schema';
import type pg from 'pg';
import { parse } from 'yaml';
import type { CheckResult } from '../shared/report.js';
import type { LiveColumn } from './schema.js';

type Db = Pick<pg.Client, 'query' | 'escapeIdentifier'>;

interface BucketDef {
  parameters?: string | string[];
  data?: string[];
}

const norm = (q: string) => q.replace(/\s+/g, ' ').trim().toLowerCase();
const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The bucket definitions of a rules file, or undefined when it does not parse (another check reports that). */
function buckets(yaml: string): Record<string, BucketDef> | undefined {
  try {
    parseSyncRules(yaml);
    return (
      ((parse(yaml) ?? {}) as { bucket_definitions?: Record<string, BucketDef> }).bucket_definitions ?? {}
    );
  } catch {
    return undefined;
  }
}

/** Whether `actual` holds every parameter and data query of `expected` (more queries are the user's business). */
function covers(actual: BucketDef | undefined, expected: BucketDef): boolean {
  if (!actual) return false;
  const params = new Set(list(actual.parameters).map(norm));
  const data = new Set((actual.data ?? []).map(norm));
  return (
    list(expected.parameters).every((q) => params.has(norm(q))) &&
    (expected.data ?? []).every((q) => data.has(norm(q)))
  );
}

/**
 * One line per shared resource: rules, live columns, lookup index, role values. Nothing (no line) when the
 * definitions share nothing.
 */
export async function sharingChecks(
  db: Db,
  schema: SynclineSchema,
  live: Map<string, LiveColumn[]>,
  rules: { yaml: string; source: string } | undefined,
): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  const expected = buckets(toSyncRules(schema)) ?? {};
  const actual = rules ? buckets(rules.yaml) : undefined;
  for (const r of schema.sharing) {
    const name = `sharing ${r.table.name}`;
    const bucket = sharedBucketName(r);
    const problems: string[] = [];
    const fixes: string[] = [];
    // 1. the tables and columns the rules and the upload checks read
    const need: [string, string[]][] = [
      [r.table.name, [r.table.columns.find((c) => c.kind === 'id')!.name, r.table.owner!.name]],
      [r.members.name, [r.resource.name, r.user.name, r.role.name, r.members.owner!.name]],
      ...r.children.map((c): [string, string[]] => [c.table.name, [c.column.name, c.table.owner!.name]]),
    ];
    for (const [table, columns] of need) {
      const cols = live.get(table);
      const missing = cols ? columns.filter((c) => !cols.some((x) => x.name === c)) : columns;
      if (missing.length) {
        problems.push(cols ? `${table} lacks ${missing.join(', ')}` : `table ${table} does not exist`);
        fixes.push('Apply the definitions: npm start (or applySchema(DATABASE_URL, schema))');
      }
    }
    // 2. the rules in use deliver the resource, its members and what is shared via it
    if (rules && actual && !covers(actual[bucket], expected[bucket]!)) {
      problems.push(
        `${rules.source} does not deliver ${r.table.name} to the members in ${r.members.name}${actual[bucket] ? ` (bucket ${bucket} differs from the definitions)` : ` (no bucket ${bucket})`}: members would never receive shared rows`,
      );
      fixes.push(
        `Regenerate the rules: npx syncline generate --force (or copy bucket ${bucket} from the generated sync_rules.yaml into ${rules.source})`,
      );
    }
    if (problems.length) {
      out.push({
        name,
        status: 'fail',
        code: 'SCHEMA_INVALID_SHARING',
        detail: problems.join('; '),
        fix: [...new Set(fixes)].join('\n'),
      });
      continue;
    }
    // 3. the membership lookup every shared write makes has an index; 4. roles the checks understand
    const warnings: string[] = [];
    const warnFixes: string[] = [];
    if (!(await hasIndex(db, r.members.name, [r.resource.name, r.user.name]))) {
      warnings.push(
        `no index on ${r.members.name} (${r.resource.name}, ${r.user.name}): every shared write scans it`,
      );
      warnFixes.push(
        `CREATE INDEX ON ${db.escapeIdentifier(r.members.name)} (${db.escapeIdentifier(r.resource.name)}, ${db.escapeIdentifier(r.user.name)}); -- or uniqueIndex(…).on('${r.resource.property}', '${r.user.property}') in the definition`,
      );
    }
    const odd = await oddRoles(db, r);
    if (odd > 0) {
      warnings.push(
        `${odd} ${r.members.name} row(s) with a role other than ${SHARE_ROLES.join('/')}: they give read access only`,
      );
      warnFixes.push(
        `SELECT * FROM ${db.escapeIdentifier(r.members.name)} WHERE ${db.escapeIdentifier(r.role.name)} NOT IN (${SHARE_ROLES.map((x) => `'${x}'`).join(', ')}); -- then set viewer or editor`,
      );
    }
    const what = `${r.members.name} gives ${SHARE_ROLES.join('/')} access to ${[r.table.name, ...r.children.map((c) => c.table.name)].join(', ')}`;
    out.push(
      warnings.length
        ? { name, status: 'warn', detail: `${what}; ${warnings.join('; ')}`, fix: warnFixes.join('\n') }
        : { name, status: 'ok', detail: `${what}${rules ? `, delivered by ${rules.source}` : ''}` },
    );
  }
  return out;
}

/** Whether an index of `table` starts with `columns` (in either order). */
async function hasIndex(db: Db, table: string, columns: string[]): Promise<boolean> {
  const { rows } = await db.query<{ cols: string[] }>(
    `SELECT array_agg(a.attname::text ORDER BY k.n) AS cols
       FROM pg_index i
       JOIN pg_class c ON c.oid = i.indrelid AND c.relname = $1
       JOIN pg_namespace ns ON ns.oid = c.relnamespace AND ns.nspname = 'public'
       CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
      GROUP BY i.indexrelid`,
    [table],
  );
  const want = new Set(columns);
  return rows.some(
    (r) => r.cols.length >= columns.length && r.cols.slice(0, columns.length).every((c) => want.has(c)),
  );
}

async function oddRoles(db: Db, r: SharedResource): Promise<number> {
  try {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${db.escapeIdentifier(r.members.name)} WHERE ${db.escapeIdentifier(r.role.name)} IS NULL OR ${db.escapeIdentifier(r.role.name)} <> ALL($1::text[])`,
      [[...SHARE_ROLES]],
    );
    return rows[0]?.n ?? 0;
  } catch {
    return 0; // the table or column is missing: reported above
  }
}
