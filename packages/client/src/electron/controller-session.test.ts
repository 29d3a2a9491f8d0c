/**
 * The bridge core over the in-memory IPC bus, continued: errors reaching the renderer, sign-out and
 * revocation, app channels, allowSender and disposal; plus errorBody and the in-memory IPC itself.
 */
import { SyncError } from '@syncline/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { disposeAll, last, setup, statuses } from './controller.fixtures.js';
import { errorBody } from './error-body.js';
import { createMemoryIpc } from './memory-ipc.js';
import { bridgeErrorCode, createRendererApi } from './renderer.js';

afterEach(disposeAll);

describe('sync controller over IPC', () => {
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
