/**
 * The local database in the browser (Expo's web target): `@powersync/web` (wa-sqlite in a worker,
 * IndexedDB). Its worker and wasm files are copied to `public/@powersync/` (`npm run copy-assets`), which
 * the export serves as they are; the react-native-web build of the SDK needs their URL.
 */
import { PowerSyncDatabase } from '@powersync/web';
import type { OpenDatabase } from '@syncline/client';
import { DB_FILENAME } from './config';

const WORKER = '/@powersync/worker.js';

export const openDatabase: OpenDatabase = (options) =>
  new PowerSyncDatabase({
    ...options,
    database: { dbFilename: DB_FILENAME, worker: WORKER, enableMultiTabs: false },
    sync: { worker: WORKER },
  });
