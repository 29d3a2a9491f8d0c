/** Access levels and the errors that refuse a write for lack of them. */
import { SyncError } from '@syncline/errors';
import type { PlannedOp, TablePlan } from '../upload/plan.js';
import type { MemberRole } from './fetch.js';

/** Access to a row or resource: `owner`, a membership role, none (null) or `missing` (no such resource). */
export type Access = 'owner' | Exclude<MemberRole, null> | null;

export const canWrite = (a: Access | 'missing') => a === 'owner' || a === 'editor';

export function ownerOnly(
  table: TablePlan,
  op: PlannedOp,
  a: Access | 'missing',
  action: string,
  value?: string,
) {
  const r = table.policy!.resource!;
  const target = value ?? (table.policy!.part === 'resource' ? op.id : undefined);
  const subject = target ? `${r.table} row "${target}"` : `the ${r.table} row`;
  if (a === 'editor' || a === 'viewer') {
    return new SyncError(
      'UPLOAD_OWNER_ONLY',
      `Only the owner of ${subject} can ${action}; you are ${a === 'editor' ? 'an editor' : 'a viewer'}. This transaction was not applied.`,
    );
  }
  return new SyncError(
    'UPLOAD_NOT_OWNER',
    `${cap(subject)} belongs to another user; only its owner can ${action}. This transaction was not applied.`,
  );
}

/** Another user's row of a table that is not shared: the answer the upload path gives without policies. */
export function notOwner(op: PlannedOp): SyncError {
  return new SyncError(
    'UPLOAD_NOT_OWNER',
    `Row "${op.id}" of table "${op.table.name}" belongs to another user; this transaction was not applied. Use a new id for new rows.`,
  );
}

export const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
