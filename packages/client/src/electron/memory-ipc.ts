/**
 * An in-memory stand-in for Electron's IPC, for tests in plain Node: `ipcMain` (handle/removeHandler),
 * windows with `webContents.send`, and each window's `ipcRenderer` (invoke/on/removeListener). It behaves
 * like Electron where tests could be fooled: arguments and results are structured-cloned (a function or a
 * class instance does not survive), delivery is asynchronous, an error thrown by a handler reaches the
 * renderer only as a message, a second handler for a channel and sending to a destroyed window throw.
 */
import type { IpcInvokeEventLike, IpcMainLike, IpcRendererLike, WebContentsLike } from './types.js';

/** A window of {@link createMemoryIpc}. */
export interface MemoryWindow {
  readonly id: number;
  /** The page URL (what `event.senderFrame.url` reports). */
  readonly url: string;
  readonly webContents: WebContentsLike & { readonly id: number };
  /** What the window's preload would use. */
  readonly ipcRenderer: IpcRendererLike;
  /** Every message pushed to this window, in order (after delivery). */
  readonly received: { channel: string; args: unknown[] }[];
  /** Closes the window: later sends throw, invokes reject. */
  destroy(): void;
}

/** Made by {@link createMemoryIpc}. */
export interface MemoryIpc {
  readonly ipcMain: IpcMainLike & { readonly channels: readonly string[] };
  createWindow(options?: { url?: string }): MemoryWindow;
  /** The web contents of the open windows (like `BrowserWindow.getAllWindows()`). */
  webContents(): WebContentsLike[];
  /** Resolves once every message and invocation in flight has been delivered. */
  flush(): Promise<void>;
}

type Listener = (event: unknown, ...args: unknown[]) => void;

/**
 * Creates an in-memory IPC bus.
 *
 * @example
 * const ipc = createMemoryIpc();
 * const controller = createSyncController({ ipcMain: ipc.ipcMain, targets: () => ipc.webContents(), … });
 * const win = ipc.createWindow();
 * const api = createRendererApi(win.ipcRenderer);
 * await api.sync.disable();
 */
export function createMemoryIpc(): MemoryIpc {
  const handlers = new Map<string, (event: IpcInvokeEventLike, ...args: unknown[]) => unknown>();
  const windows: MemoryWindow[] = [];
  const inFlight = new Set<Promise<unknown>>();
  let nextId = 1;
  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    const done = () => inFlight.delete(p);
    p.then(done, done);
    return p;
  };
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

  const ipcMain: MemoryIpc['ipcMain'] = {
    get channels() {
      return [...handlers.keys()];
    },
    handle(channel, listener) {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, listener);
    },
    removeHandler(channel) {
      handlers.delete(channel);
    },
  };

  return {
    ipcMain,
    createWindow(options = {}) {
      const id = nextId++;
      const url = options.url ?? `app://window-${id}/index.html`;
      const listeners = new Map<string, Set<Listener>>();
      let destroyed = false;
      const received: MemoryWindow['received'] = [];
      const webContents = {
        id,
        isDestroyed: () => destroyed,
        send(channel: string, ...args: unknown[]) {
          if (destroyed) throw new Error('Object has been destroyed');
          const copy = structuredClone(args);
          track(
            tick().then(() => {
              if (destroyed) return;
              received.push({ channel, args: copy });
              for (const l of [...(listeners.get(channel) ?? [])]) l({ senderId: 0 }, ...copy);
            }),
          );
        },
      };
      const ipcRenderer: IpcRendererLike = {
        invoke(channel, ...args) {
          if (destroyed)
            return Promise.reject(
              new Error('Render frame was disposed before WebFrameMain could be accessed'),
            );
          let copy: unknown[];
          try {
            copy = structuredClone(args);
          } catch {
            return Promise.reject(new Error('An object could not be cloned.'));
          }
          return track(
            tick().then(async () => {
              const handler = handlers.get(channel);
              if (!handler) {
                throw new Error(
                  `Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`,
                );
              }
              const event: IpcInvokeEventLike = {
                sender: webContents,
                senderFrame: destroyed ? null : { url },
              };
              let result: unknown;
              try {
                result = await handler(event, ...copy);
              } catch (e) {
                throw new Error(`Error invoking remote method '${channel}': ${String(e)}`);
              }
              return structuredClone(result);
            }),
          );
        },
        on(channel, listener) {
          const set = listeners.get(channel) ?? new Set<Listener>();
          listeners.set(channel, set);
          set.add(listener);
          return ipcRenderer;
        },
        removeListener(channel, listener) {
          listeners.get(channel)?.delete(listener);
          return ipcRenderer;
        },
      };
      const win: MemoryWindow = {
        id,
        url,
        webContents,
        ipcRenderer,
        received,
        destroy() {
          destroyed = true;
          windows.splice(windows.indexOf(win), 1);
        },
      };
      windows.push(win);
      return win;
    },
    webContents: () => windows.map((w) => w.webContents),
    async flush() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      await tick();
    },
  };
}
