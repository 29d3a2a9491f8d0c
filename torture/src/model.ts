/**
 * What the torture run syncs: the notes schema (projects shared through `project_members`, documents with a
 * version, versions, …) with the sync rules generated from its definitions — sharing included — and the same
 * rules written as SQL, to say which rows each user may see.
 */
import { schema } from '@syncline/example-notes/schema';
import { applySchema } from '@syncline/postgres/migrate';
import { toSyncRules } from '@syncline/schema';
import type pg from 'pg';

export { schema };

/** The rules from the definitions: each user's own rows, and every shared project to its owner and members. */
export const rules = toSyncRules(schema);

/** Synced tables the checks compare, with the columns a client holds (besides `id`). */
export const TABLES = schema.synced.map((t) => ({
  name: t.name,
  columns: t.columns.filter((c) => c.name !== 'id'),
}));

/** Creates the notes tables (`project_members` included: sharing is part of the definitions). */
export async function prepareSource(url: string, _pool: pg.Pool): Promise<void> {
  await applySchema(url, schema);
}

/** Postgres text of a column as the client holds it (ISO-8601 ms timestamps, 0/1 booleans). */
function clientValueSql(column: { name: string; kind: string }): string {
  const c = `"${column.name}"`;
  if (column.kind === 'timestamp')
    return `to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${c}`;
  if (column.kind === 'boolean') return `${c}::int AS ${c}`;
  return c;
}

/**
 * The condition under which `$1` (a user id) may see a row of `table` — the generated sync rules, in SQL: their
 * own rows; a project they are a member of; the membership rows and documents of a project they own or are a
 * member of.
 */
function visibleSql(table: string): string {
  const member = 'SELECT project_id FROM project_members WHERE user_id = $1';
  const owned = 'SELECT id FROM projects WHERE owner_id = $1';
  if (table === 'projects') return `owner_id = $1 OR id IN (${member})`;
  if (table === 'documents' || table === 'project_members')
    return `owner_id = $1 OR project_id IN (${owned}) OR project_id IN (${member})`;
  return 'owner_id = $1';
}

export type Row = Record<string, string | number | null>;

/** The rows `userId` may see, per table, as the client should hold them. */
export async function visibleRows(
  db: Pick<pg.Pool, 'query'>,
  userId: string,
): Promise<Map<string, Map<string, Row>>> {
  const out = new Map<string, Map<string, Row>>();
  for (const t of TABLES) {
    const cols = t.columns.map(clientValueSql).join(', ');
    const { rows } = await db.query<Row>(`SELECT id, ${cols} FROM "${t.name}" WHERE ${visibleSql(t.name)}`, [
      userId,
    ]);
    out.set(t.name, new Map(rows.map((r) => [String(r.id), r])));
  }
  return out;
}

/** Every row id per synced table (for the storage check). */
export async function allIds(db: Pick<pg.Pool, 'query'>): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const t of TABLES.map((x) => x.name)) {
    const { rows } = await db.query<{ id: string }>(`SELECT id FROM "${t}"`);
    out.set(t, new Set(rows.map((r) => r.id)));
  }
  return out;
}
