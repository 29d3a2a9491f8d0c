/**
 * The notes desktop client's own error codes (app conditions Syncline's registry does not cover) and the
 * CLI's exit codes. Syncline's errors keep their registry codes (`CLIENT_NETWORK`, `AUTH_*`, …).
 */
import { SyncError } from '@syncline/errors';

/** Codes of {@link NotesError}. */
export type NotesErrorCode =
  /** bad command line: unknown command, missing argument, bad option */
  | 'NOTES_USAGE'
  /** no live note with that id on this device */
  | 'NOTES_NOT_FOUND'
  /** another process has this profile open (its database and session) */
  | 'NOTES_PROFILE_IN_USE';

/** An app-level error with a code (kept by the Electron bridge, printed by the CLI). */
export class NotesError extends Error {
  readonly code: NotesErrorCode;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: NotesErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'NotesError';
    this.code = code;
    this.details = details;
  }
}

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
      e.code === 'NOTES_USAGE'
        ? EXIT.usage
        : e.code === 'NOTES_NOT_FOUND'
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
          : e.code === 'CONFIG_INVALID_OPTION'
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
