/**
 * The bridge core over the in-memory IPC bus: a fake sync client and a fake API at the edges, the real
 * controller, credential store (with the really-encrypting fake safeStorage) and renderer API.
 */
import { createLogger, type Logger, SyncError } from '@syncline/errors';
import type { SynclineSchema } from '@syncline/schema/client';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncClient } from '../client/index.js';
import type { SessionSource } from '../credentials/index.js';
import { createStatusStore } from '../status/index.js';
import { BRIDGE_CHANNELS, type BridgeStatus } from './channels.js';
import { safeStorageCipher } from './cipher.js';
import { createSyncController } from './controller.js';
import type { SyncController } from './controller-options.js';
import { createCredentialStore } from './credential-store.js';
import { errorBody } from './error-body.js';
import { createMemoryIpc, type MemoryIpc, type MemoryWindow } from './memory-ipc.js';
import { memoryStorage } from './memory-storage.js';
import type { PasswordAuth } from './password-auth.js';
import { bridgeErrorCode, createRendererApi } from './renderer.js';
import { createTestSafeStorage, type TestSafeStorage } from './test-safe-storage.js';

const API = 'http://127.0.0.1:3000';
const quiet: Logger = createLogger({ level: 'silent' });

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

interface Setup {
  ipc: MemoryIpc;
  api: ReturnType<typeof fakeApi>;
  safe: TestSafeStorage;
  storage: ReturnType<typeof memoryStorage>;
  controller: SyncController<SynclineSchema>;
  calls: string[];
}

const open: SyncController<SynclineSchema>[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.dispose()));
});

function setup(
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

const statuses = (win: { received: { channel: string; args: unknown[] }[] }) =>
  win.received
    .filter((m) => m.channel === BRIDGE_CHANNELS.statusChanged)
    .map((m) => m.args[0] as BridgeStatus);
const last = <T>(xs: T[]) => xs[xs.length - 1];

describe('sync controller over IPC', () => {
  it('registers its channels before start, so an early window never meets a missing handler', async () => {
    const { ipc } = setup();
    expect([...ipc.ipcMain.channels].sort()).toEqual([
      'auth:session',
      'auth:sign-in',
      'auth:sign-out',
      'auth:sign-up',
      'sync:disable',
      'sync:enable',
      'sync:status',
    ]);
    const api = createRendererApi(ipc.createWindow().ipcRenderer);
    const status = await api.sync.status();
    expect(status).toMatchObject({ state: 'offline', enabled: true, account: null, credentials: 'none' });
  });

  it('signs in from a window, stores the token encrypted, connects, and pushes the status to every window', async () => {
    const s = setup();
    const w1 = s.ipc.createWindow();
    const w2 = s.ipc.createWindow();
    const api = createRendererApi(w1.ipcRenderer);
    expect(await api.auth.signIn('a@example.test', 'pw-a')).toEqual({
      userId: 'user-a',
      email: 'a@example.test',
    });
    await s.ipc.flush();
    expect(s.calls).toContain('connect:user-a');
    for (const w of [w1, w2]) {
      expect(last(statuses(w))).toMatchObject({
        state: 'synced',
        enabled: true,
        userId: 'user-a',
        account: { userId: 'user-a', email: 'a@example.test' },
        credentials: 'encrypted',
      });
    }
    // The token never reaches a window, and is not in the stored blob in clear.
    expect(JSON.stringify([w1.received, w2.received])).not.toContain('tok-');
    expect(s.storage.text).not.toContain('tok-user-a');
    expect(s.safe.calls.encrypt).toBe(1);
  });

  it('disables and enables sync over IPC; the status says so in every window', async () => {
    const s = setup();
    const w1 = s.ipc.createWindow();
    const w2 = s.ipc.createWindow();
    const api = createRendererApi(w2.ipcRenderer);
    await api.auth.signIn('a@example.test', 'pw-a');
    const off = await api.sync.disable();
    expect(off).toMatchObject({ enabled: false, state: 'offline' });
    await s.ipc.flush();
    expect(last(s.calls)).toBe('disconnect');
    expect(last(statuses(w1))).toMatchObject({ enabled: false, state: 'offline' });
    const on = await createRendererApi(w1.ipcRenderer).sync.enable();
    expect(on).toMatchObject({ enabled: true, state: 'synced' });
    expect(s.calls.filter((c) => c === 'connect:user-a')).toHaveLength(2);
    await s.ipc.flush();
    expect(last(statuses(w2))).toMatchObject({ enabled: true, state: 'synced' });
  });

  it('skips destroyed windows and gives a window opened later the current status first', async () => {
    const all: MemoryWindow[] = [];
    const warnings: string[] = [];
    const s = setup({
      targets: () => all.map((w) => w.webContents), // a stale list still holding a closed window
      logger: { ...quiet, warn: (msg) => warnings.push(msg) },
    });
    const w2 = s.ipc.createWindow();
    const w1 = s.ipc.createWindow();
    all.push(w2, w1);
    w2.destroy();
    await createRendererApi(w1.ipcRenderer).auth.signIn('a@example.test', 'pw-a');
    await s.ipc.flush();
    expect(statuses(w2)).toEqual([]);
    const w3 = s.ipc.createWindow();
    all.push(w3);
    const seen: BridgeStatus[] = [];
    const off = createRendererApi(w3.ipcRenderer).sync.onStatus((st) => seen.push(st));
    await s.ipc.flush();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ state: 'synced', account: { userId: 'user-a' } });
    await s.controller.disable();
    await s.ipc.flush();
    expect(last(seen)).toMatchObject({ enabled: false });
    off();
    await s.controller.enable();
    await s.ipc.flush();
    expect(last(seen)).toMatchObject({ enabled: false }); // unsubscribed
    expect(last(statuses(w1))).toMatchObject({ enabled: true });
    expect(warnings).toEqual([]);
  });

  it('onStatus never lets the initial answer overwrite a newer push', async () => {
    const listeners: ((e: unknown, s: unknown) => void)[] = [];
    let answer: (v: unknown) => void = () => {};
    const renderer = {
      invoke: () => new Promise((resolve) => (answer = resolve)),
      on: (_c: string, l: (e: unknown, s: unknown) => void) => listeners.push(l),
      removeListener: () => undefined,
    };
    const seen: unknown[] = [];
    createRendererApi(renderer).sync.onStatus((st) => seen.push(st));
    for (const l of listeners) l({}, { state: 'synced', v: 'pushed' });
    answer({ ok: true, value: { state: 'offline', v: 'initial' } });
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual([{ state: 'synced', v: 'pushed' }]);
  });

  it('when sync starts disabled, sign-in stores the session but does not connect', async () => {
    const s = setup({ enabled: false });
    const api = createRendererApi(s.ipc.createWindow().ipcRenderer);
    await api.auth.signIn('a@example.test', 'pw-a');
    expect(s.calls.some((c) => c.startsWith('connect'))).toBe(false);
    expect(await api.sync.status()).toMatchObject({ enabled: false, account: { userId: 'user-a' } });
    await api.sync.enable();
    expect(s.calls).toContain('connect:user-a');
  });

  it('restores the encrypted session on the next start (same OS key) and connects', async () => {
    const first = setup();
    await first.controller.signIn('a@example.test', 'pw-a');
    await first.controller.dispose();
    const second = setup({
      safe: createTestSafeStorage({ key: first.safe.key }),
      storage: first.storage,
      api: first.api,
    });
    await second.controller.start();
    expect(second.calls).toContain('connect:user-a');
    expect(second.controller.getStatus()).toMatchObject({
      account: { userId: 'user-a' },
      credentials: 'encrypted',
    });
  });

  it('without encryption keeps the session for this run only; nothing is written, the next start is signed out', async () => {
    const safe = createTestSafeStorage({ available: false });
    const first = setup({ safe });
    await first.controller.signIn('a@example.test', 'pw-a');
    expect(first.controller.getStatus()).toMatchObject({ credentials: 'memory', state: 'synced' });
    expect(first.storage.text).toBeNull();
    await first.controller.dispose();
    const second = setup({ safe, storage: first.storage, api: first.api });
    await second.controller.start();
    expect(second.controller.getStatus()).toMatchObject({ account: null, credentials: 'none' });
    expect(second.calls.some((c) => c.startsWith('connect'))).toBe(false);
  });

  it('errors reach the renderer with their code, even when only the message survives', async () => {
    const s = setup();
    const api = createRendererApi(s.ipc.createWindow().ipcRenderer);
    const wrong = await api.auth.signIn('a@example.test', 'nope').catch((e: unknown) => e);
    expect(bridgeErrorCode(wrong)).toBe('AUTH_INVALID_SESSION');
    expect((wrong as Error).message).toBe(
      '[AUTH_INVALID_SESSION] sign-in refused: Invalid email or password',
    );
    expect(bridgeErrorCode(new Error((wrong as Error).message))).toBe('AUTH_INVALID_SESSION'); // context bridge copy
    expect((wrong as { details?: unknown }).details).toEqual({ remoteCode: 'INVALID_EMAIL_OR_PASSWORD' });
    const bad = await api.auth.signIn(42 as never, 'x').catch((e: unknown) => e);
    expect(bridgeErrorCode(bad)).toBe('CLIENT_USAGE');
    expect(s.controller.getStatus().account).toBeNull();
  });

  it('signs out: forgets the token here, tells the client, revokes it at the API', async () => {
    const s = setup();
    const w = s.ipc.createWindow();
    const api = createRendererApi(w.ipcRenderer);
    await api.auth.signIn('a@example.test', 'pw-a');
    await api.auth.signOut({ clearData: true });
    expect(s.storage.text).toBeNull();
    expect(s.calls).toContain('signOut:true');
    expect(s.api.revoked).toEqual(['tok-user-a-1']);
    expect(await api.auth.session()).toBeNull();
    await s.ipc.flush();
    expect(last(statuses(w))).toMatchObject({ state: 'signed-out', account: null, credentials: 'none' });
  });

  it('signing in as someone else revokes the previous session', async () => {
    const s = setup();
    await s.controller.signIn('a@example.test', 'pw-a');
    await s.controller.signIn('b@example.test', 'pw-b');
    await new Promise((r) => setImmediate(r));
    expect(s.api.revoked).toEqual(['tok-user-a-1']);
    expect(s.calls).toContain('connect:user-b');
    expect(s.controller.getStatus().account).toEqual({ userId: 'user-b', email: 'b@example.test' });
  });

  it('drops the stored session when the API rejects it', async () => {
    const s = setup({ enabled: false });
    await s.controller.signIn('a@example.test', 'pw-a');
    s.api.sessions.clear(); // revoked on another device
    await s.controller.enable();
    expect(s.storage.text).toBeNull();
    expect(s.controller.getStatus()).toMatchObject({ account: null, state: 'signed-out' });
  });

  it('serves app channels with the client, and only allow-listed ones reach the page', async () => {
    const s = setup({
      handlers: {
        'docs:count': ({ session }, extra: number) => ({ user: session?.userId ?? null, n: 2 + extra }),
        'docs:secret': () => 'not exposed',
      },
    });
    const api = createRendererApi(s.ipc.createWindow().ipcRenderer, {
      invoke: ['docs:count'],
      events: ['docs:changed'],
    });
    await api.auth.signIn('a@example.test', 'pw-a');
    expect(await api.invoke('docs:count', 1)).toEqual({ user: 'user-a', n: 3 });
    expect(bridgeErrorCode(await api.invoke('docs:secret').catch((e: unknown) => e))).toBe('CLIENT_USAGE');
    expect(() => api.on('auth:token', () => {})).toThrow(/not exposed/);
    const got: unknown[] = [];
    const off = api.on('docs:changed', (rows) => got.push(rows));
    s.controller.publish('docs:changed', [{ id: 'd1' }]);
    await s.ipc.flush();
    off();
    s.controller.publish('docs:changed', [{ id: 'd2' }]);
    await s.ipc.flush();
    expect(got).toEqual([[{ id: 'd1' }]]);
    expect(() => setup({ handlers: { 'sync:enable': () => 1 } })).toThrow(/bridge's own channel/);
  });

  it('refuses IPC from frames allowSender rejects', async () => {
    const s = setup({ allowSender: (e) => e.senderFrame?.url.startsWith('app://notes/') === true });
    const good = createRendererApi(s.ipc.createWindow({ url: 'app://notes/index.html' }).ipcRenderer);
    const evil = createRendererApi(s.ipc.createWindow({ url: 'https://evil.example/' }).ipcRenderer);
    expect(await good.sync.status()).toMatchObject({ enabled: true });
    await expect(evil.auth.signIn('a@example.test', 'pw-a')).rejects.toThrow(/may not use the sync bridge/);
    expect(s.controller.getStatus().account).toBeNull();
  });

  it('dispose removes the handlers and closes the client', async () => {
    const s = setup();
    await s.controller.start();
    await s.controller.dispose();
    expect(s.ipc.ipcMain.channels).toEqual([]);
    expect(last(s.calls)).toBe('close');
    const api = createRendererApi(s.ipc.createWindow().ipcRenderer);
    await expect(api.sync.status()).rejects.toThrow(/No handler registered for 'sync:status'/);
  });
});

describe('errorBody', () => {
  it('keeps SyncError codes and app codes, maps anything else to INTERNAL', () => {
    expect(errorBody(new SyncError('CLIENT_NETWORK', 'down', { details: { url: '/x' } }))).toEqual({
      code: 'CLIENT_NETWORK',
      message: 'down',
      details: { url: '/x' },
    });
    const app = Object.assign(new Error('no such note'), { code: 'CLIENT_NOT_FOUND', details: { id: 'n1' } });
    expect(errorBody(app)).toEqual({
      code: 'CLIENT_NOT_FOUND',
      message: 'no such note',
      details: { id: 'n1' },
    });
    const node = Object.assign(new Error('bad arg'), { code: 'ERR_INVALID_ARG_TYPE' });
    expect(errorBody(node).code).toBe('INTERNAL');
    expect(errorBody('weird').code).toBe('INTERNAL');
  });
});

describe('in-memory IPC behaves like Electron where it matters', () => {
  it('clones payloads, refuses a second handler and sends to destroyed windows', async () => {
    const ipc = createMemoryIpc();
    ipc.ipcMain.handle('echo', (_e, v) => v);
    expect(() => ipc.ipcMain.handle('echo', () => 1)).toThrow(/second handler/);
    const w = ipc.createWindow();
    const sent = { a: 1 };
    expect(await w.ipcRenderer.invoke('echo', sent)).not.toBe(sent);
    await expect(w.ipcRenderer.invoke('echo', () => 1)).rejects.toThrow(/could not be cloned/);
    ipc.ipcMain.handle('boom', () => {
      throw new SyncError('INTERNAL', 'kaputt');
    });
    await expect(w.ipcRenderer.invoke('boom')).rejects.toThrow(
      "Error invoking remote method 'boom': SyncError: kaputt",
    );
    w.destroy();
    expect(() => w.webContents.send('x')).toThrow(/destroyed/);
  });
});
