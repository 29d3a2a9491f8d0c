import type pg from 'pg';
import { type Decision, enforcePolicies } from '../policies/index.js';
import type { ApplyStats } from './apply.js';
import type { UploadBody } from './body.js';
import { applyNewRows } from './new-rows.js';
import { applyOneShot } from './one-shot.js';
import { noStats, type UploadOutcome } from './per-op.js';
import { type PlannedTransaction, planTransaction, type TableEntry } from './plan.js';
import { policyGroups } from './policy-groups.js';
import { referencesPass } from './references.js';
import { existingIdsStatement, segmentStatement } from './rows-sql.js';
import { type Segment, segmentsOf } from './segments.js';
import { recordTransactions } from './store.js';

/** The batched path's answer: the request is done, or the per-op path must decide it. */
export type BatchedResult =
  | { done: true; outcome: UploadOutcome }
  | {
      done: false;
      /** Why, for the debug log. */
      reason: string;
      /** The connection cannot be used any more (the rollback failed). */
      broken: boolean;
    };

/**
 * The fast path: every client transaction of the request in one Postgres transaction, written with one
 * statement per {@link Segment} (runs of same-shaped ops across transactions) instead of one per op, the
 * idempotency records with one statement, the references with one query per referenced table. It
 * commits only when the result is the one the per-op path would give: all ops valid, every reference
 * allowed, every row the user's. Anything else — an invalid op, another user's row, any database
 * error — rolls it all back and answers `done: false`, and the per-op path ({@link applyPerOp}) then
 * applies the request and names the first rejected op. So a rejection costs the work twice; a success
 * costs a handful of round trips and one commit. A request that only creates rows is first tried as one
 * statement ({@link applyNewRows}); when a row or a transaction exists already, that writes nothing and this
 * path goes on.
 */
export async function applyBatched(
  client: pg.PoolClient,
  tables: ReadonlyMap<string, TableEntry>,
  body: UploadBody,
  userId: string,
): Promise<BatchedResult> {
  let planned: PlannedTransaction[];
  try {
    planned = body.transactions.map((raw) => planTransaction(tables, raw));
  } catch {
    return { done: false, reason: 'an op is invalid', broken: false };
  }
  const outcome: UploadOutcome = { applied: [], replayed: [], totals: noStats(), path: 'batched' };
  if (planned.length === 0) return { done: true, outcome };
  const { clientId } = body;
  const ops = planned.flatMap((tx) => tx.ops);
  // Sharing and conflict policies read (and lock) the rows first: not in one statement.
  const policed = ops.some((op) => op.table.policy !== undefined);
  const segments = policed ? [] : segmentsOf(ops);
  if (!policed && segments.length <= 1) {
    // No BEGIN/COMMIT: one statement. It assumes every transaction is new; a replay fails its check.
    const allowed = await referencesPass(client, planned, tables, userId).catch(() => false);
    if (!allowed) return { done: false, reason: 'a reference needs the per-op check', broken: false };
    const log =
      clientId === undefined
        ? undefined
        : { clientId, transactions: planned.map((tx) => ({ opId: String(tx.opId), ops: tx.ops.length })) };
    if (!(await applyOneShot(client, segments[0], userId, log, outcome.totals))) {
      return { done: false, reason: 'the one-statement check failed', broken: false };
    }
    outcome.applied = planned.map((tx) => tx.opId);
    outcome.path = 'one-statement';
    for (const op of ops) if (op.ownerIgnored) outcome.totals.ownerIgnored++;
    return { done: true, outcome };
  }
  // Only new rows: one statement that fails as a whole when one exists; then the locking path below.
  if (await applyNewRows(client, tables, planned, clientId, userId, outcome)) return { done: true, outcome };
  const abandon = async (reason: string): Promise<BatchedResult> => {
    const broken = await client.query('ROLLBACK').then(
      () => false,
      () => true,
    );
    return { done: false, reason, broken };
  };
  try {
    await client.query('BEGIN');
    const { fresh, now } =
      clientId === undefined
        ? { fresh: planned.map(() => true), now: undefined }
        : await recordTransactions(
            client,
            { userId, clientId },
            planned.map((tx) => ({ opId: String(tx.opId), ops: tx.ops.length })),
          );
    const transactions = planned.filter((tx, i) => {
      (fresh[i] ? outcome.applied : outcome.replayed).push(tx.opId);
      return fresh[i];
    });
    if (!(await referencesPass(client, transactions, tables, userId))) {
      return await abandon('a reference needs the per-op check');
    }
    for (const tx of transactions)
      for (const op of tx.ops) if (op.ownerIgnored) outcome.totals.ownerIgnored++;
    // Without policies, all at once; with them, per group of transactions whose checks can share their facts.
    for (const group of policed ? policyGroups(transactions) : [transactions]) {
      const groupOps = group.flatMap((tx) => tx.ops);
      let decision: Decision | undefined;
      if (policed) {
        const checked = await enforcePolicies(
          client,
          { opId: group[0]!.opId, ops: groupOps },
          tables,
          userId,
          now, // the transaction time, from the idempotency insert
        ).then(
          (d) => ({ decision: d }),
          () => undefined,
        );
        if (!checked) return await abandon('a policy check failed: the per-op path names the op');
        decision = checked.decision; // an editor writes a shared row as its owner
      }
      for (const segment of segmentsOf(groupOps, decision?.owners, decision?.absent)) {
        if (!(await applySegment(client, segment, segment.owner ?? userId, outcome.totals))) {
          // Rows decided as missing that exist now appeared meanwhile: the per-op path decides again.
          return await abandon(
            `${segment.type} ${segment.table.name}: a row belongs to another user or appeared after the facts were read`,
          );
        }
      }
    }
    await client.query('COMMIT');
    return { done: true, outcome };
  } catch (e) {
    return await abandon(`database error ${(e as { code?: unknown })?.code ?? ''}`.trim());
  }
}

/**
 * Applies one segment; false when a row is another user's (the per-op path must name the op) or exists though
 * its op was decided on a missing row (the per-op path decides again, SPEC.md U1).
 */
async function applySegment(
  client: pg.PoolClient,
  segment: Segment,
  userId: string,
  stats: ApplyStats,
): Promise<boolean> {
  const { table, ops } = segment;
  const { rows } = await client.query<{ id: string; inserted?: boolean }>(segmentStatement(segment, userId));
  if (segment.type === 'PUT') {
    if (rows.length !== ops.length) return false;
    for (const row of rows) {
      if (row.inserted) stats.inserted++;
      else stats.updated++;
    }
    return true;
  }
  if (segment.type === 'PATCH') stats.updated += rows.length;
  else stats.deleted += rows.length;
  if (rows.length === ops.length) return true;
  // Ops that matched nothing: another user's row (refuse), a row decided as missing that exists now (decide
  // again), or a row that does not exist (nothing to do).
  const changed = new Set(rows.map((r) => r.id));
  const unmatched = ops.filter((op) => !changed.has(op.id)).map((op) => op.id);
  const existing = await client.query(existingIdsStatement(table, unmatched));
  if (existing.rowCount) return false;
  stats.missing += unmatched.length;
  return true;
}
