import { kindStorage } from '@syncline/schema';
import type pg from 'pg';
import { decide } from '../policies/index.js';
import type { OpId } from './body.js';
import type { UploadOutcome } from './per-op.js';
import type { PlannedOp, PlannedTransaction, TableEntry, TablePlan } from './plan.js';
import { referencesPass } from './references.js';
import { rowsJson } from './rows-sql.js';
import { ident, type Statement } from './sql.js';
import { UPLOAD_LOG_TABLE } from './store.js';

/** PUTs of one table with the same columns: one INSERT of the one-statement path. */
interface Batch {
  table: TablePlan;
  columns: string[];
  ops: PlannedOp[];
}

/**
 * The one-statement path for requests that only create rows: every op a PUT, no (table, id) twice. It
 * assumes every row is new and every transaction unrecorded, and checks that assumption with the statement
 * itself: plain INSERTs (no `ON CONFLICT`) of the rows and of the idempotency records, as data-modifying
 * CTEs of ONE statement — Postgres runs it as its own transaction, so no BEGIN/COMMIT round trips, and
 * it writes all of it or nothing. A row that exists (anyone's, or created meanwhile by a concurrent request),
 * a transaction applied before, any other violated constraint: the statement fails, nothing is written,
 * and the caller goes on with the locking path, which decides as it always did (owner checks, versions,
 * replays, the first rejected op named).
 *
 * The policy checks run before the statement on the facts the locking path would read if the assumption
 * holds — none of the written rows exists — so a request whose links or shared references point at rows
 * it does not create itself is not taken (those need the rows read). `serverOwned('now')` columns get the
 * statement's `now()`, the transaction time, as on the locking path.
 */
export async function applyNewRows(
  client: pg.PoolClient,
  tables: ReadonlyMap<string, TableEntry>,
  planned: readonly PlannedTransaction[],
  clientId: string | undefined,
  userId: string,
  outcome: UploadOutcome,
): Promise<boolean> {
  const ops: PlannedOp[] = [];
  for (const tx of planned) for (const op of tx.ops) ops.push(op);
  if (!eligible(ops, tables)) return false;
  if (ops.some((op) => op.table.policy)) {
    try {
      // Facts of rows that do not exist: nothing to read; now() is set by the statement.
      decide({ opId: planned[0]!.opId, ops }, tables, { rows: new Map(), now: undefined }, userId);
    } catch {
      return false; // a violation: the locking path names it
    }
  }
  if (!(await referencesPass(client, planned, tables, userId).catch(() => false))) return false;
  const log = clientId === undefined ? undefined : { clientId, opIds: planned.map((tx) => tx.opId) };
  try {
    await client.query(newRowsStatement(batchesOf(ops), userId, log, planned));
  } catch {
    return false; // rolled back as a whole: a row or a transaction exists, or a value is refused
  }
  outcome.applied = planned.map((tx) => tx.opId);
  outcome.path = 'one-statement';
  outcome.totals.inserted += ops.length;
  for (const op of ops) if (op.ownerIgnored) outcome.totals.ownerIgnored++;
  return true;
}

/** Only PUTs, each (table, id) once, and every policy link or shared reference to a row the request creates. */
function eligible(ops: readonly PlannedOp[], tables: ReadonlyMap<string, TableEntry>): boolean {
  if (ops.length === 0) return false;
  const created = new Set<string>();
  for (const op of ops) {
    if (op.type !== 'PUT') return false;
    const key = `${op.table.name}\u0000${op.id}`;
    if (created.has(key)) return false;
    created.add(key);
  }
  for (const op of ops) {
    const policy = op.table.policy;
    if (!policy || op.type === 'DELETE') continue;
    for (const c of policy.serverOwned) if (c.serverOwned === 'now' && c.kind !== 'timestamp') return false;
    const linked = policy.link && policy.resource ? op.values[policy.link.name] : undefined;
    if (typeof linked === 'string' && !created.has(`${policy.resource!.table}\u0000${linked}`)) return false;
    for (const ref of policy.sharedRefs) {
      const value = op.values[ref.column.name];
      if (typeof value !== 'string' || tables.get(ref.target)?.kind !== 'synced') continue;
      if (!created.has(`${ref.target}\u0000${value}`)) return false;
    }
  }
  return true;
}

/** The ops grouped by table and column set (rows are new and distinct, so their order does not matter). */
function batchesOf(ops: readonly PlannedOp[]): Batch[] {
  const byKey = new Map<string, Batch>();
  let last: Batch | undefined;
  for (const op of ops) {
    if (op.type === 'DELETE') continue;
    const names = Object.keys(op.values);
    if (last?.table === op.table && sameOrder(last.columns, names)) {
      last.ops.push(op); // the usual case: the same columns as the op before, no key to build
      continue;
    }
    const key = `${op.table.name}\u0000${names.join('\u0000')}`;
    last = byKey.get(key);
    if (!last) {
      last = { table: op.table, columns: names, ops: [] };
      byKey.set(key, last);
    }
    last.ops.push(op);
  }
  return [...byKey.values()];
}

function sameOrder(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * One statement: an INSERT per batch and one of the idempotency records, as data-modifying CTEs.
 *
 * @example
 * // WITH w0 AS (INSERT INTO "documents" ("id", "owner_id", "content", "updated_at")
 * //   SELECT (e->>0)::text, $1, (e->>1)::text, now() FROM jsonb_array_elements($2::jsonb) AS e),
 * // l AS (INSERT INTO syncline.upload_transactions (user_id, client_id, op_id, ops)
 * //   SELECT $1, $3, o, n FROM unnest($4::text[], $5::int[]) AS u(o, n)) SELECT 1
 */
function newRowsStatement(
  batches: readonly Batch[],
  userId: string,
  log: { clientId: string; opIds: readonly OpId[] } | undefined,
  planned: readonly PlannedTransaction[],
): Statement {
  const values: unknown[] = [userId];
  const ctes = batches.map((batch, b) => {
    const { table } = batch;
    const stamped = new Set(
      (table.policy?.serverOwned ?? []).filter((c) => c.serverOwned === 'now').map((c) => c.name),
    );
    const sent = batch.columns.filter((c) => !stamped.has(c));
    const rows = `$${values.push(rowsJson(sent, batch.ops as { id: string; values: Record<string, unknown> }[]))}`;
    const names = [ident(table.id.name), ident(table.owner.name)];
    const select = [`(e->>0)::${kindStorage[table.id.kind].server}`, '$1'];
    for (const [i, c] of sent.entries()) {
      names.push(ident(c));
      select.push(`(e->>${i + 1})::${kindStorage[table.table.column(c)!.kind].server}`);
    }
    for (const c of batch.columns) {
      if (!stamped.has(c)) continue;
      names.push(ident(c));
      select.push('now()');
    }
    return (
      `w${b} AS (INSERT INTO ${ident(table.name)} (${names.join(', ')}) ` +
      `SELECT ${select.join(', ')} FROM jsonb_array_elements(${rows}::jsonb) AS e)`
    );
  });
  if (log) {
    const client = `$${values.push(log.clientId)}`;
    const opIds = `$${values.push(log.opIds.map(String))}`;
    const counts = `$${values.push(planned.map((tx) => tx.ops.length))}`;
    ctes.push(
      `l AS (INSERT INTO ${UPLOAD_LOG_TABLE} (user_id, client_id, op_id, ops) ` +
        `SELECT $1, ${client}, o, n FROM unnest(${opIds}::text[], ${counts}::int[]) AS u(o, n))`,
    );
  }
  return { text: `WITH ${ctes.join(', ')} SELECT 1`, values };
}
