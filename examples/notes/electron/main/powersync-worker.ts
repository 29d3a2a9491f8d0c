/**
 * The SQLite worker `@powersync/node` runs its queries in, for bundled (packaged) Electron apps, where
 * the SDK's default worker path does not exist: bundle this file next to `main.js` and point
 * `openWorker` at it (see `main.ts`). better-sqlite3 is a native module: keep it external to the bundle,
 * rebuild it for Electron's Node ABI (`electron-rebuild`) and unpack it from the asar archive.
 */
import { createRequire } from 'node:module';
import { startPowerSyncWorker } from '@powersync/node/worker.js';

const require = createRequire(import.meta.url);
startPowerSyncWorker({ loadBetterSqlite3: async () => require('better-sqlite3') });
