/**
 * The mobile app's backend: the shared local backend (`shared/local-backend.ts`) over `@syncline/client`
 * with this platform's database (`platform/database.*.ts`), session storage (`platform/sessions.*.ts`) and
 * network state (NetInfo). One per app run.
 */
import NetInfo from '@react-native-community/netinfo';
import { createSyncClient } from '@syncline/client';
import { randomUUID } from 'expo-crypto';
import { schema } from '../../schema';
import { createAuthApi } from '../../shared/auth';
import { loadDeviceId } from '../../shared/data/device';
import {
  createLocalBackend,
  createSessionHolder,
  type LocalBackend,
  type NetworkSource,
} from '../../shared/local-backend';
import { API_URL } from './platform/config';
import { openDatabase } from './platform/database';
import { sessionStorage } from './platform/sessions';

// NetInfo's reachability probe requests a public URL every few seconds; the OS's connectivity (and, on the
// web, the browser's online state) is what the app follows.
NetInfo.configure({ reachabilityShouldRun: () => false });

/** Online = a network connection (NetInfo's `isConnected`); `null` (unknown yet) counts as online. */
export const netInfoNetwork: NetworkSource = {
  subscribe: (listener) => NetInfo.addEventListener((state) => listener(state.isConnected !== false)),
};

async function create(): Promise<LocalBackend> {
  const sessions = await createSessionHolder(sessionStorage);
  const client = createSyncClient({
    schema,
    openDatabase,
    apiUrl: API_URL,
    auth: sessions,
    sync: { retryDelayMs: 3000 },
  });
  await client.init();
  return createLocalBackend({
    platform: 'mobile',
    client,
    sessions,
    auth: createAuthApi(API_URL, (url, init) => fetch(url, init)),
    network: netInfoNetwork,
    deviceId: await loadDeviceId(client.db, randomUUID),
    newId: randomUUID,
  });
}

let backend: Promise<LocalBackend> | undefined;

/** The app's backend (created on first use: opens the database, loads the session, connects if signed in). */
export function mobileBackend(): Promise<LocalBackend> {
  backend ??= create();
  return backend;
}
