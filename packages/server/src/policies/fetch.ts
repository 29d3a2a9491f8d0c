/**
 * The facts the policy checks need, read in one query per table per client transaction: the rows the
 * transaction writes (locked `FOR UPDATE` until it commits, so what is checked is what gets written), the
 * shared rows it points at, the owner of each row's resource and the caller's membership role on it.
 */
import type pg from 'pg';
import type { PlannedTransaction, TableEntry, TablePlan } from '../upload/plan.js';
import { ident } from '../upload/sql.js';
import type { ResourcePlan } from './plan.js';

/** A role a membership gives, as the checks see it (any membership row reads; `editor` also writes). */
export type MemberRole = 'editor' | 'viewer' | null;

/** One row as stored, with what the checks need to know about it. */
export interface RowFacts {
  /** The row as Postgres returns it, keyed by column name. */
  readonly row: Record<string, unknown>;
  readonly owner: string;
  /**
   * The caller's membership role on the resource: the row itself (resource tables) or the row its link
   * points at (child and membership tables).
   */
  readonly role: MemberRole;
  /** Child and membership rows: the owner of the resource their link points at; null when there is none. */
  readonly parentOwner: string | null;
}

/** Everything read for one client transaction. */
export interface Facts {
  /** Per table name: row id → facts (rows written, and shared rows referenced). */
  readonly rows: ReadonlyMap<string, ReadonlyMap<string, RowFacts>>;
  /** The transaction time (Postgres `now()`), for `serverOwned('now')` columns; set when one is written. */
  readonly now: Date | undefined;
}

const X = '__syncline_';

/** Which ids of which tables the checks need: written (locked) and referenced (read). */
export function neededIds(
  tx: PlannedTransaction,
  tables: ReadonlyMap<string, TableEntry>,
): Map<string, { written: Set<string>; referenced: Set<string> }> {
  const need = new Map<string, { written: Set<string>; referenced: Set<string> }>();
  const of = (table: string) => {
    let n = need.get(table);
    if (!n) {
      n = { written: new Set(), referenced: new Set() };
      need.set(table, n);
    }
    return n;
  };
  for (const op of tx.ops) {
    const policy = op.table.policy;
    if (!policy) continue;
    if (policy.fetch) of(op.table.name).written.add(op.id);
    if (op.type === 'DELETE') continue;
    const link = policy.link;
    if (link && policy.resource && typeof op.values[link.name] === 'string') {
      of(policy.resource.table).referenced.add(op.values[link.name] as string);
    }
    for (const ref of policy.sharedRefs) {
      const value = op.values[ref.column.name];
      if (typeof value === 'string' && tables.get(ref.target)?.kind === 'synced')
        of(ref.target).referenced.add(value);
    }
  }
  return need;
}

/** `editor` if any of the caller's membership rows on `resourceExpr` says so, `viewer` for any other row. */
function roleSql(r: ResourcePlan, resourceExpr: string): string {
  return `(SELECT CASE WHEN bool_or(m.${ident(r.memberRole)} = 'editor') THEN 'editor' WHEN count(*) > 0 THEN 'viewer' END
    FROM ${ident(r.members)} m WHERE m.${ident(r.memberResource)} = ${resourceExpr} AND m.${ident(r.memberUser)} = $3)`;
}

/** The facts query of one table. */
export function factsStatement(
  table: TablePlan,
  written: readonly string[],
  referenced: readonly string[],
  userId: string,
): { text: string; values: unknown[] } {
  const t = ident(table.name);
  const id = ident(table.id.name);
  const policy = table.policy;
  const r = policy?.resource;
  const extra = [`x.${ident(table.owner.name)} AS "${X}owner"`, `now() AS "${X}now"`];
  const values: unknown[] = [[...written], [...referenced]];
  let join = '';
  if (r && policy?.part === 'resource') {
    values.push(userId); // $3 of roleSql: only tables with a sharing part have one
    extra.push(`${roleSql(r, `x.${id}`)} AS "${X}role"`);
  } else if (r && policy?.link) {
    values.push(userId);
    const link = `x.${ident(policy.link.name)}`;
    join = ` LEFT JOIN ${ident(r.table)} p ON p.${ident(r.id)} = ${link}`;
    extra.push(`p.${ident(r.owner)} AS "${X}parent_owner"`, `${roleSql(r, link)} AS "${X}role"`);
  }
  const text =
    `WITH w AS (SELECT * FROM ${t} WHERE ${id} = ANY($1::text[]) ORDER BY ${id} FOR UPDATE), ` +
    `r AS (SELECT * FROM ${t} WHERE ${id} = ANY($2::text[]) AND NOT (${id} = ANY($1::text[]))) ` +
    `SELECT x.*, ${extra.join(', ')} FROM (SELECT * FROM w UNION ALL SELECT * FROM r) x${join}`;
  return { text, values };
}

/**
 * Reads the facts: one query per table the transaction writes under a policy or points at through a shared
 * reference, in table-name order (rows locked in id order, so concurrent uploads lock in the same order).
 */
export async function readFacts(
  client: pg.PoolClient,
  tx: PlannedTransaction,
  tables: ReadonlyMap<string, TableEntry>,
  userId: string,
  /** The transaction time, when the caller has read it already (saves a query when no row is read). */
  known?: Date,
): Promise<Facts> {
  const rows = new Map<string, Map<string, RowFacts>>();
  let now: Date | undefined = known;
  const need = neededIds(tx, tables);
  for (const name of [...need.keys()].sort()) {
    const table = tables.get(name);
    if (table?.kind !== 'synced') continue;
    const { written, referenced } = need.get(name)!;
    const result = await client.query<Record<string, unknown>>(
      factsStatement(table, [...written], [...referenced], userId),
    );
    const byId = new Map<string, RowFacts>();
    for (const raw of result.rows) {
      const row: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(raw)) if (!k.startsWith(X)) row[k] = v;
      now ??= raw[`${X}now`] as Date;
      byId.set(String(row[table.id.name]), {
        row,
        owner: String(raw[`${X}owner`]),
        role: (raw[`${X}role`] as MemberRole | undefined) ?? null,
        parentOwner: (raw[`${X}parent_owner`] as string | null | undefined) ?? null,
      });
    }
    rows.set(name, byId);
  }
  const stamps = tx.ops.some(
    (op) => op.type !== 'DELETE' && op.table.policy?.serverOwned.some((c) => c.serverOwned === 'now'),
  );
  if (stamps && now === undefined) {
    now = (await client.query<{ now: Date }>('SELECT now() AS now')).rows[0]!.now;
  }
  return { rows, now };
}
