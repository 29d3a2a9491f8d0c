import type pg from 'pg';
import { type ApplyStats, applyTransaction } from './apply.js';
import type { OpId, UploadBody } from './body.js';
import { mapPgError } from './pg-errors.js';
import { planTransaction, type TableEntry, withDetails } from './plan.js';
import { appliedBefore } from './store.js';

/** What a request did: op ids applied now and applied before (replays), and row counts for the log. */
export interface UploadOutcome {
  applied: OpId[];
  replayed: OpId[];
  totals: ApplyStats;
  /** How it was applied: one statement, one batched Postgres transaction, or per op (the fallback). */
  path: 'one-statement' | 'batched' | 'per-op';
}

/** Row counts of nothing. */
export function noStats(): ApplyStats {
  return { inserted: 0, updated: 0, deleted: 0, missing: 0, ownerIgnored: 0 };
}

/**
 * The reference path: each client transaction in its own Postgres transaction, one statement per op.
 * The first rejected transaction stops the request: the error (a SyncError) names it and lists the
 * transactions applied before it (`details.applied`); those stay committed. The batched path falls back
 * to this one whenever it cannot prove it would give the same result.
 */
export async function applyPerOp(
  client: pg.PoolClient,
  tables: ReadonlyMap<string, TableEntry>,
  body: UploadBody,
  userId: string,
): Promise<UploadOutcome> {
  const { clientId } = body;
  const outcome: UploadOutcome = { applied: [], replayed: [], totals: noStats(), path: 'per-op' };
  const opIds = body.transactions.map((t) => String(t.op_id));
  const done =
    clientId === undefined ? new Set<string>() : await appliedBefore(client, userId, clientId, opIds);
  for (const [index, raw] of body.transactions.entries()) {
    if (done.has(String(raw.op_id))) {
      outcome.replayed.push(raw.op_id);
      continue;
    }
    try {
      const planned = planTransaction(tables, raw);
      const { outcome: result, stats } = await applyTransaction(
        client,
        planned,
        { userId, clientId },
        tables,
      );
      (result === 'applied' ? outcome.applied : outcome.replayed).push(raw.op_id);
      addStats(outcome.totals, stats);
    } catch (e) {
      throw withDetails(mapPgError(e), {
        transaction: raw.op_id,
        transactionIndex: index,
        applied: outcome.applied,
      });
    }
  }
  return outcome;
}

/** Adds `stats` to `totals`. */
export function addStats(totals: ApplyStats, stats: ApplyStats): void {
  for (const k of Object.keys(totals) as (keyof ApplyStats)[]) totals[k] += stats[k];
}
