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
  /** Decided on facts that the row does not exist: insert only (`DO NOTHING`), no row back if it does. */
  insertOnly = false,
): Statement {
  const names = Object.keys(values);
  const columns = [table.id.name, table.owner.name, ...names].map(ident);
  const params = [id, userId, ...names.map((n) => values[n])];
  const placeholders = params.map((_, i) => `$${i + 1}`);
  // The owner assignment is a no-op (the WHERE pins it to the user) that keeps SET non-empty.
  const set = [...names, table.owner.name].map((n) => `${ident(n)} = EXCLUDED.${ident(n)}`);
  const conflict = insertOnly
    ? 'DO NOTHING RETURNING true AS inserted'
    : `DO UPDATE SET ${set.join(', ')} WHERE t.${ident(table.owner.name)} = $2 RETURNING (t.xmax = 0) AS inserted`;
  return {
    text:
      `INSERT INTO ${ident(table.name)} AS t (${columns.join(', ')}) VALUES (${placeholders.join(', ')}) ` +
      `ON CONFLICT (${ident(table.id.name)}) ${conflict}`,
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
