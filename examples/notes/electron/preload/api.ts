/**
 * The notes app's renderer API: `window.syncline` as the preload exposes it, and the channel names the
 * main process serves. Channel names, types and one small factory only, so the preload bundle stays tiny.
 *
 * Next to the bridge's `sync:*` and `auth:*` (`@syncline/client/electron`), the notes channels carry the
 * shared notes backend (`shared/backend.ts`) across the process boundary: live queries and writes by
 * name with plain-data arguments, rejected and quarantined changes.
 */
import type { SharedUser, SyncRejection } from '@syncline/client';
import { createRendererApi, type IpcRendererLike, type SynclineRendererApi } from '@syncline/client/electron';
import type { ActionArgs, ActionName, ActionResult } from '../../shared/data/actions.js';
import type { QueryArgs, QueryName, QueryRow } from '../../shared/data/queries.js';

/** The notes app's own channels. */
export const NOTES_CHANNELS = {
  /** → this device's id. */
  deviceId: 'notes:device-id',
  /** `(watchId, queryName, args)`: start a live query; rows arrive on {@link NOTES_CHANNELS.rows}. */
  watch: 'notes:watch',
  /** `(watchId)`: stop it. */
  unwatch: 'notes:unwatch',
  /** Pushed to the window that asked: `(watchId, rows)`. */
  rows: 'notes:rows',
  /** Pushed to the window that asked: `(watchId, { code, message })`; the watch has ended. */
  rowsError: 'notes:rows-error',
  /** `(actionName, args[])` → the action's result. */
  run: 'notes:run',
  rejectionsList: 'notes:rejections-list',
  rejectionsRetry: 'notes:rejections-retry',
  rejectionsDiscard: 'notes:rejections-discard',
  /** Moves the upload the server keeps failing aside (into the rejected changes), on the user's request. */
  setStuckAside: 'notes:set-stuck-aside',
  /** `(email)` → the account behind it (`{ id, email, name }`) or null: for sharing a project. */
  findUser: 'notes:find-user',
  quarantineRestore: 'notes:quarantine-restore',
  quarantineDiscard: 'notes:quarantine-discard',
} as const;

/** What a live query's window receives when its watch ends with an error. */
export interface WatchError {
  code: string;
  message: string;
}

/** `window.syncline` in the notes app. */
export interface NotesDesktopApi extends SynclineRendererApi {
  notes: {
    deviceId(): Promise<string>;
    /** Starts a live query in the main process; returns the stop function. */
    watch<K extends QueryName>(
      name: K,
      args: QueryArgs<K>,
      onRows: (rows: QueryRow<K>[]) => void,
      onError: (error: WatchError) => void,
    ): () => void;
    run<K extends ActionName>(name: K, ...args: ActionArgs<K>): Promise<ActionResult<K>>;
    rejections: {
      list(): Promise<SyncRejection[]>;
      retry(id: string): Promise<boolean>;
      discard(id: string): Promise<void>;
      setStuckAside(): Promise<void>;
    };
    sharing: { findUser(email: string): Promise<SharedUser | null> };
    quarantine: {
      restore(): Promise<{ restored: number; skipped: { reason: string }[] }>;
      discard(): Promise<void>;
    };
  };
}

/**
 * Builds `window.syncline` for the notes app (call it in the preload). One `notes:rows` listener serves
 * every live query of the window.
 *
 * @example
 * contextBridge.exposeInMainWorld('syncline', createNotesRendererApi(ipcRenderer));
 */
export function createNotesRendererApi(ipcRenderer: IpcRendererLike): NotesDesktopApi {
  const C = NOTES_CHANNELS;
  const base = createRendererApi(ipcRenderer, {
    invoke: [
      C.deviceId,
      C.watch,
      C.unwatch,
      C.run,
      C.rejectionsList,
      C.rejectionsRetry,
      C.rejectionsDiscard,
      C.setStuckAside,
      C.findUser,
      C.quarantineRestore,
      C.quarantineDiscard,
    ],
    events: [C.rows, C.rowsError],
  });
  // Rows arrive untyped over IPC; method syntax lets each watch keep its own query's row type.
  const watches = new Map<string, { onRows(rows: unknown[]): void; onError(e: WatchError): void }>();
  let listening = false;
  let next = 0;
  const instance = Math.random().toString(36).slice(2, 8);
  const listen = () => {
    if (listening) return;
    listening = true;
    base.on(C.rows, (id: string, rows: unknown[]) => watches.get(id)?.onRows(rows));
    base.on(C.rowsError, (id: string, error: WatchError) => {
      const w = watches.get(id);
      watches.delete(id);
      w?.onError(error);
    });
  };
  const errorOf = (e: unknown): WatchError => {
    const m = e instanceof Error ? e.message : String(e);
    const code = /^\[([A-Z][A-Z0-9_]*)\] /.exec(m)?.[1] ?? 'INTERNAL';
    return { code, message: m.replace(/^\[[A-Z][A-Z0-9_]*\] /, '') };
  };
  return {
    ...base,
    notes: {
      deviceId: () => base.invoke<string>(C.deviceId),
      watch(name, args, onRows, onError) {
        listen();
        const id = `${instance}-${++next}`;
        watches.set(id, { onRows, onError });
        base.invoke(C.watch, id, name, args ?? null).catch((e: unknown) => {
          if (!watches.delete(id)) return;
          onError(errorOf(e));
        });
        return () => {
          if (!watches.delete(id)) return;
          void base.invoke(C.unwatch, id).catch(() => undefined);
        };
      },
      run: (name, ...args) => base.invoke(C.run, name, args),
      rejections: {
        list: () => base.invoke(C.rejectionsList),
        retry: (id) => base.invoke(C.rejectionsRetry, id),
        discard: (id) => base.invoke(C.rejectionsDiscard, id),
        setStuckAside: () => base.invoke(C.setStuckAside),
      },
      sharing: { findUser: (email) => base.invoke(C.findUser, email) },
      quarantine: {
        restore: () => base.invoke(C.quarantineRestore),
        discard: () => base.invoke(C.quarantineDiscard),
      },
    },
  };
}
