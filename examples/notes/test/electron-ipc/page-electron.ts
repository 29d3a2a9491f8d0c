/**
 * The `electron` module as the notes preload sees it in the test: `ipcRenderer` over Playwright bindings to
 * the Node process running the real main-process code (`window.__ipcInvoke`, installed by `harness.ts`;
 * pushes arrive through `window.__ipcDeliver`), and `contextBridge` putting the API on `window`. Only
 * Electron's transport is replaced; the preload's own code is bundled from `electron/preload/preload.ts`.
 */
import { decode, encode } from './codec.js';

type Listener = (event: unknown, ...args: unknown[]) => void;

interface IpcWindow {
  __ipcInvoke(channel: string, payload: string | undefined): Promise<string | undefined>;
  __ipcDeliver(channel: string, payload: string): void;
  [key: string]: unknown;
}
const w = globalThis as unknown as IpcWindow;
const listeners = new Map<string, Set<Listener>>();

export const ipcRenderer = {
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    return decode(await w.__ipcInvoke(channel, encode(args)));
  },
  on(channel: string, listener: Listener) {
    const set = listeners.get(channel) ?? new Set<Listener>();
    listeners.set(channel, set);
    set.add(listener);
    return ipcRenderer;
  },
  removeListener(channel: string, listener: Listener) {
    listeners.get(channel)?.delete(listener);
    return ipcRenderer;
  },
};

w.__ipcDeliver = (channel, payload) => {
  const args = decode<unknown[]>(payload);
  for (const l of [...(listeners.get(channel) ?? [])]) l({ sender: ipcRenderer }, ...args);
};

export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown) {
    w[key] = api;
  },
};
