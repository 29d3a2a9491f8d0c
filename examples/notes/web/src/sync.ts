/**
 * The app's one sync client: `@powersync/web` (wa-sqlite in a worker, IndexedDB storage, sync shared by the
 * tabs of the browser) + `@syncline/client` (connector, rejected writes, account switching, status).
 */

import { PowerSyncDatabase } from '@powersync/web';
import { createSyncClient, type SyncClient } from '@syncline/client';
import type { Logger } from '@syncline/errors';
import { schema } from '@syncline/example-notes/schema';
import { API_URL, DB_FILENAME } from './config.js';
import { sessionStore } from './session.js';

export type NotesClient = SyncClient<typeof schema>;

/** Syncline's structured logger, writing to the browser console. */
function consoleLogger(bound: Record<string, unknown> = {}): Logger {
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

/** Creates the client. Call `connect()` after every sign-in. */
export function createNotesClient(): NotesClient {
  return createSyncClient({
    schema,
    openDatabase: (o) => new PowerSyncDatabase({ ...o, database: { dbFilename: DB_FILENAME } }),
    apiUrl: API_URL,
    auth: {
      getSessionToken: () => sessionStore.get()?.token ?? null,
      // The API no longer accepts the session (revoked or expired): back to the sign-in screen.
      onSessionRejected: () => sessionStore.set(null, 'expired'),
      signOut: () => sessionStore.set(null),
    },
    // Reconnect and retry uploads 3 s after a failure (the SDK's default is 5 s).
    sync: { retryDelayMs: 3000 },
    logger: consoleLogger({ component: 'client' }),
  });
}
