import { JSONBig } from '@powersync/service-jsonbig';
import type pg from 'pg';
import { addChecksums } from '../src/protocol/checksum.js';
import type { SyncRules } from '../src/rules/index.js';
import type { CheckpointEvent } from '../src/storage/events.js';

/** Helpers of storage-derived.test.ts: a seeded PRNG, what the rules expect, what storage holds. */
export const TABLES = ['items', 'members', 'lists'] as const;
export type Table = (typeof TABLES)[number];
export type Row = Record<string, string>;
export const SEP = '\x1f';
const RS = '\x1e';

/** Small deterministic PRNG (mulberry32). */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!,
  };
}

/** Expected entries, lookups and bucket contents of the model rows. */
export function expected(rules: SyncRules, model: Map<Table, Map<string, Row>>) {
  const entries = new Set<string>();
  const lookups = new Set<string>();
  const buckets = new Map<string, Map<string, unknown>>();
  for (const t of TABLES) {
    const table = rules.table('public', t);
    for (const [key, record] of model.get(t)!) {
      for (const r of rules.evaluate(table, record).rows) {
        entries.add([t, key, r.bucket, r.table, r.id].join(SEP));
        const b = buckets.get(r.bucket) ?? new Map<string, unknown>();
        buckets.set(r.bucket, b);
        b.set(`${r.table}/${r.id}`, r.data);
      }
      for (const l of rules.evaluateParameters(table, record, (v) => JSONBig.stringify(v)))
        lookups.add([t, key, l.lookup, l.params].join(SEP));
    }
  }
  return { entries, lookups, buckets };
}

/** What storage holds: entries and lookups per row, the parameter index, and each bucket's folded op log. */
export async function stored(pool: pg.Pool, schema: string) {
  const s = `"${schema}"`;
  const entries = new Set<string>();
  const rowLookups = new Set<string>();
  for (const r of (await pool.query(`SELECT source_table, row_key, entries, lookups FROM ${s}.current_rows`))
    .rows) {
    const t = r.source_table.replace(/^public\./, '');
    for (const e of r.entries ? r.entries.split(RS) : []) entries.add([t, r.row_key, e].join(SEP));
    for (const l of r.lookups ? r.lookups.split(RS) : []) rowLookups.add([t, r.row_key, l].join(SEP));
  }
  const lookups = new Set<string>();
  for (const p of (await pool.query(`SELECT source_table, row_key, lookup, params FROM ${s}.parameter_index`))
    .rows)
    lookups.add([p.source_table.replace(/^public\./, ''), p.row_key, p.lookup, p.params].join(SEP));
  const buckets = new Map<string, Map<string, unknown>>();
  const sums = new Map<string, number>();
  const ops = await pool.query<{ bucket: string; line: string; checksum: string }>(
    `SELECT bucket, line, checksum FROM ${s}.bucket_ops ORDER BY bucket, op_id`,
  );
  for (const o of ops.rows) {
    const op = JSON.parse(o.line) as { op: string; object_type?: string; object_id?: string; data?: string };
    const b = buckets.get(o.bucket) ?? new Map<string, unknown>();
    buckets.set(o.bucket, b);
    sums.set(o.bucket, addChecksums(sums.get(o.bucket) ?? 0, Number(o.checksum)));
    if (op.op === 'PUT') b.set(`${op.object_type}/${op.object_id}`, JSON.parse(op.data!));
    else if (op.op === 'REMOVE') b.delete(`${op.object_type}/${op.object_id}`);
    else if (op.op === 'CLEAR') b.clear();
  }
  for (const [k, b] of buckets) if (b.size === 0) buckets.delete(k);
  const states = await pool.query<{ bucket: string; checksum: string; live_count: string }>(
    `SELECT bucket, checksum, live_count FROM ${s}.bucket_state`,
  );
  const badStates: string[] = [];
  for (const st of states.rows) {
    if (Number(st.checksum) !== (sums.get(st.bucket) ?? 0)) badStates.push(`${st.bucket}: checksum`);
    if (Number(st.live_count) !== (buckets.get(st.bucket)?.size ?? 0))
      badStates.push(`${st.bucket}: live_count`);
  }
  return { entries, rowLookups, lookups, buckets, badStates };
}

/**
 * The ops a checkpoint event carries for its buckets that differ from storage's op log (ops after the bucket's
 * previous last op id up to its new one, in order): each as `bucket: reason`. Also checks the event limits.
 */
export async function eventOpsMismatches(
  pool: pg.Pool,
  schema: string,
  event: CheckpointEvent,
  limits: { ops: number; perBucket: number },
): Promise<string[]> {
  const bad: string[] = [];
  let carried = 0;
  for (const [bucket, u] of event.buckets) {
    if (!u.ops) continue;
    carried += u.ops.opIds.length;
    if (u.ops.opIds.length > limits.perBucket) bad.push(`${bucket}: ${u.ops.opIds.length} ops > per bucket`);
    const { rows } = await pool.query<{ op_id: string; line: string; bson: Buffer }>(
      `SELECT op_id, line, bson FROM "${schema}".bucket_ops WHERE bucket = $1 AND op_id > $2 AND op_id <= $3 ORDER BY op_id`,
      [bucket, String(u.ops.prevLastOpId), String(u.lastOpId)],
    );
    const ids = rows.map((r) => r.op_id).join(',');
    if (u.ops.opIds.join(',') !== ids)
      bad.push(`${bucket}: op ids ${u.ops.opIds.join(',')} vs stored ${ids}`);
    else if (rows.some((r, i) => r.line !== u.ops!.lines[i] || !r.bson.equals(u.ops!.bson![i]!)))
      bad.push(`${bucket}: lines / bson differ from stored`);
  }
  if (carried > limits.ops) bad.push(`${carried} ops carried > per commit`);
  return bad;
}
