/**
 * The notes API the app talks to: `EXPO_PUBLIC_API_URL` (inlined when the bundle is built), else the
 * default of `npm start`. On an Android emulator the host machine is `10.0.2.2`; on a phone, use the
 * computer's LAN address (`EXPO_PUBLIC_API_URL=http://192.168.1.20:3000 npx expo start`). The API hands
 * out the sync server's URL itself (`/api/powersync/config`).
 */
export const API_URL: string = process.env.EXPO_PUBLIC_API_URL ?? 'http://127.0.0.1:3000';

/**
 * The local database file. Relative: React Native keeps it in the app's own data directory (op-sqlite);
 * on the web it names the IndexedDB database.
 */
export const DB_FILENAME = 'syncline-notes.db';
