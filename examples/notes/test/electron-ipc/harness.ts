/**
 * A stand-in for Electron's IPC transport between the real main-process code (in this Node process) and
 * the real renderer (in Chromium): `ipcMain.handle` listeners are called through a Playwright binding, and
 * `webContents.send` delivers into the page. Values are copied both ways (as Electron's structured clone
 * would). The preload is the real `electron/preload/preload.ts`, bundled with `page-electron.ts` as its
 * `electron` module and injected before the page's scripts, like Electron runs a preload.
 */
import { join } from 'node:path';
import type { IpcMainLike, WebContentsLike } from '@syncline/client/electron';
import type { BrowserContext, Page } from 'playwright-core';
import { buildPreload } from '../../electron/build.js';
import { decode, encode } from './codec.js';

type Handler = (event: unknown, ...args: unknown[]) => unknown;

/** Made by {@link createPlaywrightIpc}. */
export interface PlaywrightIpc {
  readonly ipcMain: IpcMainLike;
  /** The open windows' web contents (like `BrowserWindow.getAllWindows()`). */
  webContents(): WebContentsLike[];
  /** Installs the preload and the transport in a browser context (before its pages open). */
  attach(context: BrowserContext, preloadFile: string): Promise<void>;
}

/** Bundles the real preload with the test's `electron` module into one init script. */
export async function buildTestPreload(outfile: string): Promise<string> {
  await buildPreload({
    outfile,
    format: 'iife',
    electronModule: join(import.meta.dirname, 'page-electron.ts'),
  });
  return outfile;
}

/**
 * Creates the transport.
 *
 * @example
 * const ipc = createPlaywrightIpc();
 * await startNotesDesktop({ ipcMain: ipc.ipcMain, targets: () => ipc.webContents(), … });
 * await ipc.attach(context, await buildTestPreload(file));
 */
export function createPlaywrightIpc(): PlaywrightIpc {
  const handlers = new Map<string, Handler>();
  const contents = new Map<Page, WebContentsLike>();
  const contentsOf = (page: Page): WebContentsLike => {
    let wc = contents.get(page);
    if (wc) return wc;
    // Pushes are delivered in order, like Electron's per-window message queue.
    let queue: Promise<unknown> = Promise.resolve();
    wc = {
      isDestroyed: () => page.isClosed(),
      send(channel: string, ...args: unknown[]) {
        if (page.isClosed()) throw new Error('Object has been destroyed');
        const payload = encode(args);
        queue = queue
          .then(() =>
            page.evaluate(
              ([c, p]) =>
                (window as unknown as { __ipcDeliver(c: string, p: string): void }).__ipcDeliver(c, p!),
              [channel, payload] as const,
            ),
          )
          .catch(() => undefined); // the page navigated or closed
      },
    };
    contents.set(page, wc);
    page.on('close', () => contents.delete(page));
    return wc;
  };
  return {
    ipcMain: {
      handle(channel, listener) {
        if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
        handlers.set(channel, listener as Handler);
      },
      removeHandler(channel) {
        handlers.delete(channel);
      },
    },
    webContents: () => [...contents.values()].filter((wc) => !wc.isDestroyed()),
    async attach(context, preloadFile) {
      context.on('page', (page) => contentsOf(page));
      await context.addInitScript({ path: preloadFile });
      await context.exposeBinding('__ipcInvoke', async (source, channel: string, payload: string) => {
        const handler = handlers.get(channel);
        if (!handler) throw new Error(`No handler registered for '${channel}'`);
        const event = { sender: contentsOf(source.page), senderFrame: { url: source.frame.url() } };
        return encode(await handler(event, ...decode<unknown[]>(payload)));
      });
    },
  };
}
