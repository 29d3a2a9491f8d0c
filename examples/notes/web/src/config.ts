/** Run-time settings of the web app. */

/**
 * The notes API: `VITE_API_URL` (set by `npm start`), else the default port on this host. The API also
 * hands out the sync server's URL (`/api/powersync/config`).
 */
export const API_URL: string =
  (import.meta.env.VITE_API_URL as string | undefined) ?? 'http://127.0.0.1:3000';

/** The local database file (one per browser profile and origin; tabs share it). */
export const DB_FILENAME = 'syncline-notes.db';

const DEVICE_KEY = 'syncline-notes.device';

/**
 * This browser's device id, written into `documents.device_id` and `document_versions.device_id`. Kept in
 * `localStorage`; it survives sign-out and account switches.
 */
export function deviceId(): string {
  let id = localStorage.getItem(DEVICE_KEY);
  if (!id) {
    id = `web-${crypto.randomUUID().slice(0, 8)}`;
    localStorage.setItem(DEVICE_KEY, id);
  }
  return id;
}
