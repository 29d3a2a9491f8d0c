/**
 * Shared fixtures of the sync controller tests: a fake sync client and a fake API at the edges, the real
 * controller, credential store (with the really-encrypting fake safeStorage) and renderer API.
 */
import { createLogger, type Logger, SyncError } from '@syncline/errors';
import type { SynclineSchema } from '@syncline/schema/client';
import type { SyncClient } from '../client/index.js';
import type { SessionSource } from '../credentials/index.js';
import { createStatusStore } from '../status/index.js';
import { BRIDGE_CHANNELS, type BridgeStatus } from './channels.js';
import { safeStorageCipher } from './cipher.js';
import { createSyncController } from './controller.js';
import type { SyncController } from './controller-options.js';
import { createCredentialStore } from './credential-store.js';
import { createMemoryIpc, type MemoryIpc } from './memory-ipc.js';
import { memoryStorage } from './memory-storage.js';
import type { PasswordAuth } from './password-auth.js';
import { createTestSafeStorage, type TestSafeStorage } from './test-safe-storage.js';

const API = 'http://127.0.0.1:3000';
export const quiet: Logger = createLogger({ level: 'silent' });

/** A fake API: users by email, sessions by token, revocations recorded. */
function fakeApi() {
  const users = new Map([
    ['a@example.test', { id: 'user-a', password: 'pw-a' }],
    ['b@example.test', { id: 'user-b', password: 'pw-b' }],
  ]);
  const sessions = new Map<string, string>(); // token → user id
  const revoked: string[] = [];
  let n = 0;
  const auth: PasswordAuth = {
    apiUrl: API,
    async signIn(email, password) {
      const u = users.get(email);
      if (!u || u.password !== password) {
        throw new SyncError('AUTH_INVALID_SESSION', 'sign-in refused: Invalid email or password', {
          details: { remoteCode: 'INVALID_EMAIL_OR_PASSWORD' },
        });
      }
      const token = `tok-${u.id}-${++n}`;
      sessions.set(token, u.id);
      return { token, userId: u.id, email };
    },
    async signUp(email, password) {
      users.set(email, { id: `user-${email}`, password });
      return this.signIn(email, password);
    },
    async signOut(token) {
      revoked.push(token);
      sessions.delete(token);
    },
  };
  return { auth, sessions, revoked };
}

/** A fake sync client: connect() asks the session source like the real one and reports the user. */
function fakeClient(api: ReturnType<typeof fakeApi>, source: SessionSource) {
  const store = createStatusStore();
  const calls: string[] = [];
  let owner: string | null = null;
  const client = {
    status: { subscribe: store.subscribe, getSnapshot: store.getSnapshot },
    account: {
      get owner() {
        return owner;
      },
    },
    async init() {
      calls.push('init');
    },
    async connect() {
      const token = await source.getSessionToken();
      const userId = token ? api.sessions.get(token) : undefined;
      if (!token) {
        store.update({ authState: 'signed-out' });
        return;
      }
      if (!userId) {
        await source.onSessionRejected?.(new SyncError('AUTH_INVALID_SESSION', 'revoked'));
        store.update({ authState: 'signed-out' });
        return;
      }
      calls.push(`connect:${userId}`);
      owner = userId;
      store.update({
        authState: 'signed-in',
        userId,
        sdk: { connected: true, connecting: false, downloading: false, uploading: false, hasSynced: true },
      });
    },
    async disconnect() {
      calls.push('disconnect');
      store.update({ sdk: { connected: false, connecting: false, downloading: false, uploading: false } });
    },
    async signOut(o?: { clearData?: boolean }) {
      calls.push(`signOut:${o?.clearData === true}`);
      store.update({ authState: 'signed-out' });
    },
    async close() {
      calls.push('close');
    },
  };
  return { client: client as unknown as SyncClient<SynclineSchema>, calls };
}

export interface Setup {
  ipc: MemoryIpc;
  api: ReturnType<typeof fakeApi>;
  safe: TestSafeStorage;
  storage: ReturnType<typeof memoryStorage>;
  controller: SyncController<SynclineSchema>;
  calls: string[];
}

const open: SyncController<SynclineSchema>[] = [];

/** Disposes every controller `setup` created; each test file runs it in `afterEach`. */
export async function disposeAll(): Promise<void> {
  await Promise.all(open.splice(0).map((c) => c.dispose()));
}

export function setup(
  o: {
    safe?: TestSafeStorage;
    storage?: ReturnType<typeof memoryStorage>;
    api?: ReturnType<typeof fakeApi>;
  } & Partial<Parameters<typeof createSyncController>[0]> = {},
): Setup {
  const ipc = createMemoryIpc();
  const api = o.api ?? fakeApi();
  const safe = o.safe ?? createTestSafeStorage();
  const storage = o.storage ?? memoryStorage();
  let calls: string[] = [];
  const controller = createSyncController({
    ipcMain: ipc.ipcMain,
    targets: () => ipc.webContents(),
    credentials: createCredentialStore({ storage, cipher: safeStorageCipher(safe), logger: quiet }),
    auth: api.auth,
    createClient: (source) => {
      const f = fakeClient(api, source);
      calls = f.calls;
      return f.client;
    },
    logger: quiet,
    ...o,
  });
  open.push(controller);
  return { ipc, api, safe, storage, controller, calls };
}

export const statuses = (win: { received: { channel: string; args: unknown[] }[] }) =>
  win.received
    .filter((m) => m.channel === BRIDGE_CHANNELS.statusChanged)
    .map((m) => m.args[0] as BridgeStatus);
export const last = <T>(xs: T[]) => xs[xs.length - 1];
