/**
 * Words the notes app shows, on every platform: sync states, "3 min ago", and plain-language messages for
 * errors. A message leads with what happened and what to do; the error code stays available (a detail
 * line, a tooltip, a bug report) but never leads.
 */
import type { SyncState } from '@syncline/client';
/** The sync state in a few words. */
export declare const STATE_LABEL: Record<SyncState | 'paused', string>;
/** "1 change", "3 changes". */
export declare const plural: (n: number, one: string, many?: string) => string;
/** "3 min ago", "yesterday", or a date. */
export declare function timeAgo(iso: string | null | undefined, now?: number): string;
/** A message for the user: a plain sentence first, the code as a detail. */
export interface UserMessage {
  text: string;
  code: string;
}
/**
 * What to tell the user about an error: a sentence they can act on, and the code for reference.
 *
 * @example
 * userMessage(new SyncError('CLIENT_NETWORK', 'Could not reach http://…: fetch failed'));
 * // { text: 'Can’t reach the server. Check your connection and try again.', code: 'CLIENT_NETWORK' }
 */
export declare function userMessage(error: unknown): UserMessage;
/** A rejected change in plain language (the rejections list). */
export declare function rejectionText(code: string, message: string): string;
