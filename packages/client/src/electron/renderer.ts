/**
 * The renderer side of the desktop bridge, built in the preload script and exposed with
 * `contextBridge.exposeInMainWorld('syncline', api)`. Plain functions only (no classes, no `this`), so
 * it survives the context bridge; the `ipcRenderer` event object never reaches the page.
 */
import {
  BRIDGE_CHANNELS,
  type BridgeErrorBody,
  type BridgeResult,
  type BridgeStatus,
  type SessionInfo,
} from './channels.js';
import type { IpcRendererLike } from './types.js';

/** The API a window gets as `window.syncline` (plus the app's own methods on top). */
export interface SynclineRendererApi {
  sync: {
    enable(): Promise<BridgeStatus>;
    disable(): Promise<BridgeStatus>;
    status(): Promise<BridgeStatus>;
    /** Calls `listener` with the current status, then on every change; returns the unsubscribe function. */
    onStatus(listener: (status: BridgeStatus) => void): () => void;
  };
  auth: {
    signIn(email: string, password: string): Promise<SessionInfo>;
    signUp(email: string, password: string, name: string): Promise<SessionInfo>;
    signOut(options?: { clearData?: boolean }): Promise<void>;
    session(): Promise<SessionInfo | null>;
  };
  /** Invokes an app channel from the `invoke` allow-list; rejects with a {@link BridgeError}. */
  invoke<T = unknown>(channel: string, ...args: unknown[]): Promise<T>;
  /** Listens to an app channel from the `events` allow-list; returns the unsubscribe function. */
  // biome-ignore lint/suspicious/noExplicitAny: listeners declare the argument types of their channel (`(doc: Doc) => …`); `unknown[]` would reject them, since parameters are checked contravariantly.
  on(channel: string, listener: (...args: any[]) => void): () => void;
}

/** Options for {@link createRendererApi}. */
export interface RendererApiOptions {
  /** App channels the page may invoke (`docs:list`, …). Default none. */
  invoke?: readonly string[];
  /** App channels the page may listen to (`docs:changed`, …). Default none. */
  events?: readonly string[];
}

/**
 * An error from the main process. The message starts with `[CODE]` because Electron's context bridge
 * copies only an error's message into the page; {@link bridgeErrorCode} reads the code on either side.
 */
export class BridgeError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  constructor(body: BridgeErrorBody) {
    super(`[${body.code}] ${body.message}`);
    this.name = 'BridgeError';
    this.code = body.code;
    this.details = body.details;
  }
}

/**
 * The registry code of an error thrown by the bridge API, in the preload or in the page.
 *
 * @example
 * try { await window.syncline.auth.signIn(email, password); }
 * catch (e) { if (bridgeErrorCode(e) === 'AUTH_INVALID_SESSION') showWrongPassword(); }
 */
export function bridgeErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' ? /^\[([A-Z][A-Z0-9_]*)\] /.exec(message)?.[1] : undefined;
}

/**
 * Builds the renderer API over `ipcRenderer`. Only the bridge's channels and the allow-listed app
 * channels can be used.
 *
 * @example
 * // preload.ts
 * import { contextBridge, ipcRenderer } from 'electron';
 * contextBridge.exposeInMainWorld('syncline', createRendererApi(ipcRenderer, { invoke: ['docs:list'], events: ['docs:changed'] }));
 */
export function createRendererApi(
  ipcRenderer: IpcRendererLike,
  options: RendererApiOptions = {},
): SynclineRendererApi {
  const invokable = new Set(options.invoke ?? []);
  const listenable = new Set(options.events ?? []);
  const C = BRIDGE_CHANNELS;

  const call = async <T>(channel: string, ...args: unknown[]): Promise<T> => {
    const result = (await ipcRenderer.invoke(channel, ...args)) as BridgeResult<T> | undefined;
    if (!result || typeof result !== 'object' || typeof result.ok !== 'boolean') {
      throw new BridgeError({ code: 'CLIENT_INVALID_RESPONSE', message: `${channel}: not a bridge result` });
    }
    if (!result.ok) throw new BridgeError(result.error);
    return result.value;
  };
  const listen = (channel: string, listener: (...args: unknown[]) => void) => {
    const wrapped = (_event: unknown, ...args: unknown[]) => listener(...args);
    ipcRenderer.on(channel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  };

  return {
    sync: {
      enable: () => call(C.enable),
      disable: () => call(C.disable),
      status: () => call(C.status),
      onStatus(listener) {
        let pushed = false;
        let active = true;
        const off = listen(C.statusChanged, (status) => {
          const s = status as BridgeStatus;
          pushed = true;
          if (active) listener(s);
        });
        // The current status, unless a push (newer) arrived first.
        call<BridgeStatus>(C.status).then(
          (s) => {
            if (active && !pushed) listener(s);
          },
          () => undefined,
        );
        return () => {
          active = false;
          off();
        };
      },
    },
    auth: {
      signIn: (email, password) => call(C.signIn, email, password),
      signUp: (email, password, name) => call(C.signUp, email, password, name),
      signOut: (opts = {}) => call(C.signOut, { clearData: opts.clearData === true }),
      session: () => call(C.session),
    },
    invoke: (channel, ...args) => {
      if (!invokable.has(channel)) {
        return Promise.reject(
          new BridgeError({ code: 'CLIENT_USAGE', message: `channel "${channel}" is not exposed` }),
        );
      }
      return call(channel, ...args);
    },
    on(channel, listener) {
      if (!listenable.has(channel)) {
        throw new BridgeError({
          code: 'CLIENT_USAGE',
          message: `channel "${channel}" is not exposed`,
        });
      }
      return listen(channel, listener);
    },
  };
}
