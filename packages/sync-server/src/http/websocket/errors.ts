import { type ErrorCode, SyncError } from '@syncline/errors';

/**
 * PowerSync error codes for RSocket ERROR frames. The official client only reads the message: one containing
 * `PSYNC_S21` (authorization) makes it drop its credentials and fetch new ones; another `PSYNC_` code keeps
 * them; a message without `PSYNC_` also drops them (an older service). So every error names a code.
 */
const PSYNC: Partial<Record<ErrorCode, string>> = {
  AUTH_MISSING_TOKEN: 'PSYNC_S2106',
  AUTH_INVALID_TOKEN: 'PSYNC_S2101',
  AUTH_UNKNOWN_KEY: 'PSYNC_S2101',
  AUTH_MISSING_CLAIM: 'PSYNC_S2101',
  AUTH_WRONG_ISSUER: 'PSYNC_S2101',
  AUTH_ALGORITHM_NOT_ALLOWED: 'PSYNC_S2101',
  AUTH_EXPIRED: 'PSYNC_S2103',
  AUTH_LIFETIME_TOO_LONG: 'PSYNC_S2104',
  AUTH_WRONG_AUDIENCE: 'PSYNC_S2105',
  SYNC_TOO_MANY_BUCKETS: 'PSYNC_S2305',
};

/**
 * The ERROR frame message for an error: `PSYNC_<code> <registry code>: <message>`, e.g.
 * `PSYNC_S2103 AUTH_EXPIRED: The token has expired; fetch a new one`.
 */
export function rsocketErrorMessage(e: unknown): string {
  const err = SyncError.from(e);
  const psync =
    PSYNC[err.code] ??
    (err.status === 401 ? 'PSYNC_S2101' : err.status < 500 ? 'PSYNC_S2001' : 'PSYNC_S2003');
  return `${psync} ${err.code}: ${err.message}`;
}
