/**
 * Sharing and conflict policies of the upload endpoint, declared in the table definitions (`membership`,
 * `sharing.via`, `conflicts`, `serverOwned`). One hook into the apply path, per client transaction, inside its
 * Postgres transaction and before its ops: {@link enforcePolicies} reads what it needs (one query per table)
 * and returns the owner each op is applied as, or throws the first violation.
 */
import type pg from 'pg';
import type { PlannedTransaction, TableEntry } from '../upload/plan.js';
import { type Decision, decide } from './decide.js';
import { readFacts } from './fetch.js';

export { type Access, notOwner } from './access.js';
export { type Decision, decide } from './decide.js';
export type { Facts, RowFacts } from './fetch.js';
export { type TablePolicy, tablePolicy } from './plan.js';

/**
 * Checks a client transaction against the sharing and conflict policies and rewrites its server-owned values.
 * Returns, per op, the owner to apply it as (the row's owner when an editor writes a shared row; the caller
 * otherwise) and whether it was decided on a missing row (its write must not find one: {@link Decision}), or
 * undefined when no op touches a table with a policy (no query then). Runs inside the transaction; the rows it
 * checks stay locked until it ends.
 */
export async function enforcePolicies(
  client: pg.PoolClient,
  tx: PlannedTransaction,
  tables: ReadonlyMap<string, TableEntry>,
  userId: string,
  /** The transaction time (`now()`), if already read. */
  now?: Date,
): Promise<Decision | undefined> {
  if (!tx.ops.some((op) => op.table.policy)) return undefined;
  const facts = await readFacts(client, tx, tables, userId, now);
  return decide(tx, tables, facts, userId);
}
