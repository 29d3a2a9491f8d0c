/** Pure parts of the upload: the wire format, batch limits, and what a response means. */
import { SyncError } from '@syncline/errors';
import type { UploadOp, UploadResponseBody, UploadTransaction } from '@syncline/schema/upload';

/** One op as the upload endpoint takes it (`@syncline/schema/upload`, the one wire definition). */
export type WireOp = UploadOp;

/** One client transaction as the upload endpoint takes it. */
export type WireTransaction = UploadTransaction;

/** What {@link toWire} needs of a PowerSync `CrudTransaction`. */
export interface CrudLike {
  transactionId?: number;
  crud: readonly {
    clientId: number;
    op: string;
    table: string;
    id: string;
    opData?: Record<string, unknown>;
  }[];
}

/** Limits of one upload request. */
export interface BatchLimits {
  /** Ops per request (the API refuses more than 1000 by default). */
  maxOps: number;
  /** Body bytes per request (the API refuses more than 1 MiB by default). */
  maxBytes: number;
  /** Transactions per request. */
  maxTransactions: number;
}

/**
 * The wire form of a client transaction. `op_id` is the transaction id, the API's idempotency key
 * together with the user and the PowerSync client id.
 *
 * @example
 * toWire(tx); // { op_id: 17, ops: [{ op: 'PUT', table: 'documents', id: '…', data: { … } }] }
 */
export function toWire(tx: CrudLike): WireTransaction {
  const first = tx.crud[0];
  const opId = tx.transactionId ?? `c${first?.clientId ?? 0}`;
  return {
    op_id: opId,
    ops: tx.crud.map((e) => {
      const op: WireOp = { op: e.op, table: e.table, id: e.id };
      if (e.opData !== undefined) op.data = e.opData;
      return op;
    }),
  };
}

/** UTF-8 size of a value's JSON. */
export function jsonBytes(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).length;
}

/**
 * Whether one more transaction fits a request already holding `count` transactions, `ops` ops and
 * `bytes` bytes. The first transaction always fits (a transaction is never split; one too large on
 * its own is sent alone and the API's 413 rejects it).
 *
 * @example
 * fits({ count: 1, ops: 999, bytes: 10 }, { ops: 2, bytes: 10 }, limits); // false with maxOps 1000
 */
export function fits(
  current: { count: number; ops: number; bytes: number },
  next: { ops: number; bytes: number },
  limits: BatchLimits,
): boolean {
  if (current.count === 0) return true;
  return (
    current.count + 1 <= limits.maxTransactions &&
    current.ops + next.ops <= limits.maxOps &&
    current.bytes + next.bytes <= limits.maxBytes
  );
}

/** What to do after an upload response. */
export type UploadOutcome =
  /** 2xx: every sent transaction was applied now or before — complete them all. */
  | { kind: 'applied' }
  /** A permanent rejection of transaction `index`: complete `0..index`, record `index` as rejected. */
  | { kind: 'rejected'; index: number; error: SyncError }
  /** A 4xx about the whole request with several transactions: resend fewer per request. */
  | { kind: 'split'; error: SyncError }
  /** 401: refresh the credentials and try again. */
  | { kind: 'unauthorized'; error: SyncError }
  /** Transient (network, 5xx, 408/425/429, a body we do not understand): throw, the SDK retries later. */
  | { kind: 'retry'; error: SyncError };

const TRANSIENT_4XX = new Set([408, 425, 429]);

/**
 * Decides what an upload response means, following the API's error contract. A 4xx only counts as a
 * permanent rejection when its body is the API's error envelope: a 404 from a proxy or a captive portal
 * is retried, never allowed to drop writes. A 2xx counts only when it lists every sent `op_id`.
 *
 * @example
 * classifyUpload({ status: 200, json: { applied: [1, 2], replayed: [] } }, [1, 2]); // { kind: 'applied' }
 */
export function classifyUpload(
  res: { status: number; json: unknown },
  sentOpIds: readonly (number | string)[],
  failure?: { error: SyncError; envelope: boolean },
): UploadOutcome {
  if (res.status >= 200 && res.status < 300) {
    // Read defensively: a proxy or an older API may answer 2xx with another shape.
    const body = res.json as Partial<Record<keyof UploadResponseBody, unknown>> | undefined;
    const acked = new Set<string>();
    for (const list of [body?.applied, body?.replayed]) {
      if (Array.isArray(list)) for (const id of list) acked.add(String(id));
    }
    if (sentOpIds.every((id) => acked.has(String(id)))) return { kind: 'applied' };
    return {
      kind: 'retry',
      error: new SyncError(
        'CLIENT_INVALID_RESPONSE',
        `The upload endpoint answered ${res.status} without acknowledging every transaction; will retry.`,
        { status: res.status, details: { sent: sentOpIds.map(String), acknowledged: [...acked] } },
      ),
    };
  }
  const error =
    failure?.error ??
    new SyncError(
      res.status >= 500 ? 'CLIENT_SERVER_ERROR' : 'CLIENT_INVALID_RESPONSE',
      `HTTP ${res.status}`,
      {
        status: res.status,
      },
    );
  if (res.status === 401) return { kind: 'unauthorized', error };
  if (res.status >= 500 || TRANSIENT_4XX.has(res.status) || res.status < 400) return { kind: 'retry', error };
  if (!failure?.envelope) {
    return {
      kind: 'retry',
      error: new SyncError(
        'CLIENT_INVALID_RESPONSE',
        `The upload endpoint answered ${res.status} without an error body; is apiUrl right? Will retry.`,
        { status: res.status, cause: error },
      ),
    };
  }
  const details = error.details ?? {};
  if (details.transaction === undefined) {
    if (sentOpIds.length > 1) return { kind: 'split', error };
    return { kind: 'rejected', index: 0, error };
  }
  const at = details.transactionIndex;
  let index =
    typeof at === 'number' && Number.isInteger(at) && String(sentOpIds[at]) === String(details.transaction)
      ? at
      : sentOpIds.findIndex((id) => String(id) === String(details.transaction));
  if (index < 0) {
    return {
      kind: 'retry',
      error: new SyncError(
        'CLIENT_INVALID_RESPONSE',
        `The upload endpoint rejected transaction ${String(details.transaction)}, which was not sent; will retry.`,
        { status: res.status, cause: error },
      ),
    };
  }
  index = Math.min(index, sentOpIds.length - 1);
  return { kind: 'rejected', index, error };
}

/**
 * Extra wait before sending again after `failures` consecutive transient failures: none after the first
 * (the SDK already waits `retryDelayMs`), then `base × 2^(failures−1)`, capped at `max`.
 *
 * @example
 * [1, 2, 3, 4].map((n) => backoffMs(n, 1000, 60_000)); // [0, 2000, 4000, 8000]
 */
export function backoffMs(failures: number, base: number, max: number): number {
  if (failures <= 1) return 0;
  return Math.min(max, base * 2 ** (failures - 1));
}
