import { SyncError } from '@syncline/errors';

/** Entry separator inside `current_rows.entries` (bucket, object type, object id). */
export const SEP = '\x1f';

export interface RowState {
  entries: string[];
  lookups: string[];
  /** lookups → params at load time (for parameter-index maintenance). */
  params?: Map<string, string>;
}

export interface PendingOp {
  bucket: string;
  opId: bigint;
  op: number;
  rowKey: string;
  checksum: number;
  line: string;
  /** The op as a BSON document (`protocol/bson.ts`). */
  bson: Buffer;
}

/** One SQL statement (without a trailing semicolon) and its parameters, numbered from `$1 + at`. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/** `$n` placeholders shifted by `at` (so several statements can be combined into one). */
function ph(at: number): (n: number) => string {
  return (n) => `$${n + at}`;
}

/**
 * Inserts ops: one delimited text per column (split by `string_to_array` in Postgres), so neither pg nor
 * Postgres escapes or parses array literals; falls back to arrays if a value contains the separator.
 * BSON documents travel as one binary parameter, cut apart by (offset, length) in Postgres.
 */
export function opsInsert(s: string, part: readonly PendingOp[], at = 0): Statement {
  const $ = ph(at);
  const buckets = pack(part.map((o) => o.bucket));
  const keys = pack(part.map((o) => o.rowKey));
  const lines = pack(part.map((o) => o.line));
  const ids = part.map((o) => String(o.opId)).join(',');
  const kinds = part.map((o) => o.op).join(',');
  const sums = part.map((o) => o.checksum).join(',');
  const docs = Buffer.concat(part.map((o) => o.bson));
  const lengths = part.map((o) => o.bson.length).join(',');
  const head = `INSERT INTO ${s}.bucket_ops (bucket, op_id, op, row_key, checksum, line, bson)
    SELECT b, i, k, r, c, l, substring(${$(7)}::bytea FROM (sum(n) OVER (ORDER BY ord) - n + 1)::int FOR n)`;
  if (buckets !== null && keys !== null && lines !== null) {
    return {
      sql: `${head}
        FROM unnest(string_to_array(${$(1)}, E'\\x1e'), string_to_array(${$(2)}, ',')::bigint[], string_to_array(${$(3)}, ',')::smallint[],
                    string_to_array(${$(4)}, E'\\x1e'), string_to_array(${$(5)}, ',')::bigint[], string_to_array(${$(6)}, E'\\x1e'),
                    string_to_array(${$(8)}, ',')::int[]) WITH ORDINALITY AS x(b, i, k, r, c, l, n, ord)`,
      params: [buckets, ids, kinds, keys, sums, lines, docs, lengths],
    };
  }
  return {
    sql: `${head}
      FROM unnest(${$(1)}::text[], ${$(2)}::bigint[], ${$(3)}::smallint[], ${$(4)}::text[], ${$(5)}::bigint[], ${$(6)}::text[],
                  string_to_array(${$(8)}, ',')::int[]) WITH ORDINALITY AS x(b, i, k, r, c, l, n, ord)`,
    params: [
      part.map((o) => o.bucket),
      ids.split(','),
      kinds.split(','),
      part.map((o) => o.rowKey),
      sums.split(','),
      part.map((o) => o.line),
      docs,
      lengths,
    ],
  };
}

/** Statements inserting ops, at most `chunk` ops each. */
export function opsStatements(s: string, ops: readonly PendingOp[], chunk: number): Statement[] {
  const out: Statement[] = [];
  for (let i = 0; i < ops.length; i += chunk) out.push(opsInsert(s, ops.slice(i, i + chunk)));
  return out;
}

/** The row-state statements, split into current-row and parameter-index parts. */
export interface RowStateStatements {
  rows: Statement[];
  parameters: Statement[];
}

/**
 * Statements that write current-row memberships and the parameter index for the rows touched since the last
 * flush. With a number, placeholders start after `at` and run on across the statements (to combine them into
 * one); with `'separate'` each statement starts at `$1`.
 */
export function rowStateStatements(
  s: string,
  rows: Map<string, RowState | null>,
  originalRows: Map<string, RowState | null>,
  at: number | 'separate' = 'separate',
): RowStateStatements {
  const upT: string[] = [];
  const upK: string[] = [];
  const upE: string[] = [];
  const upL: string[] = [];
  const delT: string[] = [];
  const delK: string[] = [];
  const pDelL: string[] = [];
  const pDelT: string[] = [];
  const pDelK: string[] = [];
  const pInsL: string[] = [];
  const pInsT: string[] = [];
  const pInsK: string[] = [];
  const pInsP: string[] = [];
  for (const [id, state] of rows) {
    const sep = id.indexOf(SEP);
    const t = id.slice(0, sep);
    const k = id.slice(sep + 1);
    const original = originalRows.get(id);
    if (state && (state.entries.length || state.lookups.length)) {
      upT.push(t);
      upK.push(k);
      upE.push(state.entries.join('\x1e'));
      upL.push(state.lookups.join('\x1e'));
    } else {
      delT.push(t);
      delK.push(k);
    }
    for (const l of original?.lookups ?? []) {
      pDelL.push(l);
      pDelT.push(t);
      pDelK.push(k);
    }
    if (state?.params) {
      for (const [l, p] of state.params) {
        pInsL.push(l);
        pInsT.push(t);
        pInsK.push(k);
        pInsP.push(p);
      }
    }
  }
  const out: RowStateStatements = { rows: [], parameters: [] };
  let n = at === 'separate' ? 0 : at;
  const add = (list: Statement[], sql: (p: (i: number) => string) => string, params: unknown[]) => {
    list.push({ sql: sql(ph(n)), params });
    if (at !== 'separate') n += params.length;
  };
  if (delT.length) {
    add(
      out.rows,
      ($) =>
        `DELETE FROM ${s}.current_rows c USING unnest(${$(1)}::text[], ${$(2)}::text[]) AS d(t, k) WHERE c.source_table = d.t AND c.row_key = d.k`,
      [delT, delK],
    );
  }
  if (upT.length) {
    add(
      out.rows,
      ($) => `INSERT INTO ${s}.current_rows (source_table, row_key, entries, lookups)
         SELECT substr(t, 2), substr(k, 2), substr(e, 2), substr(l, 2)
           FROM unnest(string_to_array(${$(1)}, E'\\x1d'), string_to_array(${$(2)}, E'\\x1d'), string_to_array(${$(3)}, E'\\x1d'), string_to_array(${$(4)}, E'\\x1d')) AS x(t, k, e, l)
         ON CONFLICT (source_table, row_key) DO UPDATE SET entries = EXCLUDED.entries, lookups = EXCLUDED.lookups`,
      [packGroup(upT), packGroup(upK), packGroup(upE), packGroup(upL)],
    );
  }
  if (pDelL.length) {
    add(
      out.parameters,
      (
        $,
      ) => `DELETE FROM ${s}.parameter_index p USING unnest(${$(1)}::text[], ${$(2)}::text[], ${$(3)}::text[]) AS d(l, t, k)
          WHERE p.lookup = d.l AND p.source_table = d.t AND p.row_key = d.k`,
      [pDelL, pDelT, pDelK],
    );
  }
  if (pInsL.length) {
    add(
      out.parameters,
      ($) => `INSERT INTO ${s}.parameter_index (lookup, source_table, row_key, params)
         SELECT * FROM unnest(${$(1)}::text[], ${$(2)}::text[], ${$(3)}::text[], ${$(4)}::text[])
         ON CONFLICT (lookup, source_table, row_key) DO UPDATE SET params = EXCLUDED.params`,
      [pInsL, pInsT, pInsK, pInsP],
    );
  }
  return out;
}

export const RS = '\x1e';

/** Joins values with the record separator, or null when a value contains it (then arrays are used). */
function pack(values: readonly string[]): string | null {
  for (const v of values) if (v.includes(RS)) return null;
  return values.join(RS);
}

const GS = '\x1d';

/** Splits a stored entries/lookups text (entries joined by the record separator; '' = none). */
export function split(text: string): string[] {
  return text === '' ? [] : text.split(RS);
}

/** Packs one value per row with the group separator ('x'-prefixed so empty values survive the split). */
function packGroup(values: readonly string[]): string {
  for (const v of values) {
    if (v.includes(GS))
      throw new SyncError('STORAGE_FAILED', 'A row key or bucket name contains the control character U+001D');
  }
  return values.map((v) => `x${v}`).join(GS);
}
