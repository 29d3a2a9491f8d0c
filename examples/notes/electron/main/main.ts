/**
 * Electron main process of the notes app: `npm run electron -w @syncline/example-notes` builds it
 * (`electron/build.mjs`: this file and `powersync-worker.ts` for Node, `preload.ts` as CommonJS, the
 * renderer with Vite) into `electron/dist/` and starts Electron. Type-checked against Electron's own types;
 * everything but this file is tested without Electron (see README.md).
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { app, BrowserWindow, ipcMain, safeStorage } from 'electron';
import { startNotesDesktop } from './notes-main.js';

const apiUrl = process.env.SYNCLINE_API_URL ?? 'http://127.0.0.1:3000';
const here = import.meta.dirname;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 360,
    title: 'Syncline notes',
    webPreferences: {
      preload: join(here, 'preload.cjs'),
      contextIsolation: true, // the page sees only window.syncline
      sandbox: true,
      nodeIntegration: false,
    },
  });
  void win.loadFile(join(here, 'renderer', 'index.html'));
  return win;
}

await app.whenReady(); // safeStorage needs the ready event on Linux and Windows
const desktop = await startNotesDesktop({
  ipcMain,
  safeStorage,
  targets: () => BrowserWindow.getAllWindows().map((w) => w.webContents),
  userDataDir: app.getPath('userData'),
  apiUrl,
  // Only our own pages may use the bridge.
  allowSender: (event) => event.senderFrame?.url.startsWith('file://') === true,
  // Packaged apps: load the bundled worker (see powersync-worker.ts) instead of @powersync/node's default path.
  ...(app.isPackaged
    ? { openWorker: (_path, options) => new Worker(join(here, 'powersync-worker.js'), options) }
    : {}),
});
createWindow();

app.on('activate', () => {
  if (BrowserWindow.getAllWindows().length === 0) createWindow();
});
app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
let stopping = false;
app.on('before-quit', (event) => {
  if (stopping) return;
  stopping = true;
  event.preventDefault(); // close the database cleanly first
  desktop.stop().finally(() => app.quit());
});
