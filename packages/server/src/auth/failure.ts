import { SyncError } from '@syncline/errors';
import { isTransientDbError, RETRY_AFTER_SECONDS } from '../upload/pg-errors.js';

/**
 * What an error thrown by BetterAuth (not an `APIError`, which BetterAuth answers itself) becomes: a
 * database that cannot be reached is a 503 with `Retry-After` (clients retry), anything else a 500 that
 * reveals nothing (the cause goes to the log).
 */
export function authFailure(e: unknown): SyncError {
  if (SyncError.is(e)) return e;
  if (isTransientDbError(e) || isTransientDbError((e as { cause?: unknown })?.cause)) {
    return new SyncError('INTERNAL', 'Authentication is temporarily unavailable. Retry later.', {
      status: 503,
      details: { retryAfterSeconds: RETRY_AFTER_SECONDS },
      cause: e,
    });
  }
  return new SyncError('INTERNAL', 'Authentication failed on the server. Retry later.', { cause: e });
}
