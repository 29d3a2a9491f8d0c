/**
 * The bridge core over the in-memory IPC bus: channels, sign-in, enable/disable, window fan-out and the
 * stored session across starts. Errors, sign-out, app channels and disposal: controller-session.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BridgeStatus } from './channels.js';
import { disposeAll, last, quiet, setup, statuses } from './controller.fixtures.js';
import type { MemoryWindow } from './memory-ipc.js';
import { createRendererApi } from './renderer.js';
import { createTestSafeStorage } from './test-safe-storage.js';

afterEach(disposeAll);

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
});
