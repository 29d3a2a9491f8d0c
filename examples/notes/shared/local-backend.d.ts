import type { AuthApi, StoredSession } from './auth.js';
import type { NotesBackend, NotesSession, Observable, SessionEnd } from './backend.js';
import type { NotesClient } from './data/db.js';
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
export declare function createSessionHolder(storage: SessionStorage): Promise<SessionState>;
/**
 * Builds the backend over a sync client whose `auth` is `sessions`.
 *
 * @example
 * const backend = createLocalBackend({ platform: 'web', client, sessions, auth: createAuthApi(apiUrl, fetch),
 *   network: browserNetwork, deviceId, newId: () => crypto.randomUUID() });
 */
export declare function createLocalBackend(options: LocalBackendOptions): LocalBackend;
