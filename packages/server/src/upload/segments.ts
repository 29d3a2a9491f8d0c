import type { PlannedOp, TablePlan } from './plan.js';

/** Consecutive ops one statement applies: same table, same op type, same columns, distinct ids. */
export interface Segment {
  type: PlannedOp['type'];
  table: TablePlan;
  /** Column names the ops set (PUT, PATCH), in the first op's order; empty for DELETE. */
  columns: string[];
  ops: PlannedOp[];
  /** The user the ops are applied as (an editor writes a shared row as its owner); undefined: the caller. */
  owner?: string | undefined;
  /** Ids of ops decided on a missing row (`Decision.absent`): the statement must not change a row with one. */
  absent?: string[];
}

/** Parameters per statement stay well below Postgres' limit of 65,535. */
const MAX_PARAMS = 30_000;

/**
 * Cuts a sequence of ops into segments, keeping their order: a new segment starts whenever the table,
 * the op type or the set of columns changes (compared without sorting), when an id repeats (a row changed twice must see its first
 * change, and `ON CONFLICT DO UPDATE` cannot touch a row twice), or when the statement would get too many
 * parameters. Applying the segments one after another, each as one statement, changes the same rows in the
 * same way as applying the ops one by one. PATCHes without values change nothing and are left out, as the
 * per-op path skips them. With `owners` (one per op), a segment also starts when the owner an op is applied as
 * changes; with `absent` (one per op), each segment lists the ids of its ops decided on a missing row.
 *
 * @example
 * segmentsOf([putA, putB, patchA]); // [{ type: 'PUT', ops: [putA, putB] }, { type: 'PATCH', ops: [patchA] }]
 */
export function segmentsOf(
  ops: readonly PlannedOp[],
  owners?: readonly string[],
  absent?: readonly boolean[],
): Segment[] {
  const segments: Segment[] = [];
  let current: Segment | undefined;
  let columnSet: Set<string> | undefined; // current's columns, built when an op lists them in another order
  let ids = new Set<string>();
  for (const [index, op] of ops.entries()) {
    const columns = op.type === 'DELETE' ? [] : Object.keys(op.values);
    if (op.type === 'PATCH' && columns.length === 0) continue;
    const owner = owners?.[index];
    const full = current !== undefined && (current.ops.length + 1) * (columns.length + 1) > MAX_PARAMS;
    const same =
      current !== undefined &&
      current.owner === owner &&
      current.table === op.table &&
      current.type === op.type &&
      sameColumns(current.columns, columns, () => (columnSet ??= new Set(current!.columns)));
    if (!same || ids.has(op.id) || full) {
      current = { type: op.type, table: op.table, columns, ops: [], owner };
      segments.push(current);
      columnSet = undefined;
      ids = new Set();
    }
    current!.ops.push(op);
    ids.add(op.id);
    if (absent?.[index]) {
      current!.absent ??= [];
      current!.absent.push(op.id);
    }
  }
  return segments;
}

/** Whether two lists of distinct column names hold the same names (in the same order: no set needed). */
function sameColumns(a: readonly string[], b: readonly string[], setOfA: () => Set<string>): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  if (i === a.length) return true;
  const set = setOfA();
  for (; i < b.length; i++) if (!set.has(b[i]!)) return false;
  return true;
}
