/**
 * The local database on iOS and Android: `@powersync/react-native` on op-sqlite, syncing over HTTP
 * streaming through `expo/fetch` (React Native's built-in fetch cannot stream a response).
 */
import { PowerSyncDatabase } from '@powersync/react-native';
import type { OpenDatabase } from '@syncline/client';
import { fetch as expoFetch } from 'expo/fetch';
import { DB_FILENAME } from './config';

export const openDatabase: OpenDatabase = (options) =>
  new PowerSyncDatabase({
    ...options,
    database: { dbFilename: DB_FILENAME },
    remote: {
      fetchImplementation: {
        supportsStreams: true,
        run: ({ resource, request }) => expoFetch(resource, request as never) as unknown as Promise<Response>,
      },
    },
  });
