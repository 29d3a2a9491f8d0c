/**
 * The web app's platform: `@powersync/web` (wa-sqlite in a worker, IndexedDB storage, sync shared by the
 * tabs of the browser), the session in `localStorage` (other tabs follow through the `storage` event), and
 * the browser's `online`/`offline` events. Everything else is the shared notes backend.
 */
import { PowerSyncDatabase } from '@powersync/web';
import { createSyncClient } from '@syncline/client';
import type { Logger } from '@syncline/errors';
import { schema } from '@syncline/example-notes/schema';
import { createAuthApi, type StoredSession } from '../../../shared/auth.js';
import { loadDeviceId } from '../../../shared/data/device.js';
import {
  createLocalBackend,
  createSessionHolder,
  type LocalBackend,
  type NetworkSource,
  type SessionStorage,
} from '../../../shared/local-backend.js';

/**
 * The notes API: `VITE_API_URL` (set by `npm start`), else the default port on this host. The API also
 * hands out the sync server's URL (`/api/powersync/config`).
 */
export const API_URL: string =
  (import.meta.env.VITE_API_URL as string | undefined) ?? 'http://127.0.0.1:3000';

/** The local database file (one per browser profile and origin; tabs share it). */
export const DB_FILENAME = 'syncline-notes.db';

const SESSION_KEY = 'syncline-notes.session';

function readSession(raw: string | null): StoredSession | null {
  try {
    const s = raw ? (JSON.parse(raw) as StoredSession) : null;
    return typeof s?.token === 'string' && typeof s.userId === 'string' ? s : null;
  } catch {
    return null;
  }
}

/** The BetterAuth session token in `localStorage`, so a reload (or a start without network) resumes. */
const localStorageSessions: SessionStorage = {
  load: async () => readSession(localStorage.getItem(SESSION_KEY)),
  async save(session) {
    if (session) localStorage.setItem(SESSION_KEY, JSON.stringify(session));
    else localStorage.removeItem(SESSION_KEY);
  },
  subscribe(listener) {
    const onStorage = (e: StorageEvent) => {
      if (e.key === SESSION_KEY) listener(readSession(e.newValue));
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  },
};

/** The browser's network state. The sync stream runs in a shared worker, so every tab follows the same. */
export const browserNetwork: NetworkSource = {
  subscribe(listener) {
    const online = () => listener(true);
    const offline = () => listener(false);
    window.addEventListener('online', online);
    window.addEventListener('offline', offline);
    return () => {
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
    };
  },
};

/** Syncline's structured logger, writing to the browser console. */
export function consoleLogger(bound: Record<string, unknown> = {}): Logger {
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (msg: string, fields?: Record<string, unknown>): void => {
      if (level === 'debug') return;
      const f = { ...bound, ...fields };
      console[level](`[syncline] ${msg}`, Object.keys(f).length ? f : '');
    };
  return {
    level: 'info',
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (fields) => consoleLogger({ ...bound, ...fields }),
  };
}

/** Opens the local database and builds the web app's backend (connecting if a session is stored). */
export async function createWebBackend(): Promise<LocalBackend> {
  const sessions = await createSessionHolder(localStorageSessions);
  const client = createSyncClient({
    schema,
    openDatabase: (o) => new PowerSyncDatabase({ ...o, database: { dbFilename: DB_FILENAME } }),
    apiUrl: API_URL,
    auth: sessions,
    // Reconnect and retry uploads 3 s after a failure (the SDK's default is 5 s).
    sync: { retryDelayMs: 3000 },
    logger: consoleLogger({ component: 'client' }),
  });
  await client.init();
  const newId = () => crypto.randomUUID();
  return createLocalBackend({
    platform: 'web',
    client,
    sessions,
    auth: createAuthApi(API_URL, (url, init) => fetch(url, init)),
    network: browserNetwork,
    deviceId: await loadDeviceId(client.db, newId),
    newId,
  });
}
