/**
 * The notes Electron main process (`startNotesDesktop`, everything `main.ts` runs except Electron itself)
 * against `npm start`'s stack, with the in-memory IPC bus and the really-encrypting fake safeStorage at the
 * edges: two windows through the renderer API the preload exposes (live queries and writes by name), a CLI
 * desktop client of the same user. `electron-app.browser.test.ts` drives the real renderer in Chromium.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DevStack } from '@syncline/cli';
import { type BridgeStatus, bridgeErrorCode } from '@syncline/client/electron';
import {
  createMemoryIpc,
  createTestSafeStorage,
  type MemoryIpc,
  type TestSafeStorage,
} from '@syncline/client/electron/testing';
import {
  type ApiUser,
  quietLogger,
  signUp,
  waitFor,
  useTestDatabase as withTestDatabase,
} from '@syncline/test-utils';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DesktopClient, openDesktopClient } from '../desktop/desktop-client.js';
import { resolveProfile } from '../desktop/profile.js';
import { type NotesDesktop, startNotesDesktop } from '../electron/main/notes-main.js';
import { createNotesRendererApi, type NotesDesktopApi } from '../electron/preload/api.js';
import type { Document } from '../schema.js';
import { startDesktopStack } from './desktop-harness.js';

const db = withTestDatabase('desktop_electron');
const PASSWORD = 'correct horse battery staple';
let stack: DevStack & { apiUrl: string };
let pool: pg.Pool;
let dir: string;
let userData: string;
let alice: ApiUser;
let cli: DesktopClient; // the same user on the command-line client

/** A window: the renderer API plus everything the main process pushed to it. */
interface Win {
  api: NotesDesktopApi;
  statuses: BridgeStatus[];
  notes: Document[] | null;
  /** The live query's last error, e.g. CLIENT_NOT_SIGNED_IN. */
  watchError: string | null;
}
let desktop: NotesDesktop | undefined;
let ipc: MemoryIpc;
let safe: TestSafeStorage;
let w1: Win;
let w2: Win;

async function startMain(safeStorage: TestSafeStorage): Promise<void> {
  ipc = createMemoryIpc();
  desktop = await startNotesDesktop({
    ipcMain: ipc.ipcMain,
    targets: () => ipc.webContents(),
    safeStorage,
    userDataDir: userData,
    apiUrl: stack.apiUrl,
    allowSender: (e) => e.senderFrame?.url.startsWith('app://notes/') === true,
    logger: quietLogger,
  });
}
function openWindow(): Win {
  const api = createNotesRendererApi(ipc.createWindow({ url: 'app://notes/index.html' }).ipcRenderer);
  const win: Win = { api, statuses: [], notes: null, watchError: null };
  api.sync.onStatus((s) => win.statuses.push(s));
  return win;
}
/** Watches the window's documents (all, not trashed) like the document list does. */
function watchDocuments(win: Win): () => void {
  win.watchError = null;
  return win.api.notes.watch(
    'documents',
    { view: { kind: 'all' }, search: '' },
    (rows) => {
      win.notes = rows;
    },
    (e) => {
      win.notes = [];
      win.watchError = e.code;
    },
  );
}
const add = async (w: Win, title: string, content = '') =>
  w.api.notes.run('createDocument', { title, content, projectId: null });
const status = (w: Win) => w.statuses[w.statuses.length - 1];
const titles = (notes: { title: string | null }[] | null) => (notes ?? []).map((n) => n.title).sort();
const until = (what: string, fn: () => boolean | Promise<boolean>) =>
  waitFor(fn, { timeout: 20_000, message: what });

beforeAll(async () => {
  stack = await startDesktopStack(db.url);
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  dir = await mkdtemp(join(tmpdir(), 'syncline-electron-'));
  userData = join(dir, 'userData');
  alice = await signUp(stack.apiUrl, 'alice', PASSWORD);
  cli = await openDesktopClient({
    profile: resolveProfile({ dataDir: dir, profile: 'cli' }),
    apiUrl: stack.apiUrl,
    logger: quietLogger,
  });
  await cli.signIn(alice.email, PASSWORD);
}, 120_000);

afterAll(async () => {
  await desktop?.stop();
  await cli?.close();
  await stack?.stop();
  await pool?.end();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('Electron main process core against the dev stack', () => {
  it('a window signs in over IPC; the token is stored encrypted; every window gets the status', async () => {
    safe = createTestSafeStorage();
    await startMain(safe);
    w1 = openWindow();
    w2 = openWindow();
    await until('initial status', () => w1.statuses.length > 0 && w2.statuses.length > 0);
    expect(status(w1)).toMatchObject({ account: null, enabled: true, credentials: 'none' });
    const refused = await new Promise<string>((resolve) =>
      w1.api.notes.watch(
        'projects',
        undefined,
        () => resolve('rows'),
        (e) => resolve(e.code),
      ),
    );
    expect(refused).toBe('CLIENT_NOT_SIGNED_IN');
    expect(bridgeErrorCode(await add(w1, 'x').catch((e: unknown) => e))).toBe('CLIENT_NOT_SIGNED_IN');

    expect(await w1.api.auth.signIn(alice.email, PASSWORD)).toEqual({ userId: alice.id, email: alice.email });
    for (const w of [w1, w2]) {
      await until('synced in every window', () => status(w)?.state === 'synced');
      expect(status(w)).toMatchObject({
        account: { userId: alice.id, email: alice.email },
        userId: alice.id,
        credentials: 'encrypted',
      });
    }
    const file = await readFile(join(userData, 'session.json'), 'utf8');
    expect(JSON.parse(file)).toMatchObject({ v: 1, protection: 'encrypted' });
    expect(file).not.toContain(alice.email);
    expect((await stat(join(userData, 'session.json'))).mode & 0o777).toBe(0o600);
    expect(safe.calls.encrypt).toBe(1);
  });

  it('notes over IPC reach every window live and converge with the CLI client', async () => {
    watchDocuments(w1);
    watchDocuments(w2);
    const added = await add(w1, 'from electron', 'hi');
    await until('live in window 2', () => titles(w2.notes).includes('from electron'));
    await until('on the CLI client', async () => (await cli.list()).some((n) => n.id === added));

    const fromCli = await cli.add({ title: 'from cli' });
    await until('CLI note in both windows', () =>
      [w1, w2].every((w) => (w.notes ?? []).some((n) => n.id === fromCli.id)),
    );
    await w2.api.notes.run('saveDocument', fromCli.id, { title: 'from cli', content: 'edited in window 2' });
    await until(
      'edit on the CLI client',
      async () => (await cli.list()).find((n) => n.id === fromCli.id)?.content === 'edited in window 2',
    );
    await w1.api.notes.run('trashDocument', added);
    await until('delete on the CLI client', async () => !(await cli.list()).some((n) => n.id === added));
    await until('gone from window 2', () => titles(w2.notes).join() === 'from cli');
    expect(
      bridgeErrorCode(
        await w1.api.notes.run('saveDocument', 'nope', { title: 'x', content: '' }).catch((e: unknown) => e),
      ),
    ).toBe('CLIENT_NOT_FOUND');
    expect(bridgeErrorCode(await w1.api.notes.run('createProject', '  ').catch((e: unknown) => e))).toBe(
      'CLIENT_USAGE',
    );
    expect(
      bridgeErrorCode(
        await (w1.api.notes.run as (name: string) => Promise<unknown>)('dropAllTables').catch(
          (e: unknown) => e,
        ),
      ),
    ).toBe('CLIENT_USAGE');
  });

  it('sync:disable stops syncing in both directions until sync:enable', async () => {
    const off = await w2.api.sync.disable();
    expect(off.enabled).toBe(false);
    await until(
      'disabled in window 1',
      () => status(w1)?.enabled === false && status(w1)?.state === 'offline',
    );

    const remote = await cli.add({ title: 'while disabled' });
    expect(await cli.waitForUploads(10_000)).toBe(true);
    const local = await add(w1, 'written while disabled');
    await until(
      'pending uploads shown (the document and its version 1)',
      () => status(w2)?.pendingUploads === 2,
    );
    await new Promise((r) => setTimeout(r, 1500)); // time enough to sync, were it on
    expect(titles(w1.notes)).not.toContain('while disabled');
    expect((await pool.query('SELECT 1 FROM documents WHERE id = $1', [local])).rowCount).toBe(0);

    await w1.api.sync.enable();
    await until('remote note arrives', () => (w2.notes ?? []).some((n) => n.id === remote.id));
    await until('local note uploaded', async () => (await cli.list()).some((n) => n.id === local));
    await until('synced again', () => status(w1)?.state === 'synced' && status(w1)?.pendingUploads === 0);
  });

  it('restart: the encrypted session is restored with the same OS key, and not with another', async () => {
    await desktop!.stop();
    await startMain(createTestSafeStorage({ key: safe.key }));
    const w = openWindow();
    await until('signed in again without a password', () => status(w)?.state === 'synced');
    expect(status(w)?.account?.userId).toBe(alice.id);
    watchDocuments(w);
    await until('notes listed', () => titles(w.notes).length === 3);
    expect(titles(w.notes)).toEqual(['from cli', 'while disabled', 'written while disabled']);

    await desktop!.stop();
    await startMain(createTestSafeStorage()); // another OS account's key: cannot decrypt
    const other = openWindow();
    await until('status', () => other.statuses.length > 0);
    expect(status(other)).toMatchObject({ account: null, credentials: 'none' });
    watchDocuments(other);
    await until('watch refused', () => other.watchError !== null);
    expect(other.watchError).toBe('CLIENT_NOT_SIGNED_IN');
    expect(other.notes ?? []).toEqual([]); // a signed-out window never gets the local notes
  });

  it('without encryption the session lives in memory only; sign-out empties the windows', async () => {
    await desktop!.stop();
    await startMain(createTestSafeStorage({ available: false }));
    const w = openWindow();
    await w.api.auth.signIn(alice.email, PASSWORD);
    await until('synced', () => status(w)?.state === 'synced');
    expect(status(w)?.credentials).toBe('memory');
    await expect(stat(join(userData, 'session.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    watchDocuments(w);
    await until('notes shown', () => titles(w.notes).length === 3);
    expect(desktop!.watches.size).toBe(1);

    await w.api.auth.signOut();
    await until('signed out', () => status(w)?.account === null && status(w)?.state === 'signed-out');
    await until('notes hidden, the watch ended', () => w.notes?.length === 0);
    expect(w.watchError).toBe('CLIENT_NOT_SIGNED_IN');
    expect(desktop!.watches.size).toBe(0);
  });
});
