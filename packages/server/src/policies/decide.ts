/**
 * The sharing and conflict rules, as a pure function of a client transaction and the facts read for it. Ops are
 * simulated in order (a project created earlier in the transaction is the caller's; a version bumped by an
 * earlier op is the base of the next), and the first violation is thrown. What it returns: the owner each op
 * is applied as (the row's owner when an editor writes someone else's shared row), after rewriting the ops'
 * values for server-owned columns.
 *
 * Access: the owner of a resource row (a project) may do anything with it; a member reads it and what is shared
 * via it; an `editor` member also writes those (but only the owner deletes the resource or manages its members).
 * A row shared via a resource is written under the resource's access; one whose link is empty or points at no
 * row, under its own owner's. Changing a row's link (moving a document) needs write access to the new resource.
 */
import { SyncError } from '@syncline/errors';
import { decodeRow, SHARE_ROLES } from '@syncline/schema';
import type { PlannedOp, PlannedTransaction, TableEntry, TablePlan } from '../upload/plan.js';
import { type Access, canWrite, cap, notOwner, ownerOnly } from './access.js';
import type { Facts, RowFacts } from './fetch.js';

interface RowState {
  exists: boolean;
  owner: string;
  values: Record<string, unknown>;
  /** As read (for `details.serverRow`); undefined for rows created by this transaction. */
  original: RowFacts | undefined;
}

/** A PUT or PATCH (ops that carry values). */
type WriteOp = Extract<PlannedOp, { type: 'PUT' | 'PATCH' }>;

/** What {@link decide} answers, one entry per op of the transaction. */
export interface Decision {
  /** The owner each op is applied as (the row's owner when an editor writes someone else's shared row). */
  owners: string[];
  /**
   * The ops decided on facts that their row does not exist (read and not there, not created by an earlier op):
   * the write must not find one — a PUT only inserts, a PATCH or DELETE changes nothing. A row found there
   * appeared after the facts were read (a concurrent create, which no lock could stop), so the decision is
   * void and must be made again on the new facts (SPEC.md U1).
   */
  absent: boolean[];
}

/**
 * Checks a transaction against the sharing and conflict policies; returns the owner to apply each op as and
 * which ops were decided on a missing row. Throws the first violation as a SyncError whose details name the op.
 */
export function decide(
  tx: PlannedTransaction,
  tables: ReadonlyMap<string, TableEntry>,
  facts: Facts,
  userId: string,
): Decision {
  const created = new Map<string, Set<string>>(); // table → ids created by this transaction
  const states = new Map<string, Map<string, RowState>>();

  const stateOf = (table: TablePlan, id: string): RowState | undefined => {
    if (!table.policy?.fetch) return undefined;
    let byId = states.get(table.name);
    if (!byId) {
      byId = new Map();
      states.set(table.name, byId);
    }
    let s = byId.get(id);
    if (!s) {
      const f = facts.rows.get(table.name)?.get(id);
      s = f
        ? { exists: true, owner: f.owner, values: { ...f.row }, original: f }
        : { exists: false, owner: userId, values: {}, original: undefined };
      byId.set(id, s);
    }
    return s;
  };

  /** The caller's access to a resource row by id. */
  const resourceAccess = (resourceTable: string, id: string, hint?: RowFacts): Access | 'missing' => {
    if (created.get(resourceTable)?.has(id)) return 'owner';
    const f = facts.rows.get(resourceTable)?.get(id);
    if (f) return f.owner === userId ? 'owner' : f.role;
    if (hint)
      return hint.parentOwner === null ? 'missing' : hint.parentOwner === userId ? 'owner' : hint.role;
    return 'missing';
  };

  /** The caller's access to an existing row of a table with a sharing part. */
  const rowAccess = (table: TablePlan, s: RowState): Access | 'missing' => {
    const p = table.policy!;
    const own: Access = s.owner === userId ? 'owner' : null;
    if (p.part === 'resource')
      return own ?? resourceAccess(table.name, String(s.values[table.id.name]), s.original);
    const link = s.values[p.link!.name];
    if (typeof link !== 'string') return own;
    const hint = s.original && s.original.row[p.link!.name] === link ? s.original : undefined;
    const a = resourceAccess(p.resource!.table, link, hint);
    return a === 'missing' ? own : a;
  };

  const owners: string[] = [];
  const absent: boolean[] = [];
  for (const [index, op] of tx.ops.entries()) {
    const where = { op: index, opType: op.type, table: op.table.name, id: op.id };
    const policy = op.table.policy;
    if (!policy) {
      owners.push(userId);
      absent.push(false);
      continue;
    }
    try {
      if (op.type !== 'DELETE') dropServerOwned(op);
      const s = stateOf(op.table, op.id);
      const exists = s?.exists === true;
      if (policy.part) checkSharing(op, s, exists);
      else if (exists && s!.owner !== userId) throw notOwner(op); // not shared: the owner's alone
      if (op.type !== 'DELETE') checkSharedRefs(op);
      if (policy.version && exists && op.type !== 'DELETE') checkVersion(op, s!);
      if (op.type !== 'DELETE') stampServerOwned(op, s, exists);
      owners.push(exists ? s!.owner : userId);
      // Only rows read for the decision (s): elsewhere nothing depends on whether the row exists.
      absent.push(s !== undefined && !exists);
      apply(op, s, exists);
    } catch (e) {
      if (!SyncError.is(e)) throw e;
      throw new SyncError(e.code, e.message, { status: e.status, details: { ...e.details, ...where } });
    }
  }
  return { owners, absent };

  function checkSharing(op: PlannedOp, s: RowState | undefined, exists: boolean): void {
    const table = op.table;
    const p = table.policy!;
    const what = `row "${op.id}" of "${table.name}"`;
    if (exists) {
      const a = rowAccess(table, s!);
      if (p.part === 'membership' || (p.part === 'resource' && op.type === 'DELETE')) {
        if (a !== 'owner')
          throw ownerOnly(table, op, a, p.part === 'membership' ? 'manage its members' : 'delete it');
      } else if (!canWrite(a)) {
        throw a === 'viewer'
          ? new SyncError(
              'UPLOAD_READ_ONLY_SHARE',
              `${cap(what)} is shared with you as a viewer: you can read it but not change it; this transaction was not applied.`,
            )
          : new SyncError(
              'UPLOAD_NOT_OWNER',
              `${cap(what)} belongs to another user and is not shared with you for editing; this transaction was not applied.`,
            );
      }
    }
    if (op.type === 'DELETE' || (op.type === 'PATCH' && !exists)) return;
    const link = p.link;
    if (link && Object.hasOwn(op.values, link.name)) {
      const value = op.values[link.name];
      const changed = !exists || s!.values[link.name] !== value;
      if (typeof value === 'string' && changed) checkLinkTarget(op, value);
    }
    if (p.role && Object.hasOwn(op.values, p.role.name)) {
      const role = op.values[p.role.name];
      if (!SHARE_ROLES.includes(role as never)) {
        throw new SyncError(
          'UPLOAD_INVALID_VALUE',
          `${table.name}.${p.role.name} must be one of ${SHARE_ROLES.join(', ')}, got ${JSON.stringify(role)}.`,
          { details: { column: p.role.name } },
        );
      }
    }
  }

  /** The resource a child or membership row is being linked to must be writable (child) / owned (membership). */
  function checkLinkTarget(op: PlannedOp, value: string): void {
    const p = op.table.policy!;
    const r = p.resource!;
    const a = resourceAccess(r.table, value);
    const column = p.link!.name;
    const details = { column, references: r.table };
    if (p.part === 'membership') {
      if (a === 'owner') return;
      if (a === 'missing') {
        throw new SyncError(
          'UPLOAD_MISSING_REFERENCE',
          `${op.table.name}.${column} points at "${value}", which is not a row of "${r.table}"; upload the ${r.table} row first.`,
          { details },
        );
      }
      throw ownerOnly(op.table, op, a, 'manage its members', value);
    }
    if (a === 'missing') {
      const strict = op.table.references.find((x) => x.column.name === column)?.strict;
      if (!strict) return;
      throw new SyncError(
        'UPLOAD_MISSING_REFERENCE',
        `${op.table.name}.${column} points at row "${value}" of "${r.table}", which does not exist (the column is strict); this transaction was not applied.`,
        { details },
      );
    }
    if (canWrite(a)) return;
    throw a === 'viewer'
      ? new SyncError(
          'UPLOAD_READ_ONLY_SHARE',
          `${op.table.name}.${column} points at "${value}" of "${r.table}", which is shared with you as a viewer: you cannot add to it or move rows into it.`,
          { details },
        )
      : new SyncError(
          'UPLOAD_FOREIGN_REFERENCE',
          `${op.table.name}.${column} points at row "${value}" of "${r.table}", which belongs to another user and is not shared with you; this transaction was not applied.`,
          { details },
        );
  }

  /** Other references to shared rows: the caller must be able to see the row pointed at. */
  function checkSharedRefs(op: WriteOp): void {
    for (const ref of op.table.policy!.sharedRefs) {
      const value = op.values[ref.column.name];
      if (typeof value !== 'string' || created.get(ref.target)?.has(value)) continue;
      const target = tables.get(ref.target) as TablePlan;
      const f = facts.rows.get(ref.target)?.get(value);
      const details = { column: ref.column.name, references: ref.target };
      if (!f) {
        if (!ref.strict) continue;
        throw new SyncError(
          'UPLOAD_MISSING_REFERENCE',
          `${op.table.name}.${ref.column.name} points at row "${value}" of "${ref.target}", which does not exist (the column is strict); this transaction was not applied. Upload the ${ref.target} row first.`,
          { details },
        );
      }
      const a = rowAccess(target, { exists: true, owner: f.owner, values: f.row, original: f });
      if (a !== null && a !== 'missing') continue;
      throw new SyncError(
        'UPLOAD_FOREIGN_REFERENCE',
        `${op.table.name}.${ref.column.name} points at row "${value}" of "${ref.target}", which belongs to another user and is not shared with you; this transaction was not applied.`,
        { details },
      );
    }
  }

  function checkVersion(op: WriteOp, s: RowState): void {
    const { column, lww } = op.table.policy!.version!;
    const current = Number(s.values[column.name]);
    if (Object.hasOwn(op.values, column.name)) {
      const sent = op.values[column.name];
      if (sent === current + 1) return;
      const stored = s.original?.row ?? s.values;
      const serverRow = decodeRow(
        op.table.table,
        Object.fromEntries(op.table.table.columns.map((c) => [c.name, stored[c.name] ?? null])),
      );
      throw new SyncError(
        'UPLOAD_VERSION_CONFLICT',
        `Row "${op.id}" of "${op.table.name}" changed on the server (version ${current}) since this edit was made (it expected version ${Number(sent) - 1}); this transaction was not applied. details.serverRow has the server's row: retry on top of it or discard this edit.`,
        { details: { column: column.name, serverVersion: current, sentVersion: sent as number, serverRow } },
      );
    }
    const checked = Object.keys(op.values).filter((c) => !lww.has(c));
    if (checked.length === 0) return;
    throw new SyncError(
      'UPLOAD_VERSION_MISSING',
      `${op.type} of "${op.table.name}" changes ${checked.join(', ')} without setting ${column.name} to the next version (${current + 1}); increment ${column.name} with every edit.`,
      { details: { column: column.name, serverVersion: current, columns: checked } },
    );
  }

  function stampServerOwned(op: WriteOp, s: RowState | undefined, exists: boolean): void {
    if (op.type === 'PATCH' && Object.keys(op.values).length === 0) return; // nothing changes: nothing to stamp
    for (const c of op.table.policy!.serverOwned) {
      if (c.serverOwned === 'now') op.values[c.name] = facts.now ?? new Date();
      else if (c.serverOwned === 'increment' && exists)
        op.values[c.name] = Number(s!.values[c.name] ?? 0) + 1;
      else if (c.serverOwned === 'increment' && op.type === 'PUT')
        op.values[c.name] = initialValue(c.default);
    }
  }

  function apply(op: PlannedOp, s: RowState | undefined, exists: boolean): void {
    if (op.type === 'PUT') {
      if (!exists) {
        let ids = created.get(op.table.name);
        if (!ids) {
          ids = new Set();
          created.set(op.table.name, ids);
        }
        ids.add(op.id);
      }
      if (s) {
        s.exists = true;
        Object.assign(s.values, op.values); // s.values is this state's own copy: no new object per op
      }
    } else if (op.type === 'PATCH' && s && exists) Object.assign(s.values, op.values);
    else if (op.type === 'DELETE' && s && exists) {
      const soft = op.table.softDelete;
      if (soft) s.values[soft.name] ??= facts.now ?? new Date();
      else s.exists = false;
    }
  }
}

/** Drops what a client sent for server-owned columns (as for the owner column). */
function dropServerOwned(op: WriteOp): void {
  for (const c of op.table.policy!.serverOwned) delete op.values[c.name];
}

function initialValue(d: TablePlan['id']['default']): number {
  if (d?.kind === 'value') return Number(d.value);
  if (d?.kind === 'fn') return Number(d.fn());
  return 0;
}
