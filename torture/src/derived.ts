/**
 * Bucket storage's derived state against Postgres. For every source row, the bucket entries and parameter
 * lookups storage keeps (`current_rows`, `parameter_index`) must be exactly what the sync rules give for the row
 * as it is in Postgres now. A stale entry keeps a row in a bucket it left; a stale lookup keeps giving a user a
 * bucket they lost (a revoked share still served) — neither shows in a row count.
 *
 * Rows are evaluated with every column as Postgres' text (what pgoutput sends); the notes rules route by text
 * ids only, so this equals what replication evaluates.
 */
import { JSONBig } from '@powersync/service-jsonbig';
import { SyncRules } from '@syncline/sync-server';
import type pg from 'pg';
import { rules, TABLES } from './model.js';

const SEP = '\x1f';
const RS = '\x1e';

/** Differences of one kind (entries, lookups or parameter rows) for one table. */
export interface DerivedDiff {
  table: string;
  /** What the rules give that storage lacks. */
  missing: number;
  /** What storage keeps that the rules no longer give. */
  extra: number;
  samples: string[];
}

const unversion = (s: string) => s.replace(/^\d+#/, '');

function compare(table: string, kind: string, want: Set<string>, have: Set<string>, out: DerivedDiff): void {
  for (const x of want)
    if (!have.has(x)) {
      out.missing++;
      if (out.samples.length < 6) out.samples.push(`missing ${kind} ${table} ${x.replaceAll(SEP, ' ')}`);
    }
  for (const x of have)
    if (!want.has(x)) {
      out.extra++;
      if (out.samples.length < 6) out.samples.push(`extra ${kind} ${table} ${x.replaceAll(SEP, ' ')}`);
    }
}

/** Compares storage's entries, lookups and parameter index with the rules evaluated on Postgres' rows. */
export async function diffDerived(
  source: Pick<pg.Pool, 'query'>,
  storage: Pick<pg.Pool, 'query'>,
  schemaName = 'syncline',
): Promise<DerivedDiff[]> {
  const parsed = SyncRules.parse(rules, 1);
  const s = `"${schemaName}"`;
  const out: DerivedDiff[] = [];
  for (const t of TABLES) {
    const table = parsed.table('public', t.name);
    const cols = ['id', ...t.columns.map((c) => c.name)];
    const { rows } = await source.query<Record<string, string | null>>(
      `SELECT ${cols.map((c) => `"${c}"::text AS "${c}"`).join(', ')} FROM "${t.name}"`,
    );
    const wantEntries = new Set<string>();
    const wantLookups = new Set<string>();
    const wantParams = new Set<string>();
    for (const r of rows) {
      const record = Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null)) as Record<
        string,
        string
      >;
      if (table.syncsData)
        for (const e of parsed.evaluate(table, record).rows)
          wantEntries.add([r.id, unversion(e.bucket), e.table, e.id].join(SEP));
      if (table.syncsParameters)
        for (const l of parsed.evaluateParameters(table, record, (v) => JSONBig.stringify(v))) {
          wantLookups.add([r.id, l.lookup].join(SEP));
          wantParams.add([r.id, l.lookup, l.params].join(SEP));
        }
    }
    const stored = await storage.query<{ row_key: string; entries: string; lookups: string }>(
      `SELECT row_key, entries, lookups FROM ${s}.current_rows WHERE source_table = $1`,
      [`public.${t.name}`],
    );
    const haveEntries = new Set<string>();
    const haveLookups = new Set<string>();
    for (const r of stored.rows) {
      for (const e of r.entries ? r.entries.split(RS) : []) {
        const [bucket, objectType, objectId] = e.split(SEP) as [string, string, string];
        haveEntries.add([r.row_key, unversion(bucket), objectType, objectId].join(SEP));
      }
      for (const l of r.lookups ? r.lookups.split(RS) : []) haveLookups.add([r.row_key, l].join(SEP));
    }
    const params = await storage.query<{ row_key: string; lookup: string; params: string }>(
      `SELECT row_key, lookup, params FROM ${s}.parameter_index WHERE source_table = $1`,
      [`public.${t.name}`],
    );
    const haveParams = new Set(params.rows.map((p) => [p.row_key, p.lookup, p.params].join(SEP)));
    const d: DerivedDiff = { table: t.name, missing: 0, extra: 0, samples: [] };
    compare(t.name, 'entry', wantEntries, haveEntries, d);
    compare(t.name, 'lookup', wantLookups, haveLookups, d);
    compare(t.name, 'parameter', wantParams, haveParams, d);
    out.push(d);
  }
  return out;
}
