/**
 * The notes backend of the apps that own their database (web, mobile): a `@syncline/client` sync client on
 * the platform's PowerSync database, the session kept in the platform's storage, and the network state
 * the platform reports. It connects after every sign-in (switching the local data to that user if another
 * owned it), disconnects while the device is offline and reconnects at once when it is back.
 */
import { SyncError } from '@syncline/errors';
import type { AuthApi, StoredSession } from './auth.js';
import type { NotesBackend, NotesSession, NotesStatus, Observable, SessionEnd } from './backend.js';
import { runAction } from './data/actions.js';
import type { NotesClient, WriteContext } from './data/db.js';
import { buildQuery } from './data/queries.js';

/** Where the platform keeps the session (web: `localStorage`; mobile: the OS key store). */
export interface SessionStorage {
  load(): Promise<StoredSession | null>;
  save(session: StoredSession | null): Promise<void>;
  /** Another tab changed it (web): called with the new session. */
  subscribe?(listener: (session: StoredSession | null) => void): () => void;
}

/** The device's network state (web: `online`/`offline` events; mobile: NetInfo). */
export interface NetworkSource {
  /** Calls `listener` on every change (not necessarily with the current state); returns the stop function. */
  subscribe(listener: (online: boolean) => void): () => void;
}

/** Options for {@link createLocalBackend}. */
export interface LocalBackendOptions {
  platform: 'web' | 'mobile';
  client: NotesClient;
  auth: AuthApi;
  /** Made by {@link createSessionHolder}; also the client's `auth` option. */
  sessions: SessionState;
  network?: NetworkSource;
  deviceId: string;
  newId: () => string;
}

/** A {@link NotesBackend} that also owns the client's session. */
export interface LocalBackend extends NotesBackend {
  readonly client: NotesClient;
  /** Stops listening to the network and closes the client. */
  close(): Promise<void>;
}

/** The session source `createSyncClient` needs, backed by the session store below. */
export interface SessionHolder {
  getSessionToken(): string | null;
  onSessionRejected(): void;
  signOut(): void;
}

/** Made by {@link createSessionHolder}: the session in memory, persisted through a {@link SessionStorage}. */
export interface SessionState extends Observable<NotesSession | null>, SessionHolder {
  current(): StoredSession | null;
  end(): SessionEnd;
  set(session: StoredSession | null, end?: SessionEnd): void;
}

/**
 * Loads the stored session and keeps it: the client asks it for the token, the UI subscribes to it.
 * Create it before the client (the client's `auth` option), then pass both to {@link createLocalBackend}.
 *
 * @example
 * const sessions = await createSessionHolder(localStorageSessions);
 * const client = createSyncClient({ schema, apiUrl, auth: sessions, openDatabase });
 */
export async function createSessionHolder(storage: SessionStorage): Promise<SessionState> {
  let current = await storage.load().catch(() => null);
  let info: NotesSession | null = toInfo(current);
  let end: SessionEnd = null;
  const listeners = new Set<() => void>();
  const emit = () => {
    for (const l of [...listeners]) l();
  };
  const apply = (s: StoredSession | null) => {
    current = s;
    info = toInfo(s);
    emit();
  };
  storage.subscribe?.((s) => apply(s));
  const state: SessionState = {
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    getSnapshot: () => info,
    current: () => current,
    end: () => end,
    set(s, reason = null) {
      end = s ? null : reason;
      void storage.save(s).catch((e) => console.warn('[notes] saving the session failed', e));
      apply(s);
    },
    getSessionToken: () => current?.token ?? null,
    // The API no longer accepts the session (revoked or expired): back to the sign-in screen.
    onSessionRejected: () => state.set(null, 'expired'),
    signOut: () => state.set(null),
  };
  return state;
}

function toInfo(s: StoredSession | null): NotesSession | null {
  return s ? { userId: s.userId, email: s.email, name: s.name } : null;
}

/**
 * Builds the backend over a sync client whose `auth` is `sessions`.
 *
 * @example
 * const backend = createLocalBackend({ platform: 'web', client, sessions, auth: createAuthApi(apiUrl, fetch),
 *   network: browserNetwork, deviceId, newId: () => crypto.randomUUID() });
 */
export function createLocalBackend(options: LocalBackendOptions): LocalBackend {
  const { client, sessions, auth } = options;
  const ctx: WriteContext = { db: client.db, deviceId: options.deviceId, newId: options.newId };

  const connect = () => {
    if (!sessions.current()) return;
    client.connect().catch((e) => console.warn('[notes] connecting failed', SyncError.from(e).code, e));
  };
  // Connect at start (a stored session) and after every sign-in; the client switches accounts if needed.
  let token = sessions.current()?.token ?? null;
  const offSession = sessions.subscribe(() => {
    const next = sessions.current()?.token ?? null;
    if (next === token) return;
    token = next;
    connect();
  });
  connect();
  // Follow the network: stop syncing while offline (writes keep going to the local database and queue
  // up), reconnect at once when it is back rather than at the next retry.
  const offNetwork = options.network?.subscribe((online) => {
    if (!sessions.current()) return;
    if (online) connect();
    else void client.disconnect().catch(() => undefined);
  });

  let last: NotesStatus | null = null;
  let lastOf: unknown = null;
  const status: Observable<NotesStatus> = {
    subscribe: client.status.subscribe,
    getSnapshot() {
      const s = client.status.getSnapshot();
      if (s !== lastOf) {
        lastOf = s;
        last = { ...s, enabled: true };
      }
      return last!;
    },
  };

  return {
    platform: options.platform,
    deviceId: options.deviceId,
    client,
    session: sessions,
    status,
    sessionEnd: () => sessions.end(),
    auth: {
      async signIn(email, password) {
        sessions.set(await auth.signIn(email.trim(), password));
      },
      async signUp(name, email, password) {
        const n = name.trim() || email.trim().split('@')[0] || 'Me';
        sessions.set(await auth.signUp(n, email.trim(), password));
      },
      async signOut(o = {}) {
        const old = sessions.current();
        // Local first (works offline): stop syncing, forget the session; then revoke it at the API.
        await client.signOut({ clearData: o.clearData === true }); // calls sessions.signOut()
        if (old) void auth.revoke(old.token);
      },
    },
    watch(name, args, listener) {
      const abort = new AbortController();
      try {
        client.db.watch(
          buildQuery(client.db, name, args) as Parameters<NotesClient['db']['watch']>[0],
          {
            onResult: (rows) => {
              if (!abort.signal.aborted) listener.onRows(rows as never[]);
            },
            onError: (e) => {
              if (!abort.signal.aborted) listener.onError(e);
            },
          },
          { signal: abort.signal },
        );
      } catch (e) {
        listener.onError(e);
      }
      return () => abort.abort();
    },
    run: (name, ...args) => runAction(ctx, name, args) as never,
    rejections: {
      list: () => client.rejections.list(),
      retry: (id) => client.rejections.retry(id),
      discard: (id) => client.rejections.discard(id),
      setStuckAside: async () => {
        await client.moveStuckUploadAside();
      },
    },
    sharing: { findUser: (email) => client.sharing.findUser(email) },
    quarantine: {
      restore: () => client.quarantine.restore(),
      discard: () => client.quarantine.discard(),
    },
    async close() {
      offSession();
      offNetwork?.();
      await client.close();
    },
  };
}
