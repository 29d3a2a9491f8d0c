/**
 * Words the notes app shows, on every platform: sync states, "3 min ago", and plain-language messages for
 * errors. A message leads with what happened and what to do; the error code stays available (a detail
 * line, a tooltip, a bug report) but never leads.
 */
import type { SyncState } from '@syncline/client';

/** The sync state in a few words. */
export const STATE_LABEL: Record<SyncState | 'paused', string> = {
  'signed-out': 'Signed out',
  offline: 'Offline',
  connecting: 'Connecting…',
  syncing: 'Syncing…',
  synced: 'Synced',
  error: 'Not syncing',
  paused: 'Sync paused',
};

/** "1 change", "3 changes". */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** "3 min ago", "yesterday", or a date. */
export function timeAgo(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.round(h / 24);
  if (d === 1) return 'yesterday';
  if (d < 7) return `${d} days ago`;
  return new Date(t).toISOString().slice(0, 10);
}

/** A message for the user: a plain sentence first, the code as a detail. */
export interface UserMessage {
  text: string;
  code: string;
}

/** BetterAuth's own codes (in `details.remoteCode`) → what to tell the user. */
const AUTH_TEXT: Record<string, string> = {
  INVALID_EMAIL_OR_PASSWORD: 'Wrong email or password.',
  USER_ALREADY_EXISTS: 'An account with this email already exists. Sign in instead.',
  USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL: 'An account with this email already exists. Sign in instead.',
  PASSWORD_TOO_SHORT: 'Choose a longer password (at least 8 characters).',
  PASSWORD_TOO_LONG: 'Choose a shorter password.',
  INVALID_EMAIL: 'That does not look like an email address.',
};

/** Registry codes → what to tell the user. */
const TEXT: Record<string, string> = {
  CLIENT_NETWORK: 'Can’t reach the server. Check your connection and try again.',
  CLIENT_SERVER_ERROR: 'The server is having trouble. Try again in a moment.',
  CLIENT_INVALID_RESPONSE: 'The server gave an answer the app does not understand. Try again later.',
  CLIENT_NOT_SIGNED_IN: 'Sign in to see your notes.',
  AUTH_INVALID_SESSION: 'Wrong email or password.',
  AUTH_SIGN_UP_REFUSED: 'The account could not be created.',
  AUTH_EXPIRED: 'Your session ended. Sign in again.',
  UPLOAD_BODY_TOO_LARGE: 'This change is too large for the server to accept.',
  UPLOAD_TOO_MANY_OPS: 'Too many changes at once for the server to accept.',
  UPLOAD_NOT_OWNER:
    'This item belongs to another account and is not shared with you for editing, so the server refused the change.',
  UPLOAD_MISSING_VALUE: 'Something required was left empty, so the server refused the change.',
  UPLOAD_INVALID_VALUE: 'The server refused a value in this change.',
  UPLOAD_CONSTRAINT_VIOLATION: 'This change conflicts with data already on the server.',
  UPLOAD_READ_ONLY_SHARE: 'This project is shared with you to read only, so the server refused the change.',
  UPLOAD_OWNER_ONLY: 'Only the owner of the project can do that.',
  UPLOAD_FOREIGN_REFERENCE:
    'That project is not shared with you (any more), so the server refused the change.',
  UPLOAD_VERSION_CONFLICT:
    'Someone changed this document on another device at the same time. Choose which text to keep.',
  UPLOAD_VERSION_MISSING: 'The app sent an edit the server could not check. Update the app and try again.',
  SHARING_USER_NOT_FOUND: 'No account uses this email address. Ask them to sign up first.',
  SHARING_RATE_LIMITED: 'Too many look-ups in a short time. Wait a minute and try again.',
  SHARING_INVALID_REQUEST: 'That does not look like an email address.',
};

/** The registry code and BetterAuth's code of anything thrown (a SyncError, a bridge error, an Error). */
function codesOf(error: unknown): { code: string; remote?: string; message: string } {
  const e = (error ?? {}) as { code?: unknown; message?: unknown; details?: { remoteCode?: unknown } };
  let message = typeof e.message === 'string' ? e.message : String(error);
  let code = typeof e.code === 'string' ? e.code : undefined;
  // Errors that crossed Electron's IPC keep only their message, "[CODE] message".
  const bridged = /^\[([A-Z][A-Z0-9_]*)\] ([\s\S]*)$/.exec(message);
  if (bridged) {
    code ??= bridged[1];
    message = bridged[2]!;
  }
  const remote = typeof e.details?.remoteCode === 'string' ? e.details.remoteCode : undefined;
  return { code: code ?? 'INTERNAL', message, ...(remote ? { remote } : {}) };
}

/**
 * What to tell the user about an error: a sentence they can act on, and the code for reference.
 *
 * @example
 * userMessage(new SyncError('CLIENT_NETWORK', 'Could not reach http://…: fetch failed'));
 * // { text: 'Can’t reach the server. Check your connection and try again.', code: 'CLIENT_NETWORK' }
 */
export function userMessage(error: unknown): UserMessage {
  const { code, remote, message } = codesOf(error);
  if (remote && AUTH_TEXT[remote]) return { text: AUTH_TEXT[remote], code: remote };
  const known = TEXT[code];
  if (known) return { text: known, code };
  // The app's own checks (CLIENT_USAGE, e.g. "Give the project a name.") are written for the user.
  if (code === 'CLIENT_USAGE' || code === 'CLIENT_NOT_FOUND') return { text: message, code };
  return { text: 'Something went wrong. Try again; if it keeps happening, report the code below.', code };
}

/** A rejected change in plain language (the rejections list). */
export function rejectionText(code: string, message: string): string {
  return TEXT[code] ?? message;
}
