/**
 * The Electron app as far as it runs without Electron: the real main-process code (`startNotesDesktop`:
 * `@powersync/node`, the sync controller, the session encrypted with a `safeStorage` stand-in that really
 * encrypts) in this Node process, and the real renderer (the production build of `electron/renderer`, the
 * web app's UI over `window.syncline`) in Chromium, with the real preload — only Electron's IPC transport
 * is replaced (`electron-ipc/harness.ts`). Next to it, the web app is a second device of the same user.
 * Screenshots: `test-results/browser/electron-*.png`.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { createTestSafeStorage } from '@syncline/client/electron/testing';
import { quietLogger } from '@syncline/test-utils';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildRenderer } from '../electron/build.js';
import { type NotesDesktop, startNotesDesktop } from '../electron/main/notes-main.js';
import { account, Device, launchChromium, startWebStack, type WebStack } from './browser-harness.js';
import { buildTestPreload, createPlaywrightIpc } from './electron-ipc/harness.js';

/** Where the window's page is served from (intercepted; Electron itself would load it from disk). */
const APP_ORIGIN = 'http://notes.electron.test';
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
};

describe('notes Electron app: real main process and renderer, Electron IPC replaced at the edge', () => {
  let web: WebStack;
  let browser: Browser;
  let dir: string;
  let desktop: NotesDesktop | undefined;
  let electron: Device; // the Electron window
  let laptop: Device; // the web app, same user
  const devices: Device[] = [];
  const alice = account('Alice');
  const userData = () => join(dir, 'userData');

  beforeAll(async () => {
    web = await startWebStack('electron_app');
    browser = await launchChromium();
    dir = await mkdtemp(join(tmpdir(), 'notes-electron-app-'));
    const rendererDir = join(dir, 'renderer');
    const [preload] = await Promise.all([
      buildTestPreload(join(dir, 'preload.js')),
      buildRenderer(rendererDir),
    ]);
    const ipc = createPlaywrightIpc();
    desktop = await startNotesDesktop({
      ipcMain: ipc.ipcMain,
      targets: () => ipc.webContents(),
      safeStorage: createTestSafeStorage(),
      userDataDir: userData(),
      apiUrl: web.stack.apiUrl!,
      allowSender: (e) => e.senderFrame?.url.startsWith(`${APP_ORIGIN}/`) === true,
      logger: quietLogger,
    });
    const serve = async (context: BrowserContext) => {
      await context.route(`${APP_ORIGIN}/**`, async (route) => {
        const path = normalize(new URL(route.request().url()).pathname).replace(/^\/+/, '');
        try {
          const body = await readFile(join(rendererDir, path || 'index.html'));
          await route.fulfill({ body, contentType: TYPES[extname(path)] ?? 'application/octet-stream' });
        } catch {
          await route.fulfill({ status: 404, body: 'not found' });
        }
      });
      await ipc.attach(context, preload);
    };
    electron = await Device.open(browser, 'electron', `${APP_ORIGIN}/index.html`, undefined, serve);
    devices.push(electron);
  }, 180_000);

  afterEach(async (ctx) => {
    const name = ctx.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 50);
    for (const d of devices) await d.saveConsole(`electron-${name}`).catch(() => undefined);
    for (const d of devices) d.assertHealthy();
  });

  afterAll(async () => {
    for (const d of devices) await d.close().catch(() => undefined);
    await desktop?.stop();
    await browser?.close();
    await web?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('the window signs in through the main process, which keeps the session encrypted and syncs', async () => {
    laptop = await Device.open(browser, 'web', web.webUrl);
    devices.push(laptop);
    await laptop.signUp(alice);
    await laptop.waitForSynced();

    await electron.page.getByRole('form', { name: 'Sign in' }).waitFor();
    expect(
      await electron.page.evaluate(
        () => typeof (window as { syncline?: { sync?: { enable?: unknown } } }).syncline?.sync?.enable,
      ),
    ).toBe('function');
    // The page has no database of its own and never sees the token.
    expect(await electron.page.evaluate(() => indexedDB.databases().then((d) => d.length))).toBe(0);
    await electron.signIn(alice);
    await electron.waitForSynced();
    expect(await electron.signedInAs()).toBe(alice.email);
    await electron.screenshot('electron-01-signed-in');

    const session = JSON.parse(await readFile(join(userData(), 'session.json'), 'utf8'));
    expect(session).toMatchObject({ v: 1, protection: 'encrypted' });
    expect(JSON.stringify(session)).not.toContain(alice.email);
    expect((await stat(join(userData(), 'session.json'))).mode & 0o777).toBe(0o600);
    expect(JSON.stringify(await electron.page.evaluate(() => localStorage))).toBe('{}');
    expect(desktop!.controller.getStatus()).toMatchObject({ state: 'synced', credentials: 'encrypted' });
  });

  it('a document written and edited on the desktop appears on the web app, and back', async () => {
    await electron.createDocument('From the desktop', 'Written in the Electron window');
    await electron.waitForSynced();
    await laptop.waitForDocument('From the desktop');
    await laptop.openDocument('From the desktop');
    expect(await laptop.content()).toBe('Written in the Electron window');

    await electron.editContent('Written in the Electron window\nand edited there');
    await electron.waitForSynced();
    await laptop.waitForContent('Written in the Electron window\nand edited there');

    await laptop.editContent('Edited on the web');
    await laptop.waitForSynced();
    await electron.waitForContent('Edited on the web');
    // Versions come from the main process's database too, with this device's versions marked.
    await electron.page.getByRole('button', { name: 'Versions' }).click();
    const versions = electron.page.getByRole('complementary', { name: 'Versions' });
    await versions
      .getByText(/this device/)
      .first()
      .waitFor();
    await versions
      .getByText(/another device/)
      .first()
      .waitFor();
    await electron.screenshot('electron-02-edited-on-both');
    await laptop.screenshot('electron-02-web-sees-desktop-edit');
  });

  it('pausing sync in the window stops it in both directions until it resumes', async () => {
    const { page } = electron;
    await page.getByRole('button', { name: 'Pause sync' }).click();
    await electron.waitForState('paused');
    expect(desktop!.controller.getStatus().enabled).toBe(false);

    await electron.createDocument('Written while paused', 'stays on the desktop for now');
    await laptop.createDocument('Written on the web meanwhile', 'not on the desktop yet');
    await laptop.waitForSynced();
    expect(await electron.pendingUploads()).toBeGreaterThan(0);
    await electron.waitForState('paused');
    await new Promise((r) => setTimeout(r, 1500)); // time enough to sync, were it on
    expect(await laptop.titles()).not.toContain('Written while paused');
    expect(await electron.titles()).not.toContain('Written on the web meanwhile');
    await electron.screenshot('electron-03-paused');

    await page.getByRole('button', { name: 'Resume sync' }).click();
    await electron.waitForSynced();
    await laptop.waitForDocument('Written while paused');
    await electron.waitForDocument('Written on the web meanwhile');
    expect(desktop!.controller.getStatus().enabled).toBe(true);
  });

  it('signing out in the window ends its live queries in the main process', async () => {
    expect(desktop!.watches.size).toBeGreaterThan(0);
    await electron.signOut();
    await expect.poll(() => desktop!.watches.size).toBe(0);
    expect(desktop!.controller.getStatus().account).toBeNull();
    await expect(stat(join(userData(), 'session.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    await electron.screenshot('electron-04-signed-out');
  });
});
