/**
 * The notes app's Electron main process, without the `electron` import: `main.ts` passes Electron's
 * `ipcMain`, `safeStorage`, windows and paths; tests pass a stand-in for Electron's IPC transport and run
 * it in plain Node against the real stack (and the real renderer in Chromium).
 *
 * In Electron, `@powersync/node` runs in the main process; its SQLite work runs in worker threads
 * (`openWorker`, see `powersync-worker.ts`). Windows reach the data only through the IPC channels: the
 * bridge's `sync:*` / `auth:*` and the notes backend's `notes:*` (live queries and writes by name).
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PowerSyncDatabase, type WorkerOpener } from '@powersync/node';
import { createSyncClient } from '@syncline/client';
import {
  type BridgeContext,
  createCredentialStore,
  createPasswordAuth,
  createSyncController,
  fileStorage,
  type InsecureFallback,
  type IpcInvokeEventLike,
  type IpcMainLike,
  type SafeStorageLike,
  type SyncController,
  safeStorageCipher,
  type WebContentsLike,
} from '@syncline/client/electron';
import { createLogger, type Logger, SyncError } from '@syncline/errors';
import { schema } from '../../schema.js';
import { runAction } from '../../shared/data/actions.js';
import { loadDeviceId } from '../../shared/data/device.js';
import { NotesError } from '../../shared/data/errors.js';
import { buildQuery } from '../../shared/data/queries.js';
import { NOTES_CHANNELS as C } from '../preload/api.js';
import { createWatchRegistry, type WatchRegistry } from './watches.js';

/** Options for {@link startNotesDesktop}. */
export interface NotesDesktopOptions {
  /** Electron's `ipcMain`. */
  ipcMain: IpcMainLike;
  /** Every window's web contents, asked on each push: `() => BrowserWindow.getAllWindows().map((w) => w.webContents)`. */
  targets: () => Iterable<WebContentsLike>;
  /** Electron's `safeStorage` (call after `app.whenReady()`). */
  safeStorage: SafeStorageLike;
  /** `app.getPath('userData')`: holds `notes.db` and `session.json`. */
  userDataDir: string;
  /** The API, e.g. `http://127.0.0.1:3000` (what `npm start` runs). */
  apiUrl: string;
  /** How `@powersync/node` opens its SQLite workers; needed when the app is bundled (see `powersync-worker.ts`). */
  openWorker?: WorkerOpener;
  /** Without real encryption: `'memory'` (default: sign in again every start) or `'plaintext'` (0600 file). */
  insecureFallback?: InsecureFallback;
  /** Refuse IPC from other frames, e.g. `(e) => e.senderFrame?.url.startsWith('file://') === true`. */
  allowSender?: (event: IpcInvokeEventLike) => boolean;
  /** Whether sync starts switched on. Default true. */
  enabled?: boolean;
  logger?: Logger;
}

/** A running notes main process. */
export interface NotesDesktop {
  controller: SyncController<typeof schema>;
  /** The live queries running for windows. */
  watches: WatchRegistry;
  /** Ends the live queries, removes the IPC handlers, closes the database. */
  stop(): Promise<void>;
}

/**
 * Starts the sync controller with the notes channels: live queries pushed to the window that asked, the
 * writes of `shared/data/actions.ts`, rejected and quarantined changes — all refused while signed out.
 *
 * @example
 * const desktop = await startNotesDesktop({ ipcMain, safeStorage, userDataDir: app.getPath('userData'),
 *   targets: () => BrowserWindow.getAllWindows().map((w) => w.webContents), apiUrl });
 */
export async function startNotesDesktop(options: NotesDesktopOptions): Promise<NotesDesktop> {
  const log = options.logger ?? createLogger({ name: 'notes-desktop' });
  await mkdir(options.userDataDir, { recursive: true, mode: 0o700 }); // @powersync/node needs it to exist
  const watches = createWatchRegistry();
  let device: Promise<string> | undefined;
  const deviceId = (ctx: BridgeContext<typeof schema>) =>
    (device ??= loadDeviceId(ctx.client.db, randomUUID));
  const signedIn = (ctx: BridgeContext<typeof schema>) => {
    if (!ctx.session) throw new SyncError('CLIENT_NOT_SIGNED_IN', 'Sign in to see your notes.');
    return ctx.client;
  };
  const controller = createSyncController({
    ipcMain: options.ipcMain,
    targets: options.targets,
    credentials: createCredentialStore({
      storage: fileStorage(join(options.userDataDir, 'session.json')),
      cipher: safeStorageCipher(options.safeStorage),
      ...(options.insecureFallback ? { insecureFallback: options.insecureFallback } : {}),
      logger: log,
    }),
    auth: createPasswordAuth({ apiUrl: options.apiUrl }),
    createClient: (session) =>
      createSyncClient({
        schema,
        apiUrl: options.apiUrl,
        auth: session,
        openDatabase: (o) =>
          new PowerSyncDatabase({
            ...o,
            database: {
              // Absolute: @powersync/node keys its in-process sync lock by dbFilename.
              dbFilename: join(options.userDataDir, 'notes.db'),
              ...(options.openWorker ? { openWorker: options.openWorker } : {}),
            },
          }),
        powerSyncLogger: {
          log: (r) => {
            const fields = r.error ? { error: r.error } : undefined;
            if (r.level >= 40) log.warn(`powersync: ${r.message}`, fields);
            else log.debug(`powersync: ${r.message}`, fields);
          },
        },
        logger: log,
      }),
    handlers: {
      [C.deviceId]: (ctx) => {
        signedIn(ctx);
        return deviceId(ctx);
      },
      [C.watch]: (ctx, id: unknown, name: unknown, args: unknown) => {
        const client = signedIn(ctx);
        watches.start(ctx.event.sender, text(id, 'watch id'), client.db, buildQuery(client.db, name, args));
      },
      [C.unwatch]: (ctx, id: unknown) => {
        watches.stop(ctx.event.sender, text(id, 'watch id'));
      },
      [C.run]: async (ctx, name: unknown, args: unknown) => {
        const client = signedIn(ctx);
        return runAction({ db: client.db, deviceId: await deviceId(ctx), newId: randomUUID }, name, args);
      },
      [C.rejectionsList]: (ctx) => signedIn(ctx).rejections.list(),
      [C.rejectionsRetry]: (ctx, id: unknown) => signedIn(ctx).rejections.retry(text(id, 'id')),
      [C.rejectionsDiscard]: (ctx, id: unknown) => signedIn(ctx).rejections.discard(text(id, 'id')),
      [C.setStuckAside]: async (ctx) => {
        await signedIn(ctx).moveStuckUploadAside();
      },
      [C.findUser]: (ctx, email: unknown) => signedIn(ctx).sharing.findUser(text(email, 'email')),
      [C.quarantineRestore]: async (ctx) => {
        const r = await signedIn(ctx).quarantine.restore();
        return { restored: r.restored, skipped: r.skipped.map((s) => ({ reason: s.reason })) };
      },
      [C.quarantineDiscard]: (ctx) => signedIn(ctx).quarantine.discard(),
    },
    ...(options.allowSender ? { allowSender: options.allowSender } : {}),
    ...(options.enabled !== undefined ? { enabled: options.enabled } : {}),
    logger: log,
  });
  try {
    await controller.start();
  } catch (e) {
    await controller.dispose().catch(() => undefined);
    throw e;
  }

  // A signed-out window never sees the local data: signing out ends every live query.
  let wasSignedIn = controller.getStatus().account !== null;
  const offAccount = controller.subscribe((s) => {
    if ((s.account !== null) === wasSignedIn) return;
    wasSignedIn = s.account !== null;
    if (!wasSignedIn) watches.endAll({ code: 'CLIENT_NOT_SIGNED_IN', message: 'Sign in to see your notes.' });
  });

  return {
    controller,
    watches,
    async stop() {
      offAccount();
      watches.endAll({ code: 'CLIENT_CLOSED', message: 'The app is closing.' });
      await controller.dispose();
    },
  };
}

function text(v: unknown, name: string): string {
  if (typeof v !== 'string' || v.trim() === '') {
    throw new NotesError('CLIENT_USAGE', `"${name}" must be a non-empty string`);
  }
  return v;
}
