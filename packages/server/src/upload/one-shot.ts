import type pg from 'pg';
import type { ApplyStats } from './apply.js';
import { segmentStatement } from './rows-sql.js';
import type { Segment } from './segments.js';
import { ident, type Statement } from './sql.js';
import { UPLOAD_LOG_TABLE } from './store.js';

/** The idempotency records a one-shot statement writes. */
export interface LogRecords {
  clientId: string;
  transactions: readonly { opId: string; ops: number }[];
}

/**
 * A request whose ops form at most one segment, as one statement — Postgres runs a single statement
 * as its own transaction, so no BEGIN and COMMIT round trips: the idempotency records and the segment
 * are two data-modifying CTEs, and the final SELECT checks what the per-op path would have checked —
 * every transaction recorded now (none applied before, no op id twice), every PUT row written, no
 * PATCH or DELETE id naming another user's row. If a check fails, a failing cast aborts the statement,
 * which rolls back everything it wrote.
 *
 * @example
 * oneShotStatement(segment, 'u1', { clientId: 'c1', transactions: [{ opId: '7', ops: 10 }] });
 * // WITH w AS (INSERT INTO "documents" … RETURNING …), l AS (INSERT INTO syncline.upload_transactions …)
 * // SELECT (SELECT count(*)::int FROM w) AS changed, … , (CASE WHEN … THEN '1' ELSE '…' END)::int AS ok
 */
export function oneShotStatement(
  segment: Segment | undefined,
  userId: string,
  log: LogRecords | undefined,
): Statement {
  const values: unknown[] = [userId];
  const ctes: string[] = [];
  const checks: string[] = [];
  let changed = '0';
  let inserted = '0';
  if (segment) {
    const s = segmentStatement(segment, userId); // $1 is the user (DELETE: $2 the ids)
    values.push(...s.values.slice(1));
    ctes.push(`w AS (${s.text})`);
    changed = '(SELECT count(*)::int FROM w)';
    if (segment.type === 'PUT') {
      inserted = '(SELECT count(*)::int FROM w WHERE inserted)';
      checks.push(`(SELECT count(*) FROM w) = ${segment.ops.length}`);
    } else {
      // Rows that exist but were not changed belong to another user (`id` of w is the table's id).
      const ids = segment.type === 'DELETE' ? '$2' : `$${values.push(segment.ops.map((op) => op.id))}`;
      const { table } = segment;
      const id = ident(table.id.name);
      checks.push(
        `NOT EXISTS (SELECT 1 FROM ${ident(table.name)} x WHERE x.${id} = ANY(${ids}::text[]) AND x.${id} NOT IN (SELECT id FROM w))`,
      );
    }
  }
  if (log) {
    const client = `$${values.push(log.clientId)}`;
    const opIds = `$${values.push(log.transactions.map((t) => t.opId))}`;
    const counts = `$${values.push(log.transactions.map((t) => t.ops))}`;
    ctes.push(
      `l AS (INSERT INTO ${UPLOAD_LOG_TABLE} (user_id, client_id, op_id, ops) SELECT $1, ${client}, o, n ` +
        `FROM unnest(${opIds}::text[], ${counts}::int[]) AS u(o, n) ON CONFLICT DO NOTHING RETURNING 1)`,
    );
    checks.push(`(SELECT count(*) FROM l) = ${log.transactions.length}`);
  }
  const ok = checks.length ? checks.join(' AND ') : 'true';
  return {
    text:
      `WITH ${ctes.join(', ')} SELECT ${changed} AS changed, ${inserted} AS inserted, ` +
      `(CASE WHEN ${ok} THEN '1' ELSE 'syncline: not applicable in one statement' END)::int AS ok`,
    values,
  };
}

/**
 * Runs {@link oneShotStatement}; true when it applied, false when it changed nothing and the per-op path
 * must decide (a failed check or any database error: the statement rolled back as a whole).
 */
export async function applyOneShot(
  client: pg.PoolClient,
  segment: Segment | undefined,
  userId: string,
  log: LogRecords | undefined,
  stats: ApplyStats,
): Promise<boolean> {
  if (!segment && !log) return true;
  let row: { changed: number; inserted: number };
  try {
    const { rows } = await client.query<{ changed: number; inserted: number }>(
      oneShotStatement(segment, userId, log),
    );
    row = rows[0]!;
  } catch {
    return false;
  }
  if (!segment) return true;
  const n = segment.ops.length;
  if (segment.type === 'PUT') {
    stats.inserted += row.inserted;
    stats.updated += n - row.inserted;
  } else {
    if (segment.type === 'PATCH') stats.updated += row.changed;
    else stats.deleted += row.changed;
    stats.missing += n - row.changed;
  }
  return true;
}
