/**
 * The desktop client core: a `@syncline/client` on `@powersync/node` in a profile directory, its session
 * in the profile's 0600 session file, sign-in/up/out against the API, the notes operations, and waits
 * for uploads and sync. The CLI (`commands.ts`) is a thin layer over it; tests run it in-process.
 */
import type { SyncOptions } from '@powersync/common';
import { PowerSyncDatabase } from '@powersync/node';
import { createSyncClient, type FetchLike, type SyncClientStatus } from '@syncline/client';
import {
  type CredentialStore,
  createCredentialStore,
  createPasswordAuth,
  fileStorage,
  type PasswordAuth,
  type SessionInfo,
  type StoredSession,
} from '@syncline/client/electron';
import { createLogger, type Logger, SyncError } from '@syncline/errors';
import { schema } from '../schema.js';
import {
  addNote,
  deleteNote,
  editNote,
  listNotes,
  type Note,
  type NotesClient,
  watchNotes,
} from './notes.js';
import { lockProfile, type Profile } from './profile.js';

/** The API `npm start` runs. */
export const DEFAULT_API_URL = 'http://127.0.0.1:3000';

/** Options for {@link openDesktopClient}. */
export interface DesktopClientOptions {
  /** The profile (see `resolveProfile`). Required. */
  profile: Profile;
  /** The API. Default: the stored session's API, else {@link DEFAULT_API_URL}. */
  apiUrl?: string;
  /** Recorded in the profile lock (shown to a second process). Default `'desktop'`. */
  command?: string;
  /** Default: `createLogger({ name: 'notes-desktop', level: 'warn' })`. */
  logger?: Logger;
  fetch?: FetchLike;
  /** PowerSync `connect()` options. Default: quick retries and uploads, suited to a CLI. */
  sync?: SyncOptions;
}

/** Made by {@link openDesktopClient}. */
export interface DesktopClient {
  readonly profile: Profile;
  readonly apiUrl: string;
  readonly client: NotesClient;
  /** The signed-in account, or null. */
  session(): SessionInfo | null;
  signIn(email: string, password: string): Promise<SessionInfo>;
  signUp(email: string, password: string, name: string): Promise<SessionInfo>;
  /** Forgets the session here, revokes it at the API (best effort); `clearData` also wipes the synced data. */
  signOut(options?: { clearData?: boolean }): Promise<void>;
  /** Connects (needs a session: `CLIENT_NOT_SIGNED_IN` otherwise). */
  connect(): Promise<void>;
  list(): Promise<Note[]>;
  add(input: { title: string; content?: string }): Promise<Note>;
  edit(id: string, patch: { title?: string; content?: string }): Promise<Note>;
  remove(id: string): Promise<void>;
  /** Live notes: `onNotes` now and after every change, until `signal` aborts. */
  watch(onNotes: (notes: Note[]) => void, signal: AbortSignal): void;
  status(): SyncClientStatus;
  /** Resolves true once nothing waits for upload, false after `timeoutMs`. */
  waitForUploads(timeoutMs: number): Promise<boolean>;
  /** Resolves true once connected, a checkpoint of this connection completed and nothing waits for upload. */
  waitForSync(timeoutMs: number): Promise<boolean>;
  /** Disconnects, closes the database and releases the profile. */
  close(): Promise<void>;
}

/**
 * Opens a profile: takes its lock, loads its session, opens the SQLite database (`notes.db` in the
 * profile directory). Does not connect; call `connect()` (the CLI does for every data command).
 *
 * @example
 * const desktop = await openDesktopClient({ profile: resolveProfile({ profile: 'work' }) });
 * await desktop.signIn('demo@syncline.dev', 'syncline-demo-password');
 * await desktop.add({ title: 'hello' });
 * await desktop.waitForUploads(10_000);
 * await desktop.close();
 */
export async function openDesktopClient(options: DesktopClientOptions): Promise<DesktopClient> {
  const { profile } = options;
  const log = options.logger ?? createLogger({ name: 'notes-desktop', level: 'warn' });
  const release = await lockProfile(profile, options.command ?? 'desktop');
  try {
    // The file's 0600 permissions (in a 0700 directory) protect the token, like `gh` or `npm` do; there
    // is no OS key store in plain Node. The Electron app encrypts it with safeStorage instead.
    const credentials: CredentialStore = createCredentialStore({
      storage: fileStorage(profile.sessionFile),
      cipher: null,
      logger: log,
    });
    let session: StoredSession | null = await credentials.load();
    const apiUrl = (options.apiUrl ?? session?.apiUrl ?? DEFAULT_API_URL).replace(/\/+$/, '');
    if (session && session.apiUrl !== apiUrl) {
      log.warn('the stored session is for another API; sign in again', { storedFor: session.apiUrl });
      session = null;
    }
    const auth: PasswordAuth = createPasswordAuth({
      apiUrl,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    const client = createSyncClient({
      schema,
      apiUrl,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      auth: {
        getSessionToken: () => session?.token ?? null,
        onSessionRejected: async (error) => {
          log.warn('the API rejected the stored session; sign in again', { code: error.code });
          session = null;
          await credentials.clear();
        },
      },
      // An absolute dbFilename: @powersync/node keys its in-process sync lock by it, so two clients of
      // profiles with the same file name (`notes.db`) in one process would otherwise block each other.
      openDatabase: (o) => new PowerSyncDatabase({ ...o, database: { dbFilename: profile.dbFile } }),
      powerSyncLogger: {
        log: (r) => {
          if (r.level >= 40) log.warn(`powersync: ${r.message}`, r.error ? { error: r.error } : undefined);
        },
      },
      sync: options.sync ?? { retryDelayMs: 1000, crudUploadThrottleMs: 50 },
      upload: { backoffMaxMs: 5000 },
      logger: log,
    });
    await client.init();

    const signedIn = async (s: { token: string; userId: string; email: string }) => {
      const previous = session;
      session = { ...s, apiUrl };
      await credentials.save(session);
      if (previous && previous.token !== s.token) {
        await auth
          .signOut(previous.token)
          .catch((e) => log.warn('revoking the previous session failed', { error: e }));
      }
      await connect(); // switches accounts if another user's data is here
      return { userId: s.userId, email: s.email };
    };
    const requireSession = () => {
      if (!session) {
        throw new SyncError(
          'CLIENT_NOT_SIGNED_IN',
          `Not signed in (profile "${profile.name}"). Run sign-in first.`,
        );
      }
    };
    const until = (predicate: (s: SyncClientStatus) => boolean, timeoutMs: number) =>
      new Promise<boolean>((resolve) => {
        if (predicate(client.status.getSnapshot())) return resolve(true);
        const off = client.status.subscribe(() => {
          if (!predicate(client.status.getSnapshot())) return;
          cleanup();
          resolve(true);
        });
        const timer = setTimeout(() => {
          cleanup();
          resolve(false);
        }, timeoutMs);
        const cleanup = () => {
          off();
          clearTimeout(timer);
        };
      });

    let closed = false;
    let connectedAt = 0; // waitForSync wants a checkpoint of the current connection
    const connect = async () => {
      connectedAt = Date.now();
      await client.connect();
    };
    return {
      profile,
      apiUrl,
      client,
      session: () => (session ? { userId: session.userId, email: session.email } : null),
      signIn: async (email, password) => signedIn(await auth.signIn(email, password)),
      signUp: async (email, password, name) => signedIn(await auth.signUp(email, password, name)),
      async signOut(o = {}) {
        const old = session;
        session = null;
        await credentials.clear();
        await client.signOut({ clearData: o.clearData === true });
        if (old)
          await auth.signOut(old.token).catch((e) => log.warn('revoking the session failed', { error: e }));
      },
      async connect() {
        requireSession();
        await connect();
      },
      list: () => listNotes(client),
      add: (input) => addNote(client, input),
      edit: (id, patch) => editNote(client, id, patch),
      remove: (id) => deleteNote(client, id),
      watch: (onNotes, signal) =>
        watchNotes(client, onNotes, { signal, onError: (e) => log.error('watch failed', { error: e }) }),
      status: () => client.status.getSnapshot(),
      async waitForUploads(timeoutMs) {
        // The upload queue itself, not the status: its count is refreshed asynchronously after a write.
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          if ((await client.powersync.getUploadQueueStats()).count === 0) return true;
          if (Date.now() >= deadline) return false;
          await new Promise((r) => setTimeout(r, 50));
        }
      },
      waitForSync(timeoutMs) {
        const since = connectedAt;
        return until(
          (s) => s.state === 'synced' && s.pendingUploads === 0 && (s.lastSyncedAt?.getTime() ?? 0) >= since,
          timeoutMs,
        );
      },
      async close() {
        if (closed) return;
        closed = true;
        try {
          await client.close();
        } finally {
          await release();
        }
      },
    };
  } catch (e) {
    await release();
    throw e;
  }
}
