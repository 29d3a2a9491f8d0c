/**
 * The notes desktop client's errors and the CLI's exit codes. Every code comes from Syncline's one registry
 * (`@syncline/errors`): app conditions use `CLIENT_USAGE`, `CLIENT_NOT_FOUND`, `CLIENT_PROFILE_IN_USE`.
 */
import { SyncError } from '@syncline/errors';
import { NotesError } from '../shared/data/errors.js';

export { NotesError } from '../shared/data/errors.js';

/** The CLI's exit codes. */
export const EXIT = {
  ok: 0,
  /** unexpected failure */
  error: 1,
  usage: 2,
  /** not signed in, wrong password, session rejected */
  auth: 3,
  /** the API or sync server could not be reached (or did not catch up in time) */
  network: 4,
  notFound: 5,
  profileInUse: 6,
} as const;

/** The code and exit code of anything thrown. */
export function classify(e: unknown): { code: string; message: string; exit: number } {
  if (e instanceof NotesError) {
    const exit =
      e.code === 'CLIENT_USAGE'
        ? EXIT.usage
        : e.code === 'CLIENT_NOT_FOUND'
          ? EXIT.notFound
          : EXIT.profileInUse;
    return { code: e.code, message: e.message, exit };
  }
  if (SyncError.is(e)) {
    const exit =
      e.code === 'CLIENT_NOT_SIGNED_IN' || e.code.startsWith('AUTH_') || e.details?.remoteCode !== undefined // BetterAuth refused
        ? EXIT.auth
        : e.code === 'CLIENT_NETWORK' || e.code === 'CLIENT_SERVER_ERROR'
          ? EXIT.network
          : e.code === 'CONFIG_INVALID_OPTION' || e.code === 'CLIENT_USAGE'
            ? EXIT.usage
            : EXIT.error;
    return { code: e.code, message: e.message, exit };
  }
  return {
    code: 'INTERNAL',
    message: e instanceof Error ? (e.stack ?? e.message) : String(e),
    exit: EXIT.error,
  };
}
