/**
 * The notes app's renderer API: `window.syncline` as the preload exposes it. Channel names and types
 * only (plus one small factory), so the preload bundle stays tiny.
 */
import { createRendererApi, type IpcRendererLike, type SynclineRendererApi } from '@syncline/client/electron';
import type { Note } from '../notes.js';

/** The notes app's own channels, next to the bridge's `sync:*` and `auth:*`. */
export const NOTES_CHANNELS = {
  list: 'docs:list',
  add: 'docs:add',
  edit: 'docs:edit',
  delete: 'docs:delete',
  /** Pushed with the live notes after every change (empty while signed out). */
  changed: 'docs:changed',
} as const;

/** `window.syncline` in the notes app. */
export interface NotesDesktopApi extends SynclineRendererApi {
  docs: {
    list(): Promise<Note[]>;
    add(input: { title: string; content?: string }): Promise<Note>;
    edit(id: string, patch: { title?: string; content?: string }): Promise<Note>;
    delete(id: string): Promise<void>;
    /** Live notes; returns the unsubscribe function. */
    onChange(listener: (notes: Note[]) => void): () => void;
  };
}

/**
 * Builds `window.syncline` for the notes app (call it in the preload).
 *
 * @example
 * contextBridge.exposeInMainWorld('syncline', createNotesRendererApi(ipcRenderer));
 */
export function createNotesRendererApi(ipcRenderer: IpcRendererLike): NotesDesktopApi {
  const C = NOTES_CHANNELS;
  const base = createRendererApi(ipcRenderer, {
    invoke: [C.list, C.add, C.edit, C.delete],
    events: [C.changed],
  });
  return {
    ...base,
    docs: {
      list: () => base.invoke<Note[]>(C.list),
      add: (input) => base.invoke<Note>(C.add, input),
      edit: (id, patch) => base.invoke<Note>(C.edit, id, patch),
      delete: (id) => base.invoke<void>(C.delete, id),
      onChange: (listener) => base.on(C.changed, listener),
    },
  };
}
