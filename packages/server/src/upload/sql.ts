import { kindStorage } from '@syncline/schema';
import type { TablePlan } from './plan.js';

/** A parameterised statement for `pg`. */
export interface Statement {
  text: string;
  values: unknown[];
}

/** Quotes a Postgres identifier. Names come from the table definitions, never from the client. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * PUT: insert, or update the row only if the user owns it. `ON CONFLICT … WHERE owner = user` leaves
 * another user's row untouched and returns no row, which the caller turns into `UPLOAD_NOT_OWNER`.
 *
 * @example
 * putStatement(documents, 'd1', 'u1', { content: 'x' });
 * // INSERT INTO "documents" AS t ("id", "owner_id", "content") VALUES ($1, $2, $3)
 * //   ON CONFLICT ("id") DO UPDATE SET "content" = EXCLUDED."content", "owner_id" = EXCLUDED."owner_id"
 * //   WHERE t."owner_id" = $2 RETURNING (t.xmax = 0) AS inserted
 */
export function putStatement(
  table: TablePlan,
  id: string,
  userId: string,
  values: Record<string, unknown>,
): Statement {
  const names = Object.keys(values);
  const columns = [table.id.name, table.owner.name, ...names].map(ident);
  const params = [id, userId, ...names.map((n) => values[n])];
  const placeholders = params.map((_, i) => `$${i + 1}`);
  // The owner assignment is a no-op (the WHERE pins it to the user) that keeps SET non-empty.
  const set = [...names, table.owner.name].map((n) => `${ident(n)} = EXCLUDED.${ident(n)}`);
  return {
    text:
      `INSERT INTO ${ident(table.name)} AS t (${columns.join(', ')}) VALUES (${placeholders.join(', ')}) ` +
      `ON CONFLICT (${ident(table.id.name)}) DO UPDATE SET ${set.join(', ')} ` +
      `WHERE t.${ident(table.owner.name)} = $2 RETURNING (t.xmax = 0) AS inserted`,
    values: params,
  };
}

/**
 * PATCH: update the given columns of the user's own row (`WHERE id = $1 AND owner = $2`).
 *
 * @example
 * patchStatement(documents, 'd1', 'u1', { title: 'New' });
 * // UPDATE "documents" SET "title" = $3 WHERE "id" = $1 AND "owner_id" = $2 RETURNING 1
 */
export function patchStatement(
  table: TablePlan,
  id: string,
  userId: string,
  values: Record<string, unknown>,
): Statement {
  const names = Object.keys(values);
  const set = names.map((n, i) => `${ident(n)} = $${i + 3}`);
  return {
    text: `UPDATE ${ident(table.name)} SET ${set.join(', ')} WHERE ${ownRow(table)} RETURNING 1`,
    values: [id, userId, ...names.map((n) => values[n])],
  };
}

/**
 * DELETE: a soft delete (the soft-delete column set once, to the transaction time) on tables that
 * have one, a hard delete otherwise; only the user's own row.
 *
 * @example
 * deleteStatement(documents, 'd1', 'u1');
 * // UPDATE "documents" SET "deleted_at" = COALESCE("deleted_at", now()) WHERE "id" = $1 AND "owner_id" = $2 RETURNING 1
 */
export function deleteStatement(table: TablePlan, id: string, userId: string): Statement {
  const soft = table.softDelete;
  const text = soft
    ? `UPDATE ${ident(table.name)} SET ${ident(soft.name)} = COALESCE(${ident(soft.name)}, now()) WHERE ${ownRow(table)} RETURNING 1`
    : `DELETE FROM ${ident(table.name)} WHERE ${ownRow(table)} RETURNING 1`;
  return { text, values: [id, userId] };
}

/** Whether a row with this id exists (owned by anyone). */
export function existsStatement(table: TablePlan, id: string): Statement {
  return { text: `SELECT 1 FROM ${ident(table.name)} WHERE ${ident(table.id.name)} = $1`, values: [id] };
}

function ownRow(table: TablePlan): string {
  return `${ident(table.id.name)} = $1 AND ${ident(table.owner.name)} = $2`;
}

/** One row of a multi-row statement: the op's id and its Postgres-ready values. */
export interface RowValues {
  id: string;
  values: Record<string, unknown>;
}

/**
 * PUT of several rows with distinct ids and the same columns: {@link putStatement} for each, as one
 * statement. Rows are processed in order; a row of another user is left untouched and missing from the
 * result.
 *
 * @example
 * putRowsStatement(documents, 'u1', ['content'], [{ id: 'd1', values: { content: 'x' } }, { id: 'd2', values: { content: 'y' } }]);
 * // INSERT INTO "documents" AS t ("id", "owner_id", "content") VALUES ($2, $1, $3), ($4, $1, $5)
 * //   ON CONFLICT ("id") DO UPDATE SET "content" = EXCLUDED."content", "owner_id" = EXCLUDED."owner_id"
 * //   WHERE t."owner_id" = $1 RETURNING t."id" AS id, (t.xmax = 0) AS inserted
 */
export function putRowsStatement(
  table: TablePlan,
  userId: string,
  columns: readonly string[],
  rows: readonly RowValues[],
): Statement {
  const values: unknown[] = [userId];
  const tuples = rows.map((row) => {
    const slots = [`$${values.push(row.id)}`, '$1'];
    for (const c of columns) slots.push(`$${values.push(row.values[c])}`);
    return `(${slots.join(', ')})`;
  });
  const names = [table.id.name, table.owner.name, ...columns].map(ident);
  const set = [...columns, table.owner.name].map((n) => `${ident(n)} = EXCLUDED.${ident(n)}`);
  return {
    text:
      `INSERT INTO ${ident(table.name)} AS t (${names.join(', ')}) VALUES ${tuples.join(', ')} ` +
      `ON CONFLICT (${ident(table.id.name)}) DO UPDATE SET ${set.join(', ')} ` +
      `WHERE t.${ident(table.owner.name)} = $1 RETURNING t.${ident(table.id.name)} AS id, (t.xmax = 0) AS inserted`,
    values,
  };
}

/**
 * PATCH of several rows with distinct ids and the same columns: {@link patchStatement} for each, as one
 * `UPDATE … FROM (VALUES …)`. Values are cast to the column's Postgres type, as a single PATCH's
 * parameters are. Returns the ids of the user's rows it changed.
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
  return {
    text:
      `UPDATE ${ident(table.name)} AS t SET ${set.join(', ')} FROM (VALUES ${tuples.join(', ')}) AS v(${aliases.join(', ')}) ` +
      `WHERE t.${ident(table.id.name)} = v.k AND t.${ident(table.owner.name)} = $1 RETURNING t.${ident(table.id.name)} AS id`,
    values,
  };
}

/**
 * DELETE of several rows: {@link deleteStatement} for each id, as one statement. Returns the ids of the
 * user's rows it deleted (or marked deleted).
 *
 * @example
 * deleteRowsStatement(documents, 'u1', ['d1', 'd2']);
 * // UPDATE "documents" SET "deleted_at" = COALESCE("deleted_at", now())
 * //   WHERE "id" = ANY($2::text[]) AND "owner_id" = $1 RETURNING "id" AS id
 */
export function deleteRowsStatement(table: TablePlan, userId: string, ids: readonly string[]): Statement {
  const soft = table.softDelete;
  const where = `${ident(table.id.name)} = ANY($2::${kindStorage[table.id.kind].server}[]) AND ${ident(table.owner.name)} = $1`;
  const text = soft
    ? `UPDATE ${ident(table.name)} SET ${ident(soft.name)} = COALESCE(${ident(soft.name)}, now()) WHERE ${where} RETURNING ${ident(table.id.name)} AS id`
    : `DELETE FROM ${ident(table.name)} WHERE ${where} RETURNING ${ident(table.id.name)} AS id`;
  return { text, values: [userId, ids] };
}

/** Which of these ids name a row (owned by anyone). */
export function existingIdsStatement(table: TablePlan, ids: readonly string[]): Statement {
  return {
    text: `SELECT ${ident(table.id.name)} AS id FROM ${ident(table.name)} WHERE ${ident(table.id.name)} = ANY($1::${kindStorage[table.id.kind].server}[])`,
    values: [ids],
  };
}
