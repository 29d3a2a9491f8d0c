/**
 * The notes app's Electron main process, without the `electron` import: `main.ts` passes Electron's
 * `ipcMain`, `safeStorage`, windows and paths; tests pass the in-memory fakes from
 * `@syncline/client/electron` and run it in plain Node against the real stack.
 *
 * In Electron, `@powersync/node` runs in the main process; its SQLite work runs in worker threads
 * (`openWorker`, see `powersync-worker.ts`). Windows reach the data only through the IPC channels below.
 */
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
import { NotesError } from '../errors.js';
import { addNote, deleteNote, editNote, listNotes, type Note, watchNotes } from '../notes.js';
import { NOTES_CHANNELS } from './api.js';

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
  /** Stops the live query, removes the IPC handlers, closes the database. */
  stop(): Promise<void>;
}

/**
 * Starts the sync controller with the notes channels (`docs:list`, `docs:add`, `docs:edit`,
 * `docs:delete`) and pushes the live notes to every window on `docs:changed`.
 *
 * @example
 * const desktop = await startNotesDesktop({ ipcMain, safeStorage, userDataDir: app.getPath('userData'),
 *   targets: () => BrowserWindow.getAllWindows().map((w) => w.webContents), apiUrl });
 */
export async function startNotesDesktop(options: NotesDesktopOptions): Promise<NotesDesktop> {
  const log = options.logger ?? createLogger({ name: 'notes-desktop' });
  await mkdir(options.userDataDir, { recursive: true, mode: 0o700 }); // @powersync/node needs it to exist
  const requireSession = (ctx: BridgeContext<typeof schema>) => {
    if (!ctx.session) throw new SyncError('CLIENT_NOT_SIGNED_IN', 'Sign in to see your notes.');
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
      [NOTES_CHANNELS.list]: (ctx) => {
        requireSession(ctx);
        return listNotes(ctx.client);
      },
      [NOTES_CHANNELS.add]: (ctx, input: unknown) => {
        requireSession(ctx);
        const i = object(input, 'note');
        return addNote(ctx.client, {
          title: text(i.title, 'title'),
          ...(i.content !== undefined ? { content: text(i.content, 'content', true) } : {}),
        });
      },
      [NOTES_CHANNELS.edit]: (ctx, id: unknown, patch: unknown) => {
        requireSession(ctx);
        const p = object(patch, 'patch');
        return editNote(ctx.client, text(id, 'id'), {
          ...(p.title !== undefined ? { title: text(p.title, 'title') } : {}),
          ...(p.content !== undefined ? { content: text(p.content, 'content', true) } : {}),
        });
      },
      [NOTES_CHANNELS.delete]: async (ctx, id: unknown) => {
        requireSession(ctx);
        await deleteNote(ctx.client, text(id, 'id'));
      },
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

  // Live notes to every window; nothing while signed out (the data of a signed-out user stays private).
  const live = new AbortController();
  let latest: Note[] = [];
  const publish = () =>
    controller.publish(NOTES_CHANNELS.changed, controller.getStatus().account ? latest : []);
  watchNotes(
    controller.client,
    (notes) => {
      latest = notes;
      publish();
    },
    { signal: live.signal, onError: (e) => log.error('live notes failed', { error: e }) },
  );
  let signedIn = controller.getStatus().account !== null;
  const offAccount = controller.subscribe((s) => {
    if ((s.account !== null) === signedIn) return;
    signedIn = s.account !== null;
    publish();
  });

  return {
    controller,
    async stop() {
      live.abort();
      offAccount();
      await controller.dispose();
    },
  };
}

function object(v: unknown, name: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new NotesError('CLIENT_USAGE', `"${name}" must be an object`);
  }
  return v as Record<string, unknown>;
}

function text(v: unknown, name: string, allowEmpty = false): string {
  if (typeof v !== 'string' || (!allowEmpty && v.trim() === '')) {
    throw new NotesError('CLIENT_USAGE', `"${name}" must be a ${allowEmpty ? '' : 'non-empty '}string`);
  }
  return v;
}
