/**
 * The upload wire format of `PUT /api/powersync/upload`, types only (this module has no run-time code).
 * `@syncline/client` writes {@link UploadRequestBody}; `@syncline/server` checks it at run time
 * (`parseUploadBody`, then each op against the schema) and answers {@link UploadResponseBody}, or an error
 * envelope whose `details.transaction` names the rejected transaction.
 *
 * @example
 * import type { UploadRequestBody } from '@syncline/schema/upload';
 * const body: UploadRequestBody = { client_id: 'c1', transactions: [{ op_id: 1, ops: [] }] };
 */

/** A client transaction id: PowerSync's per-database `transactionId` (or a string id when it has none). */
export type UploadOpId = number | string;

/** One op, as PowerSync's CRUD entry describes it (`PUT`, `PATCH` or `DELETE`). */
export interface UploadOp {
  op: string;
  table: string;
  id: string;
  /** Column values (`PUT`: the row; `PATCH`: the changed columns; absent for `DELETE`). */
  data?: Record<string, unknown>;
}

/** One client transaction: applied all-or-nothing, deduplicated by (user, `client_id`, `op_id`). */
export interface UploadTransaction {
  op_id: UploadOpId;
  ops: UploadOp[];
}

/** The request body. */
export interface UploadRequestBody {
  /** PowerSync client id (`db.getClientId()`), part of the idempotency key. Absent → no dedupe. */
  client_id?: string;
  transactions: UploadTransaction[];
}

/** The 200 body: op ids of the transactions applied now and of those applied before (replays). */
export interface UploadResponseBody {
  applied: UploadOpId[];
  replayed: UploadOpId[];
}
