/**
 * What the notes UI needs from its platform, as one interface: the signed-in session, the sync status,
 * live queries and writes by name, rejected and quarantined changes. The web app and the mobile app
 * implement it over their own local database (`createLocalBackend`); the Electron renderer implements it
 * over IPC to the main process, which owns the database. The UI never touches a database directly.
 */
import type { SharedUser, SyncClientStatus, SyncRejection } from '@syncline/client';
import type { ActionArgs, ActionName, ActionResult } from './data/actions.js';
import type { QueryArgs, QueryName, QueryRow } from './data/queries.js';

/** A read-only observable value (`useSyncExternalStore`-ready). */
export interface Observable<T> {
  subscribe(listener: () => void): () => void;
  getSnapshot(): T;
}

/** The signed-in account. */
export interface NotesSession {
  userId: string;
  email: string;
  name: string;
}

/** The sync status the UI shows. */
export interface NotesStatus extends SyncClientStatus {
  /** False while the user paused sync (platforms with {@link NotesBackend.sync}). */
  enabled: boolean;
}

/** Why the last session ended without the user signing out. */
export type SessionEnd = 'expired' | null;

/** Listener of a live query. */
export interface RowsListener<T> {
  onRows(rows: T[]): void;
  onError(error: unknown): void;
}

/** The notes UI's view of its platform. */
export interface NotesBackend {
  /** Which app this is (`web`, `mobile`, `desktop`): wording only. */
  readonly platform: 'web' | 'mobile' | 'desktop';
  /** This device's id (recorded with every document version). */
  readonly deviceId: string;
  readonly session: Observable<NotesSession | null>;
  readonly status: Observable<NotesStatus>;
  /** Why the session ended (shown on the sign-in screen). */
  sessionEnd(): SessionEnd;
  auth: {
    signIn(email: string, password: string): Promise<void>;
    signUp(name: string, email: string, password: string): Promise<void>;
    /** Works offline. `clearData` also wipes this account's synced data here (pending writes kept aside). */
    signOut(options?: { clearData?: boolean }): Promise<void>;
  };
  /** Calls `listener.onRows` with the rows now and after every change; returns the stop function. */
  watch<K extends QueryName>(name: K, args: QueryArgs<K>, listener: RowsListener<QueryRow<K>>): () => void;
  /** Runs a write (see `ACTIONS`). */
  run<K extends ActionName>(name: K, ...args: ActionArgs<K>): Promise<ActionResult<K>>;
  rejections: {
    list(): Promise<SyncRejection[]>;
    retry(id: string): Promise<boolean>;
    discard(id: string): Promise<void>;
    /** Moves the upload the server keeps failing (`status.stuckUpload`) aside into the rejected changes. */
    setStuckAside(): Promise<void>;
  };
  sharing: {
    /** The account behind an email address (to share a project with it), or null. Needs the network. */
    findUser(email: string): Promise<SharedUser | null>;
  };
  quarantine: {
    /** Re-applies them as new local writes; `skipped` are those that could not be (and why). */
    restore(): Promise<{ restored: number; skipped: { reason: string }[] }>;
    discard(): Promise<void>;
  };
  /** Pausing and resuming sync, where the platform offers it (the desktop app). */
  sync?: { enable(): Promise<void>; disable(): Promise<void> };
}

/**
 * A query's rows once (a live query stopped after its first result), for async post-processing of other
 * query results. Rejects with the query's error.
 *
 * @example
 * const counts = await queryOnce(backend, 'versionCounts', undefined);
 */
export function queryOnce<K extends QueryName>(
  backend: Pick<NotesBackend, 'watch'>,
  name: K,
  args: QueryArgs<K>,
): Promise<QueryRow<K>[]> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let stop: (() => void) | undefined;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      setTimeout(() => stop?.(), 0);
    };
    stop = backend.watch(name, args, {
      onRows: (rows) => finish(() => resolve(rows)),
      onError: (e) => finish(() => reject(e)),
    });
  });
}
