/**
 * The notes app's own errors. Every code comes from Syncline's one registry (`@syncline/errors`); app
 * conditions use `CLIENT_USAGE`, `CLIENT_NOT_FOUND` and `CLIENT_PROFILE_IN_USE`.
 */
import { type ErrorCode, SyncError } from '@syncline/errors';

/** Codes of {@link NotesError}. */
export type NotesErrorCode = Extract<
  ErrorCode,
  'CLIENT_USAGE' | 'CLIENT_NOT_FOUND' | 'CLIENT_PROFILE_IN_USE'
>;

/** An app-level SyncError (kept by the Electron bridge, printed by the CLI, shown by the apps). */
export class NotesError extends SyncError {
  constructor(code: NotesErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message, details ? { details } : {});
  }
}
