/**
 * The notes backend in an Electron window: everything goes through `window.syncline` (the preload's
 * `contextBridge` API) to the main process, which owns the database, the session and the connection.
 * The window never sees the token or the database; it gets the status pushed (`sync:status-changed`) and
 * the rows of its live queries (`notes:rows`).
 */
import type { BridgeStatus } from '@syncline/client/electron';
import { SyncError } from '@syncline/errors';
import type { NotesBackend, NotesSession, NotesStatus, Observable } from '../../shared/backend.js';
import type { NotesDesktopApi } from '../preload/api.js';

/** Turns an error the bridge rethrew (`[CODE] message`) back into a SyncError-like value with its code. */
function withCode(e: unknown): never {
  const message = e instanceof Error ? e.message : String(e);
  const m = /^\[([A-Z][A-Z0-9_]*)\] ([\s\S]*)$/.exec(message);
  if (!m) throw e;
  const details = (e as { details?: Record<string, unknown> }).details;
  throw Object.assign(new Error(m[2]), { code: m[1], ...(details ? { details } : {}) });
}
const coded = <T>(p: Promise<T>): Promise<T> => p.catch(withCode);

/**
 * Waits for the first status push, then builds the backend.
 *
 * @example
 * const backend = await createIpcBackend(window.syncline);
 */
export async function createIpcBackend(api: NotesDesktopApi): Promise<NotesBackend> {
  let status: BridgeStatus | null = null;
  let snapshot: NotesStatus | null = null;
  let session: NotesSession | null = null;
  let deviceId = '';
  let ended: 'expired' | null = null;
  let signingOut = false;
  const listeners = new Set<() => void>();
  const first = new Promise<void>((resolve) => {
    api.sync.onStatus((s) => {
      const wasSignedIn = status?.account != null;
      status = s;
      snapshot = { ...s };
      const account = s.account;
      if (account?.userId !== session?.userId) {
        // The main process signed out by itself (the API rejected the session): say so on the sign-in screen.
        if (!account && wasSignedIn && !signingOut) ended = 'expired';
        session = account ? { userId: account.userId, email: account.email, name: '' } : null;
      }
      resolve();
      for (const l of [...listeners]) l();
    });
  });
  await first;
  const loadDevice = async () => {
    if (session && !deviceId) deviceId = await api.notes.deviceId().catch(() => '');
  };
  await loadDevice();
  const subscribe = (l: () => void) => {
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  };
  const statusObs: Observable<NotesStatus> = { subscribe, getSnapshot: () => snapshot! };
  const sessionObs: Observable<NotesSession | null> = { subscribe, getSnapshot: () => session };

  return {
    platform: 'desktop',
    get deviceId() {
      return deviceId;
    },
    session: sessionObs,
    status: statusObs,
    sessionEnd: () => ended,
    auth: {
      async signIn(email, password) {
        ended = null;
        await coded(api.auth.signIn(email.trim(), password));
        await loadDevice();
      },
      async signUp(name, email, password) {
        ended = null;
        const n = name.trim() || email.trim().split('@')[0] || 'Me';
        await coded(api.auth.signUp(email.trim(), password, n));
        await loadDevice();
      },
      async signOut(o = {}) {
        signingOut = true;
        await coded(api.auth.signOut({ clearData: o.clearData === true })).finally(() => {
          signingOut = false;
        });
      },
    },
    watch(name, args, listener) {
      return api.notes.watch(name, args, listener.onRows, (e) =>
        listener.onError(new SyncError(e.code as never, e.message)),
      );
    },
    run: (name, ...args) => coded(api.notes.run(name, ...args)),
    rejections: {
      list: () => coded(api.notes.rejections.list()),
      retry: (id) => coded(api.notes.rejections.retry(id)),
      discard: (id) => coded(api.notes.rejections.discard(id)),
      setStuckAside: () => coded(api.notes.rejections.setStuckAside()),
    },
    sharing: { findUser: (email) => coded(api.notes.sharing.findUser(email)) },
    quarantine: {
      restore: () => coded(api.notes.quarantine.restore()),
      discard: () => coded(api.notes.quarantine.discard()),
    },
    sync: {
      enable: async () => void (await coded(api.sync.enable())),
      disable: async () => void (await coded(api.sync.disable())),
    },
  };
}
