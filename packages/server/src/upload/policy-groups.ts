import type { PlannedTransaction } from './plan.js';

/**
 * The client transactions of a request, grouped so that checking a group's ops against the sharing and
 * conflict policies at once (one facts query per table, one `decide` over the ops in order) decides what
 * checking them one transaction at a time would. `decide` carries what earlier ops did to the rows they
 * write (created, changed, soft- or hard-deleted) and the resources they create; what it reads but does not
 * carry forward is a shared row removed by an earlier op (a link or reference to it must then see it missing).
 * So a transaction hard-deleting a row of a shared table (a resource, or a table shared via one) ends its group.
 *
 * @example
 * policyGroups([tx1, tx2, tx3]); // [[tx1], [tx2, tx3]] when tx1 deletes a shared row for good (no soft delete)
 */
export function policyGroups(transactions: readonly PlannedTransaction[]): PlannedTransaction[][] {
  const groups: PlannedTransaction[][] = [];
  let current: PlannedTransaction[] = [];
  for (const tx of transactions) {
    current.push(tx);
    const removesShared = tx.ops.some((op) => {
      const part = op.table.policy?.part;
      return op.type === 'DELETE' && !op.table.softDelete && (part === 'resource' || part === 'child');
    });
    if (removesShared) {
      groups.push(current);
      current = [];
    }
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
