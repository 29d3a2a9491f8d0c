/**
 * The main-process side of the desktop bridge: owns the session (kept by a {@link CredentialStore}),
 * the sync client, the enabled/disabled switch, and the IPC handlers; pushes the status to every window.
 * Transport-agnostic: it talks to `ipcMain`/`webContents` through the structural types in `types.ts`.
 */
import { createLogger, invalidOption, type Logger, SyncError } from '@syncline/errors';
import type { SynclineSchema } from '@syncline/schema';
import type { SyncClient } from '../client/index.js';
import type { SessionSource } from '../credentials/index.js';
import {
  BRIDGE_CHANNELS,
  type BridgeErrorBody,
  type BridgeResult,
  type BridgeStatus,
  type SessionInfo,
} from './channels.js';
import type { CredentialStore, StoredSession } from './credential-store.js';
import type { PasswordAuth } from './password-auth.js';
import type { IpcInvokeEventLike, IpcMainLike, WebContentsLike } from './types.js';

/** What an app handler receives besides the renderer's arguments. */
export interface BridgeContext<S extends SynclineSchema> {
  client: SyncClient<S>;
  /** The signed-in account, or null. */
  session: SessionInfo | null;
  event: IpcInvokeEventLike;
}

/** An app channel's handler (`docs:list`, …). Its return value must survive structured clone. */
export type BridgeHandler<S extends SynclineSchema> = (
  context: BridgeContext<S>,
  // biome-ignore lint/suspicious/noExplicitAny: each app handler declares its own argument types (`(ctx, id: string)`); `unknown[]` would reject them, since parameters are checked contravariantly.
  ...args: any[]
) => unknown;

/** Options for {@link createSyncController}. */
export interface SyncControllerOptions<S extends SynclineSchema> {
  /** Electron's `ipcMain`. Required. */
  ipcMain: IpcMainLike;
  /** The windows to push the status to, asked on every push, e.g. `() => BrowserWindow.getAllWindows().map((w) => w.webContents)`. Required. */
  targets: () => Iterable<WebContentsLike>;
  /** Keeps the session token (`createCredentialStore`). Required. */
  credentials: CredentialStore;
  /** Signs in/up/out at the API (`createPasswordAuth`). Required. */
  auth: PasswordAuth;
  /** Builds the sync client around the controller's session source (`createSyncClient({ auth: session, … })`). Required. */
  createClient: (session: SessionSource) => SyncClient<S>;
  /** App channels registered with `ipcMain.handle` next to the bridge's own. Default none. */
  handlers?: Record<string, BridgeHandler<S>>;
  /** Whether sync starts switched on. Default true. Persist the user's choice yourself if you need to. */
  enabled?: boolean;
  /** Refuse IPC from frames this returns false for (check `event.senderFrame.url`). Default: accept all. */
  allowSender?: (event: IpcInvokeEventLike) => boolean;
  /** Default: `createLogger({ name: 'desktop-bridge' })`. */
  logger?: Logger;
}

/** Made by {@link createSyncController}. */
export interface SyncController<S extends SynclineSchema> {
  readonly client: SyncClient<S>;
  /** Loads the stored session, opens the database and connects if enabled and signed in. Idempotent. */
  start(): Promise<void>;
  getStatus(): BridgeStatus;
  /** Main-process listeners (tray icon, menu); windows get pushes anyway. */
  subscribe(listener: (status: BridgeStatus) => void): () => void;
  enable(): Promise<BridgeStatus>;
  disable(): Promise<BridgeStatus>;
  signIn(email: string, password: string): Promise<SessionInfo>;
  signUp(email: string, password: string, name: string): Promise<SessionInfo>;
  /** Forgets the session here first (so it works offline), then revokes it at the API (best effort). */
  signOut(options?: { clearData?: boolean }): Promise<void>;
  /** Sends `channel` with `args` to every live window (e.g. a live query's rows). */
  publish(channel: string, ...args: unknown[]): void;
  /** Removes the IPC handlers and closes the client. */
  dispose(): Promise<void>;
}

/**
 * Creates the main-process sync controller and registers its IPC handlers right away (they wait for
 * {@link SyncController.start}, which the first call triggers), so a window that loads early never meets a
 * missing handler. Every handler answers a {@link BridgeResult}.
 *
 * @example
 * const controller = createSyncController({
 *   ipcMain,
 *   targets: () => BrowserWindow.getAllWindows().map((w) => w.webContents),
 *   credentials: createCredentialStore({ storage: fileStorage(sessionFile), cipher: safeStorageCipher(safeStorage) }),
 *   auth: createPasswordAuth({ apiUrl }),
 *   createClient: (session) => createSyncClient({ schema, apiUrl, auth: session, openDatabase }),
 *   handlers: { 'docs:list': ({ client }) => listDocuments(client) },
 * });
 * await controller.start();
 */
export function createSyncController<S extends SynclineSchema>(
  options: SyncControllerOptions<S>,
): SyncController<S> {
  validate(options);
  const { ipcMain, credentials, auth } = options;
  const log = options.logger ?? createLogger({ name: 'desktop-bridge' });
  let session: StoredSession | null = null;
  let enabled = options.enabled ?? true;
  let disposed = false;

  const source: SessionSource = {
    getSessionToken: () => session?.token ?? null,
    onSessionRejected: async (error) => {
      log.warn('the API rejected the stored session; signed out', { code: error.code });
      session = null;
      await credentials.clear();
      schedulePush();
    },
  };
  const client = options.createClient(source);

  // ── status fan-out ────────────────────────────────────────────────────────────────
  const listeners = new Set<(s: BridgeStatus) => void>();
  const info = (): SessionInfo | null => (session ? { userId: session.userId, email: session.email } : null);
  const getStatus = (): BridgeStatus => ({
    ...client.status.getSnapshot(),
    enabled,
    account: info(),
    credentials: credentials.protection,
  });
  let lastPushed = '';
  let pushScheduled = false;
  const publish = (channel: string, ...args: unknown[]) => {
    for (const target of options.targets()) {
      if (target.isDestroyed()) continue;
      try {
        target.send(channel, ...args);
      } catch (e) {
        log.warn('sending to a window failed', { channel, error: e });
      }
    }
  };
  const push = () => {
    pushScheduled = false;
    if (disposed) return;
    const status = getStatus();
    const key = JSON.stringify(status);
    if (key === lastPushed) return;
    lastPushed = key;
    publish(BRIDGE_CHANNELS.statusChanged, status);
    for (const l of [...listeners]) l(status);
  };
  /** Coalesces the changes of one tick into one push. */
  function schedulePush() {
    if (pushScheduled) return;
    pushScheduled = true;
    queueMicrotask(push);
  }

  // ── lifecycle, one operation at a time ───────────────────────────────────────────
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };
  let started: Promise<void> | undefined;
  let unsubscribe: (() => void) | undefined;
  const start = () => {
    started ??= exclusive(async () => {
      const stored = await credentials.load();
      if (stored && stored.apiUrl !== auth.apiUrl) {
        log.info('the stored session belongs to another API; ignoring it', { storedFor: stored.apiUrl });
      } else {
        session = stored;
      }
      await client.init();
      unsubscribe = client.status.subscribe(schedulePush);
      schedulePush();
      // Not fatal: the handlers must keep working (sign out, disable) even if this connect failed.
      if (enabled && session) await connect().catch(() => undefined);
    });
    return started;
  };
  /** `client.connect()` switches accounts if needed; network trouble leaves it retrying, never throwing. */
  const connect = async () => {
    try {
      await client.connect();
    } catch (e) {
      log.error('connecting failed', { error: e });
      throw e;
    }
  };

  const signedIn = async (next: AuthResultLike): Promise<SessionInfo> =>
    exclusive(async () => {
      const previous = session;
      session = { token: next.token, userId: next.userId, email: next.email, apiUrl: auth.apiUrl };
      await credentials.save(session);
      schedulePush();
      if (previous && previous.token !== next.token) {
        void auth
          .signOut(previous.token)
          .catch((e) => log.warn('revoking the previous session failed', { error: e }));
      }
      const owner = client.account.owner;
      if (enabled) await connect();
      else if (owner !== null && owner !== next.userId) {
        // Another user's data is on this device: switch now (connect does it), then honour "disabled".
        await connect();
        await client.disconnect();
      }
      return { userId: next.userId, email: next.email };
    });

  const controller: SyncController<S> = {
    client,
    start,
    getStatus,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    enable: async () => {
      await start();
      return exclusive(async () => {
        enabled = true;
        schedulePush();
        if (session) await connect();
        return getStatus();
      });
    },
    disable: async () => {
      await start();
      return exclusive(async () => {
        enabled = false;
        schedulePush();
        await client.disconnect();
        return getStatus();
      });
    },
    signIn: async (email, password) => {
      await start();
      return signedIn(await auth.signIn(requireString('email', email), requireString('password', password)));
    },
    signUp: async (email, password, name) => {
      await start();
      return signedIn(
        await auth.signUp(
          requireString('email', email),
          requireString('password', password),
          requireString('name', name),
        ),
      );
    },
    signOut: async (opts = {}) => {
      await start();
      const old = await exclusive(async () => {
        const s = session;
        session = null;
        await credentials.clear();
        schedulePush();
        await client.signOut({ clearData: opts.clearData === true });
        return s;
      });
      if (old)
        await auth.signOut(old.token).catch((e) => log.warn('revoking the session failed', { error: e }));
    },
    publish,
    async dispose() {
      if (disposed) return;
      disposed = true;
      for (const channel of registered) ipcMain.removeHandler(channel);
      unsubscribe?.();
      await exclusive(() => client.close());
    },
  };

  // ── IPC ─────────────────────────────────────────────────────────────────────────
  const registered: string[] = [];
  const handle = (channel: string, fn: (event: IpcInvokeEventLike, ...args: unknown[]) => unknown) => {
    ipcMain.handle(channel, async (event: IpcInvokeEventLike, ...args: unknown[]) => {
      if (options.allowSender && !options.allowSender(event)) {
        log.warn('refused IPC from an untrusted frame', { channel, url: event?.senderFrame?.url });
        throw new Error(`${channel}: this frame may not use the sync bridge`);
      }
      try {
        return { ok: true, value: await fn(event, ...args) } satisfies BridgeResult<unknown>;
      } catch (e) {
        return { ok: false, error: errorBody(e) } satisfies BridgeResult<unknown>;
      }
    });
    registered.push(channel);
  };
  const C = BRIDGE_CHANNELS;
  handle(C.enable, () => controller.enable());
  handle(C.disable, () => controller.disable());
  handle(C.status, async () => {
    await start();
    return getStatus();
  });
  // Renderer arguments are untrusted: signIn/signUp check them (requireString) before use.
  handle(C.signIn, (_e, email, password) => controller.signIn(email as string, password as string));
  handle(C.signUp, (_e, email, password, name) =>
    controller.signUp(email as string, password as string, name as string),
  );
  handle(C.signOut, (_e, opts) =>
    controller.signOut({ clearData: (opts as { clearData?: unknown } | undefined)?.clearData === true }),
  );
  handle(C.session, async () => {
    await start();
    return info();
  });
  for (const [channel, handler] of Object.entries(options.handlers ?? {})) {
    handle(channel, async (event, ...args) => {
      await start();
      return handler({ client, session: info(), event }, ...args);
    });
  }
  return controller;
}

interface AuthResultLike {
  token: string;
  userId: string;
  email: string;
}

/**
 * An error as a structured-clone-safe value: a SyncError keeps its code; an app error with an
 * UPPER_SNAKE `code` string (e.g. `CLIENT_NOT_FOUND`) keeps it too; anything else is `INTERNAL`.
 */
export function errorBody(e: unknown): BridgeErrorBody {
  const appCode = (e as { code?: unknown } | null)?.code;
  const err =
    !SyncError.is(e) &&
    e instanceof Error &&
    typeof appCode === 'string' &&
    /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(appCode) &&
    !appCode.startsWith('ERR_') // Node's own error codes
      ? { code: appCode, message: e.message, details: (e as { details?: unknown }).details }
      : SyncError.from(e);
  const body: BridgeErrorBody = { code: err.code, message: err.message };
  if (err.details !== undefined && err.details !== null) {
    try {
      body.details = JSON.parse(JSON.stringify(err.details)) as Record<string, unknown>;
    } catch {
      // details that do not serialise are dropped, the code and message stay
    }
  }
  return body;
}

function requireString(name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new SyncError('CLIENT_USAGE', `"${name}" must be a non-empty string`, {
      details: { argument: name },
    });
  }
  return value;
}

function validate<S extends SynclineSchema>(o: SyncControllerOptions<S>): void {
  const bad = (option: string, problem: string) => invalidOption('createSyncController', option, problem);
  if (!o || typeof o !== 'object') throw bad('options', 'must be an object');
  if (typeof o.ipcMain?.handle !== 'function' || typeof o.ipcMain.removeHandler !== 'function') {
    throw bad('ipcMain', "must be Electron's ipcMain (handle, removeHandler)");
  }
  if (typeof o.targets !== 'function') throw bad('targets', 'must be a function returning web contents');
  if (typeof o.credentials?.load !== 'function') throw bad('credentials', 'must be a CredentialStore');
  if (typeof o.auth?.signIn !== 'function') throw bad('auth', 'must be a PasswordAuth');
  if (typeof o.createClient !== 'function') throw bad('createClient', 'must be (session) => SyncClient');
  const own = new Set<string>(Object.values(BRIDGE_CHANNELS));
  for (const channel of Object.keys(o.handlers ?? {})) {
    if (own.has(channel)) throw bad('handlers', `uses the bridge's own channel "${channel}"`);
    if (typeof o.handlers![channel] !== 'function') throw bad('handlers', `"${channel}" must be a function`);
  }
}
