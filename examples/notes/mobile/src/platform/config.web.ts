/**
 * The web target's settings. Like on a phone, the API comes from `EXPO_PUBLIC_API_URL` (inlined when the
 * bundle is built); the server hosting the export may instead set it at run time, without a rebuild, with
 * `<script>window.__SYNCLINE_CONFIG__ = { apiUrl: 'https://api.example.com' }</script>` before the bundle.
 */
const runtime = (globalThis as { __SYNCLINE_CONFIG__?: { apiUrl?: unknown } }).__SYNCLINE_CONFIG__;

export const API_URL: string =
  typeof runtime?.apiUrl === 'string'
    ? runtime.apiUrl
    : (process.env.EXPO_PUBLIC_API_URL ?? 'http://127.0.0.1:3000');

/** The IndexedDB database's name (one per browser profile and origin). */
export const DB_FILENAME = 'syncline-notes.db';
