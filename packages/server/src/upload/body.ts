import { SyncError } from '@syncline/errors';
import type { UploadOpId, UploadTransaction } from '@syncline/schema/upload';

/** A client transaction id: PowerSync's per-database `transactionId` (or any string id). */
export type OpId = UploadOpId;

/**
 * One client transaction as received: the envelope of `UploadTransaction` (`@syncline/schema/upload`, the
 * one wire definition) checked, its ops not yet (they are checked one transaction at a time).
 */
export interface RawTransaction extends Omit<UploadTransaction, 'ops'> {
  ops: unknown[];
}

/** The parsed `UploadRequestBody`: `{ client_id?, transactions: [{ op_id, ops: [{ op, table, id, data }] }] }`. */
export interface UploadBody {
  /** PowerSync client id (`db.getClientId()`), part of the idempotency key. Absent → no dedupe. */
  clientId: string | undefined;
  transactions: RawTransaction[];
  /** Total number of ops in the request. */
  opCount: number;
}

const MAX_ID_LENGTH = 200;

function invalid(message: string, path: string): SyncError {
  return new SyncError(
    'UPLOAD_INVALID_BODY',
    `${message} Expected { client_id, transactions: [{ op_id, ops: [...] }] }.`,
    {
      details: { path },
    },
  );
}

/**
 * Parses the upload body text: `UPLOAD_MALFORMED_JSON` when it is not JSON, `UPLOAD_INVALID_BODY` when
 * the envelope (client id, transactions, op ids, op arrays) has the wrong shape, `UPLOAD_TOO_MANY_OPS`
 * (413) over `maxOps`. The ops themselves are not checked here (see `planTransaction`), so that an
 * invalid op rejects only its transaction.
 *
 * @example
 * parseUploadBody('{"client_id":"c1","transactions":[{"op_id":1,"ops":[]}]}', { maxOps: 1000 });
 * // { clientId: 'c1', transactions: [{ op_id: 1, ops: [] }], opCount: 0 }
 */
export function parseUploadBody(text: string, limits: { maxOps: number }): UploadBody {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new SyncError(
      'UPLOAD_MALFORMED_JSON',
      `The request body is not valid JSON: ${(e as Error).message}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid('The body must be a JSON object.', '$');
  }
  const body = value as Record<string, unknown>;
  const clientId = body.client_id ?? undefined;
  if (
    clientId !== undefined &&
    (typeof clientId !== 'string' || clientId === '' || clientId.length > MAX_ID_LENGTH)
  ) {
    throw invalid(
      `"client_id" must be a non-empty string of at most ${MAX_ID_LENGTH} characters.`,
      'client_id',
    );
  }
  if (!Array.isArray(body.transactions)) throw invalid('"transactions" must be an array.', 'transactions');
  let opCount = 0;
  const transactions = body.transactions.map((tx: unknown, i): RawTransaction => {
    const path = `transactions[${i}]`;
    if (typeof tx !== 'object' || tx === null || Array.isArray(tx))
      throw invalid(`${path} must be an object.`, path);
    const { op_id, ops } = tx as Record<string, unknown>;
    if (!isOpId(op_id)) {
      throw invalid(
        `${path}.op_id must be a non-negative integer or a non-empty string (the client transaction id).`,
        `${path}.op_id`,
      );
    }
    if (!Array.isArray(ops)) throw invalid(`${path}.ops must be an array.`, `${path}.ops`);
    opCount += ops.length;
    return { op_id, ops };
  });
  if (opCount > limits.maxOps) {
    throw new SyncError(
      'UPLOAD_TOO_MANY_OPS',
      `The request carries ${opCount} operations; at most ${limits.maxOps} are accepted per request. Send fewer transactions per request.`,
      { details: { ops: opCount, maxOps: limits.maxOps } },
    );
  }
  return { clientId, transactions, opCount };
}

function isOpId(value: unknown): value is OpId {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0;
  return typeof value === 'string' && value !== '' && value.length <= MAX_ID_LENGTH;
}
