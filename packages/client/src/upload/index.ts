/**
 * `uploadData`: sends the upload queue to `PUT /api/powersync/upload` in bounded batches and follows the
 * API's error contract (see the package README, "Connector semantics").
 */
import type { CommonPowerSyncDatabase, CrudTransaction } from '@powersync/common';
import { type ErrorCode, isErrorCode, type Logger, SyncError } from '@syncline/errors';
import type { UploadRequestBody } from '@syncline/schema/upload';
import type { Account } from '../account/index.js';
import type { Credentials } from '../credentials/index.js';
import { type FetchLike, responseError, send } from '../http/index.js';
import type { Rejections } from '../rejections/index.js';
import {
  type BatchLimits,
  backoffMs,
  classifyUpload,
  fits,
  jsonBytes,
  toWire,
  type WireTransaction,
} from './batch.js';
import { isServerFault, StuckTracker, type StuckUpload } from './stuck.js';

export {
  type BatchLimits,
  backoffMs,
  classifyUpload,
  type UploadOutcome,
  type WireTransaction,
} from './batch.js';
export { isServerFault, type StuckUpload } from './stuck.js';

/** Options for {@link createUploader}. */
export interface UploaderOptions {
  apiUrl: string;
  fetch: FetchLike;
  credentials: Credentials;
  account: Account;
  rejections: Rejections;
  /** Per-request limits. */
  limits: BatchLimits;
  /** Base of the extra backoff after repeated transient failures (the SDK's `retryDelayMs`). */
  backoffBaseMs: number;
  /** Cap of that backoff. */
  backoffMaxMs: number;
  logger: Logger;
  /** Called when the signed-in user is not the owner of the queued writes (the client switches). */
  onAccountMismatch?: (userId: string) => void;
  /** Consecutive server faults (5xx but 502/503/504) of one transaction before it counts as stuck. */
  stuckAfter?: number;
  /** Called when a transaction becomes stuck (and with null when it is no longer). */
  onStuck?: (stuck: StuckUpload | null) => void;
  now?: () => number;
}

/** The upload side of the connector. */
export interface Uploader {
  uploadData(db: CommonPowerSyncDatabase): Promise<void>;
  /** Forgets the failure streak (after a reconnect: try again right away). */
  resetBackoff(): void;
  /** The transaction the server keeps failing, if any. */
  readonly stuck: StuckUpload | null;
  /**
   * Moves the stuck transaction into `sync_rejections` (with its error, `details.stuck: true`) and removes
   * it from the upload queue, so the writes behind it can go. Only on explicit user action: the write is
   * then no longer sent (it can be retried or discarded from `sync_rejections`). Returns false when no
   * transaction is stuck any more.
   */
  moveStuckAside(db: CommonPowerSyncDatabase): Promise<boolean>;
}

/**
 * Creates the connector's `uploadData`. Each round takes whole client transactions from the queue (up
 * to the limits), checks that the credentials are the queue owner's, sends them with `client_id` = the
 * PowerSync client id and `op_id` = the transaction id, and then: 2xx → completes them; a rejection of
 * transaction i → records it in `sync_rejections` and completes 0..i (the rest goes in the next round);
 * 401 → refreshes credentials and retries once; network error / 5xx / unknown body → throws (the SDK
 * retries after `retryDelayMs`, and this uploader adds an exponential pause on repeated failures).
 *
 * @example
 * const uploader = createUploader({ apiUrl, fetch, credentials, account, rejections, limits, … });
 * const connector = { fetchCredentials, uploadData: uploader.uploadData };
 */
export function createUploader(options: UploaderOptions): Uploader {
  const { credentials, account, rejections, logger: log } = options;
  const url = `${options.apiUrl.replace(/\/+$/, '')}/api/powersync/upload`;
  const now = options.now ?? Date.now;
  let failures = 0;
  let lastFailureAt = 0;
  let lastError: SyncError | null = null;
  const tracker = new StuckTracker(options.stuckAfter ?? 5, (s) => options.onStuck?.(s), now);
  // After a server fault on several transactions, send the head alone until it goes through, so a
  // transaction that keeps failing is identified (and the ones behind it are not blamed).
  let isolateHead = false;
  // uploadData and moveStuckAside never run at the same time.
  let chain: Promise<unknown> = Promise.resolve();
  const locked = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = chain.then(fn, fn);
    chain = run.catch(() => undefined);
    return run;
  };

  const fail = (error: SyncError): SyncError => {
    failures++;
    lastFailureAt = now();
    lastError = error;
    log.warn('upload failed; will retry', { code: error.code, status: error.status, failures });
    return error;
  };

  const uploadData = (db: CommonPowerSyncDatabase): Promise<void> => locked(() => uploadRound(db));

  const uploadRound = async (db: CommonPowerSyncDatabase): Promise<void> => {
    if (account.owner === null && !account.switching) {
      // First sign-in on this device: the queue (written before any sign-in) becomes this user's.
      const first = await credentials.get();
      if (first) await account.claim(first.userId);
    }
    const owner = account.owner;
    const generation = account.generation;
    const pause = backoffMs(failures, options.backoffBaseMs, options.backoffMaxMs);
    if (lastError && now() < lastFailureAt + pause) throw lastError; // backing off: no request
    let isolated = isolateHead;
    let maxTransactions = isolated ? 1 : options.limits.maxTransactions;
    let refreshedAfter401 = false;
    const clientId = await db.getClientId();
    for (;;) {
      const batch = await collect(db, { ...options.limits, maxTransactions });
      if (batch.transactions.length === 0) return;
      const creds = await credentials.get();
      // Guards, with no await between them and the request: the queue belongs to `owner`, and nothing
      // about the account changed since this upload began.
      if (!creds)
        throw new SyncError('CLIENT_NOT_SIGNED_IN', 'Not signed in: pending writes wait for a session.');
      if (account.switching || account.generation !== generation || account.owner !== owner) {
        throw new SyncError('CLIENT_ACCOUNT_MISMATCH', 'The account changed during the upload; stopped.');
      }
      if (owner === null || creds.userId !== owner) {
        options.onAccountMismatch?.(creds.userId);
        throw new SyncError(
          'CLIENT_ACCOUNT_MISMATCH',
          'The pending writes belong to another user than the signed-in one; they were not sent.',
          { details: { owner, signedIn: creds.userId } },
        );
      }
      const opIds = batch.wire.map((t) => t.op_id);
      let res: Awaited<ReturnType<typeof send>>;
      try {
        res = await send(options.fetch, url, {
          method: 'PUT',
          headers: { authorization: `Bearer ${creds.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ client_id: clientId, transactions: batch.wire } satisfies UploadRequestBody),
        });
      } catch (e) {
        throw fail(SyncError.from(e, 'CLIENT_NETWORK'));
      }
      const failure = res.status >= 200 && res.status < 300 ? undefined : await responseError(res);
      const outcome = classifyUpload(res, opIds, failure);
      switch (outcome.kind) {
        case 'applied':
          await batch.transactions.at(-1)!.complete();
          tracker.clear();
          isolateHead = false;
          if (isolated) maxTransactions = options.limits.maxTransactions;
          isolated = false;
          failures = 0;
          lastError = null;
          refreshedAfter401 = false;
          log.debug('uploaded', { transactions: opIds.length, ops: batch.ops });
          break;
        case 'rejected': {
          const rejected = batch.transactions[outcome.index]!;
          log.warn('write rejected by the API', {
            code: outcome.error.code,
            transaction: rejected.transactionId,
            applied: outcome.index,
          });
          await rejections.record(rejected, outcome.error, owner);
          await rejected.complete(); // completes the applied prefix and the rejected transaction
          tracker.clear();
          isolateHead = false;
          failures = 0;
          lastError = null;
          break;
        }
        case 'split':
          maxTransactions = Math.max(1, Math.floor(batch.transactions.length / 2));
          log.info('request refused as a whole; sending fewer transactions', {
            code: outcome.error.code,
            maxTransactions,
          });
          break;
        case 'unauthorized':
          credentials.invalidate();
          if (refreshedAfter401) throw fail(outcome.error);
          refreshedAfter401 = true;
          log.info('upload got 401; refreshing credentials', { code: outcome.error.code });
          break;
        case 'retry':
          if (isServerFault(res.status)) {
            if (batch.transactions.length > 1) isolateHead = true;
            else tracker.fault(opIds[0]!, outcome.error);
          }
          throw fail(outcome.error);
      }
    }
  };

  const moveStuckAside = (db: CommonPowerSyncDatabase): Promise<boolean> =>
    locked(async () => {
      const stuck = tracker.stuck;
      if (!stuck) return false;
      const head = await db.getNextCrudTransaction();
      if (!head || String(toWire(head).op_id) !== String(stuck.transactionId)) {
        tracker.clear(); // it went through (or was removed) meanwhile
        return false;
      }
      const error = new SyncError(
        (isErrorCode(stuck.code) ? stuck.code : 'CLIENT_SERVER_ERROR') as ErrorCode,
        `Moved aside after ${stuck.attempts} server errors since ${stuck.since.toISOString()}: ${stuck.message}`,
        { details: { stuck: true, attempts: stuck.attempts, since: stuck.since.toISOString() } },
      );
      await rejections.record(head, error, account.owner);
      await head.complete();
      log.warn('stuck upload moved aside to sync_rejections', {
        transaction: stuck.transactionId,
        code: stuck.code,
        attempts: stuck.attempts,
      });
      tracker.clear();
      isolateHead = false;
      failures = 0;
      lastError = null;
      return true;
    });

  return {
    uploadData,
    moveStuckAside,
    get stuck() {
      return tracker.stuck;
    },
    resetBackoff() {
      failures = 0;
      lastError = null;
    },
  };
}

interface Batch {
  transactions: CrudTransaction[];
  wire: WireTransaction[];
  ops: number;
}

/** Whole client transactions from the head of the queue, within the limits (at least one). */
async function collect(db: CommonPowerSyncDatabase, limits: BatchLimits): Promise<Batch> {
  const batch: Batch = { transactions: [], wire: [], ops: 0 };
  let bytes = 64; // envelope: client_id and brackets
  for await (const tx of db.getCrudTransactions()) {
    const wire = toWire(tx);
    const size = jsonBytes(wire) + 1;
    if (
      !fits(
        { count: batch.transactions.length, ops: batch.ops, bytes },
        { ops: wire.ops.length, bytes: size },
        limits,
      )
    ) {
      break;
    }
    batch.transactions.push(tx);
    batch.wire.push(wire);
    batch.ops += wire.ops.length;
    bytes += size;
  }
  return batch;
}
