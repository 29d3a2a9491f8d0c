import { kindStorage } from '@syncline/schema';
import type { TablePlan } from './plan.js';
import type { Segment } from './segments.js';
import { ident, type Statement } from './sql.js';

/** One row of a multi-row statement: the op's id and its Postgres-ready values (see `planTransaction`). */
export interface RowValues {
  id: string;
  values: Record<string, unknown>;
}

/**
 * The rows as one JSON array of arrays — `[id, value…]` in `columns` order — for `jsonb_array_elements`.
 * Dates go as ISO-8601 (UTC); json columns' values, JSON text already, as strings.
 */
export function rowsJson(columns: readonly string[], rows: readonly RowValues[]): string {
  return JSON.stringify(
    rows.map((row) => {
      const out: unknown[] = [row.id];
      for (const c of columns) {
        const value = row.values[c];
        out.push(value instanceof Date ? value.toISOString() : value);
      }
      return out;
    }),
  );
}

/**
 * PUT of several rows with distinct ids and the same columns: `putStatement` for each, as one statement
 * whose rows come from one JSON parameter (`e->>i`, cast to the column's type: the type's input function
 * converts the text, as it converts a parameter; an INSERT reads every row, so every value is converted).
 * `jsonb`, not `json`: the parameter is parsed once, where `json`'s `->>` re-parses the row for every
 * column (the statement took 1.24× a plain multi-row INSERT of the same rows with `json`, 1.02× with
 * `jsonb`). A value `jsonb` refuses (a `\u0000` escape) fails the statement: the per-op path decides.
 * Rows are processed in order; a row of another user is left untouched and missing from the result, and so is
 * an existing row whose id is in `absent` (decided as new: it must not turn into an update, SPEC.md U1).
 *
 * @example
 * putRowsStatement(documents, 'u1', ['content', 'created_at'], rows);
 * // INSERT INTO "documents" AS t ("id", "owner_id", "content", "created_at")
 * //   SELECT e->>0, $1, (e->>1)::text, (e->>2)::timestamp with time zone FROM jsonb_array_elements($2::jsonb) AS e
 * //   ON CONFLICT ("id") DO UPDATE SET "content" = EXCLUDED."content", "created_at" = EXCLUDED."created_at",
 * //   "owner_id" = EXCLUDED."owner_id" WHERE t."owner_id" = $1 RETURNING t."id" AS id, (t.xmax = 0) AS inserted
 */
export function putRowsStatement(
  table: TablePlan,
  userId: string,
  columns: readonly string[],
  rows: readonly RowValues[],
  absent?: readonly string[],
): Statement {
  const id = ident(table.id.name);
  const values: unknown[] = [userId, rowsJson(columns, rows)];
  const owner = ident(table.owner.name);
  const names = [id, owner, ...columns.map(ident)];
  const select = [
    `(e->>0)::${kindStorage[table.id.kind].server}`,
    '$1',
    ...columns.map((c, i) => `(e->>${i + 1})::${kindStorage[table.table.column(c)!.kind].server}`),
  ];
  const set = [...columns, table.owner.name].map((n) => `${ident(n)} = EXCLUDED.${ident(n)}`);
  return {
    text:
      `INSERT INTO ${ident(table.name)} AS t (${names.join(', ')}) SELECT ${select.join(', ')} ` +
      `FROM jsonb_array_elements($2::jsonb) AS e ` +
      `ON CONFLICT (${id}) DO UPDATE SET ${set.join(', ')} ` +
      `WHERE t.${owner} = $1${notAbsent(table, absent, values)} RETURNING t.${id} AS id, (t.xmax = 0) AS inserted`,
    values,
  };
}

/**
 * ` AND t.id <> ALL($n)`: no row with one of these ids (ops decided on a missing row) may be changed; empty
 * when there are none, so statements of tables without policies stay as they were.
 */
function notAbsent(table: TablePlan, absent: readonly string[] | undefined, values: unknown[]): string {
  if (!absent?.length) return '';
  const type = kindStorage[table.id.kind].server;
  return ` AND t.${ident(table.id.name)} <> ALL($${values.push(absent)}::${type}[])`;
}

/**
 * PATCH of several rows with distinct ids and the same columns: `patchStatement` for each, as one
 * `UPDATE … FROM (VALUES …)`. Every value is a parameter cast to its column's type, so Postgres converts
 * (and refuses) each one when the statement starts, as it does a single PATCH's parameters — also for
 * rows that turn out not to exist. Returns the ids of the user's rows it changed; a row whose id is in `absent`
 * (decided as missing: a PATCH of nothing) is left untouched, as if missing.
 *
 * @example
 * patchRowsStatement(documents, 'u1', ['title'], [{ id: 'd1', values: { title: 'A' } }, { id: 'd2', values: { title: 'B' } }]);
 * // UPDATE "documents" AS t SET "title" = v.c0 FROM (VALUES ($2::text, $3::text), ($4::text, $5::text)) AS v(k, c0)
 * //   WHERE t."id" = v.k AND t."owner_id" = $1 RETURNING t."id" AS id
 */
export function patchRowsStatement(
  table: TablePlan,
  userId: string,
  columns: readonly string[],
  rows: readonly RowValues[],
  absent?: readonly string[],
): Statement {
  const types = columns.map((c) => kindStorage[table.table.column(c)!.kind].server);
  const idType = kindStorage[table.id.kind].server;
  const values: unknown[] = [userId];
  const tuples = rows.map((row) => {
    const slots = [`$${values.push(row.id)}::${idType}`];
    for (const [i, c] of columns.entries()) slots.push(`$${values.push(row.values[c])}::${types[i]}`);
    return `(${slots.join(', ')})`;
  });
  const set = columns.map((c, i) => `${ident(c)} = v.c${i}`);
  const aliases = ['k', ...columns.map((_, i) => `c${i}`)];
  const id = ident(table.id.name);
  return {
    text:
      `UPDATE ${ident(table.name)} AS t SET ${set.join(', ')} FROM (VALUES ${tuples.join(', ')}) AS v(${aliases.join(', ')}) ` +
      `WHERE t.${id} = v.k AND t.${ident(table.owner.name)} = $1${notAbsent(table, absent, values)} RETURNING t.${id} AS id`,
    values,
  };
}

/**
 * DELETE of several rows: `deleteStatement` for each id, as one statement. Returns the ids of the user's
 * rows it deleted (or marked deleted).
 *
 * @example
 * deleteRowsStatement(documents, 'u1', ['d1', 'd2']);
 * // UPDATE "documents" SET "deleted_at" = COALESCE("deleted_at", now())
 * //   WHERE "id" = ANY($2::text[]) AND "owner_id" = $1 RETURNING "id" AS id
 */
export function deleteRowsStatement(table: TablePlan, userId: string, ids: readonly string[]): Statement {
  const soft = table.softDelete;
  const id = ident(table.id.name);
  const where = `${id} = ANY($2::${kindStorage[table.id.kind].server}[]) AND ${ident(table.owner.name)} = $1`;
  const text = soft
    ? `UPDATE ${ident(table.name)} SET ${ident(soft.name)} = COALESCE(${ident(soft.name)}, now()) WHERE ${where} RETURNING ${id} AS id`
    : `DELETE FROM ${ident(table.name)} WHERE ${where} RETURNING ${id} AS id`;
  return { text, values: [userId, ids] };
}

/** Which of these ids name a row (owned by anyone). */
export function existingIdsStatement(table: TablePlan, ids: readonly string[]): Statement {
  const id = ident(table.id.name);
  return {
    text: `SELECT ${id} AS id FROM ${ident(table.name)} WHERE ${id} = ANY($1::${kindStorage[table.id.kind].server}[])`,
    values: [ids],
  };
}

/**
 * The statement applying one segment (`$1` the user; for DELETE `$2` the ids). A DELETE leaves out the ids of
 * `segment.absent` (decided as missing: nothing to delete), so they count as not matched and are looked up.
 */
export function segmentStatement(segment: Segment, userId: string): Statement {
  const { table, columns, ops, absent } = segment;
  if (segment.type === 'DELETE') {
    const skip = absent?.length ? new Set(absent) : undefined;
    const ids = ops.map((op) => op.id);
    return deleteRowsStatement(table, userId, skip ? ids.filter((id) => !skip.has(id)) : ids);
  }
  const rows = ops as RowValues[];
  return segment.type === 'PUT'
    ? putRowsStatement(table, userId, columns, rows, segment.absent)
    : patchRowsStatement(table, userId, columns, rows, segment.absent);
}
