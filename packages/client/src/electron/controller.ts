/**
 * The main-process side of the desktop bridge: owns the session (kept by a {@link CredentialStore}),
 * the sync client, the enabled/disabled switch, and the IPC handlers; pushes the status to every window.
 * Transport-agnostic: it talks to `ipcMain`/`webContents` through the structural types in `types.ts`.
 */
import { createLogger } from '@syncline/errors';
import type { SynclineSchema } from '@syncline/schema';
import type { SessionSource } from '../credentials/index.js';
import { BRIDGE_CHANNELS, type BridgeResult, type BridgeStatus, type SessionInfo } from './channels.js';
import {
  requireString,
  type SyncController,
  type SyncControllerOptions,
  validate,
} from './controller-options.js';
import type { StoredSession } from './credential-store.js';
import { errorBody } from './error-body.js';
import type { IpcInvokeEventLike } from './types.js';

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
