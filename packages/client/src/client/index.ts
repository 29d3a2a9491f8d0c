/** `createSyncClient`: database + connector + account switching + status, wired together. */
import type { CommonPowerSyncDatabase } from '@powersync/common';
import type { PowerSyncSQLiteDatabase } from '@powersync/drizzle-driver';
import { SyncError } from '@syncline/errors';
import type { SynclineSchema } from '@syncline/schema/client';
import {
  type Account,
  createAccount,
  createQuarantine,
  type Quarantine,
  switchAccount,
} from '../account/index.js';
import { createConnector } from '../connector/index.js';
import { createCredentials } from '../credentials/index.js';
import { type ClientSqliteSchema, createDatabase } from '../database/index.js';
import { createEndpointGuard } from '../endpoint/index.js';
import { createRejections, type Rejections } from '../rejections/index.js';
import { createSharing, type Sharing } from '../sharing/index.js';
import { createStatusStore, type Observable, type SyncClientStatus, sdkStatusOf } from '../status/index.js';
import { createUploader } from '../upload/index.js';
import { resolveOptions, type SyncClientOptions } from './options.js';

export type { SyncClientOptions } from './options.js';

/** A client made by {@link createSyncClient}. */
export interface SyncClient<S extends SynclineSchema> {
  /** The PowerSync database. */
  readonly powersync: CommonPowerSyncDatabase;
  /** Drizzle over it: the app's tables plus `syncRejections`, `syncQuarantine`, `syncAccount`. */
  readonly db: PowerSyncSQLiteDatabase<ClientSqliteSchema<S>>;
  readonly schema: S;
  /** One observable status (state, progress, error, pending uploads, rejected, user, database version). */
  readonly status: Observable<SyncClientStatus>;
  /** Writes the API rejected: list, retry, discard. */
  readonly rejections: Rejections;
  /** Earlier pending writes of the current user, set aside by an account switch: list, restore, discard. */
  readonly quarantine: Quarantine;
  /** What share dialogs need from the API: `findUser(email)`. */
  readonly sharing: Sharing;
  /** Who owns the local data, and the database version. */
  readonly account: Account;
  /** Opens the database and loads the account state (connect() does it too). */
  init(): Promise<void>;
  /**
   * Connects as the session's user. Call it at start-up and after every sign-in: if the user differs from
   * the owner of the local data, the account is switched first (quarantine, clear, new owner).
   */
  connect(): Promise<void>;
  /** Stops syncing; local data and pending writes stay. */
  disconnect(): Promise<void>;
  /**
   * Disconnects and calls `auth.signOut()`. Local data stays (the same user signing in again resumes);
   * with `clearData: true` pending writes are quarantined and synced data is wiped now.
   */
  signOut(options?: { clearData?: boolean }): Promise<void>;
  /** Disconnects and closes the database. */
  close(): Promise<void>;
  /**
   * Moves the upload the server keeps failing (`status.stuckUpload`) into `sync_rejections`, so the writes
   * behind it can go; only on the user's explicit request. Returns false if nothing is stuck any more.
   */
  moveStuckUploadAside(): Promise<boolean>;
}

/**
 * Creates the Syncline client: the PowerSync database (from the app's schema and the platform factory),
 * the connector (credentials cache, batched uploads following the API's error contract, rejected writes
 * in `sync_rejections`), account switching (pending writes quarantined, synced data cleared, local-only
 * data kept, `databaseVersion` bumped) and one observable status.
 *
 * @example
 * import { PowerSyncDatabase } from '@powersync/node';
 * const client = createSyncClient({
 *   schema,
 *   openDatabase: (o) => new PowerSyncDatabase({ ...o, database: { dbFilename: 'notes.db' } }),
 *   apiUrl: 'http://localhost:3000',
 *   auth: { getSessionToken: () => session.token },
 * });
 * client.status.subscribe(() => console.log(client.status.getSnapshot().state));
 * await client.connect();
 */
export function createSyncClient<S extends SynclineSchema>(options: SyncClientOptions<S>): SyncClient<S> {
  const o = resolveOptions(options);
  const log = o.logger;
  const { powersync, db, schema } = createDatabase({
    schema: options.schema,
    openDatabase: options.openDatabase,
    ...(options.powerSyncLogger ? { powerSyncLogger: options.powerSyncLogger } : {}),
  });
  const store = createStatusStore();
  const account = createAccount(powersync);
  const credentials = createCredentials({
    apiUrl: o.apiUrl,
    auth: options.auth,
    fetch: o.fetch,
    refreshMarginMs: o.refreshMarginMs,
    now: o.now,
    logger: log,
    onAuthState: (authState, authError) => store.update(authError ? { authState, authError } : { authState }),
  });
  const currentUser = () => account.owner;
  const rejections = createRejections({ powersync, schema, currentUser });
  const quarantine = createQuarantine({ powersync, schema, currentUser });
  const uploader = createUploader({
    apiUrl: o.apiUrl,
    fetch: o.fetch,
    credentials,
    account,
    rejections,
    limits: o.limits,
    backoffBaseMs: o.backoffBaseMs,
    backoffMaxMs: o.backoffMaxMs,
    stuckAfter: o.stuckAfter,
    onStuck: (stuckUpload) => store.update({ stuckUpload }),
    logger: log,
    onAccountMismatch: (userId) => scheduleSwitch(userId),
  });
  const connector = createConnector({
    credentials,
    account,
    uploader,
    endpoint: createEndpointGuard(powersync, log),
    onAccountMismatch: (userId) => scheduleSwitch(userId),
  });

  // Connect, disconnect, switch and close run one at a time.
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };
  let closed = false;
  const disposers: (() => void)[] = [];
  let initialized: Promise<void> | undefined;

  const refreshCounts = coalesce(async () => {
    if (closed) return;
    const [queueStats, rejected, quarantined] = await Promise.all([
      powersync.getUploadQueueStats(),
      rejections.count(),
      quarantine.count(),
    ]);
    store.update({ pendingUploads: queueStats.count, rejected, quarantined });
  });
  const refresh = () => void refreshCounts().catch((e) => log.warn('status counts failed', { error: e }));

  const init = () => {
    initialized ??= (async () => {
      if (closed) throw new SyncError('CLIENT_CLOSED', 'The sync client was closed.');
      await powersync.init();
      await account.load();
      let wasConnected = false;
      disposers.push(
        powersync.registerListener({
          statusChanged: (s) => {
            if (s.connected && !wasConnected) uploader.resetBackoff();
            wasConnected = s.connected;
            store.update({ sdk: sdkStatusOf(s) });
          },
        }),
        account.subscribe(() => {
          store.update({
            userId: account.owner,
            databaseVersion: account.databaseVersion,
            switching: account.switching,
          });
          refresh();
        }),
        powersync.onChange(
          { onChange: () => refresh() },
          { tables: ['ps_crud', 'sync_rejections', 'sync_quarantine'], throttleMs: 30 },
        ),
      );
      store.update({
        sdk: sdkStatusOf(powersync.currentStatus),
        userId: account.owner,
        databaseVersion: account.databaseVersion,
      });
      await refreshCounts();
    })();
    return initialized;
  };

  const connectNow = () => powersync.connect(connector, o.sync);

  const switchTo = async (userId: string | null) => {
    await switchAccount({ powersync, account, pendingOnSwitch: o.pendingOnSwitch, logger: log }, userId);
  };

  let switchScheduled = false;
  function scheduleSwitch(userId: string) {
    if (switchScheduled || closed) return;
    switchScheduled = true;
    log.info('signed-in user differs from the owner of the local data; switching', { to: userId });
    void exclusive(async () => {
      switchScheduled = false;
      if (closed) return;
      await account.load(); // another client on this database (a tab) may have switched already
      if (account.owner === userId) return;
      const c = await credentials.get();
      if (!c || c.userId !== userId) return; // the session changed again; connect() will sort it out
      await switchTo(userId);
      await connectNow();
    }).catch((e) => log.error('account switch failed', { error: e }));
  }

  return {
    powersync,
    db,
    schema,
    status: { subscribe: store.subscribe, getSnapshot: store.getSnapshot },
    rejections,
    quarantine,
    sharing: createSharing({ apiUrl: o.apiUrl, fetch: o.fetch, credentials }),
    account,
    init,
    connect: () =>
      exclusive(async () => {
        if (closed) throw new SyncError('CLIENT_CLOSED', 'The sync client was closed; create a new one.');
        await init();
        await account.load(); // the persisted owner is the truth (another tab may have switched)
        credentials.invalidate(); // the session may have changed since the last fetch
        let userId: string | null | undefined;
        try {
          userId = (await credentials.get())?.userId ?? null;
        } catch (e) {
          // Offline: connect anyway; fetchCredentials checks the user once the API answers.
          log.warn('could not reach the API; connecting anyway', { code: SyncError.from(e).code });
        }
        if (userId === null) return; // signed out: nothing to connect with
        if (userId !== undefined && account.owner === null) await account.claim(userId);
        if (userId !== undefined && account.owner !== userId) await switchTo(userId);
        await connectNow();
      }),
    disconnect: () => exclusive(() => powersync.disconnect()),
    signOut: (opts = {}) =>
      exclusive(async () => {
        await init();
        await powersync.disconnect();
        if (opts.clearData) await switchTo(null);
        credentials.signOut();
        await options.auth.signOut?.();
      }),
    moveStuckUploadAside: () => uploader.moveStuckAside(powersync),
    close: () =>
      exclusive(async () => {
        if (closed) return;
        closed = true;
        for (const d of disposers.splice(0)) d();
        await powersync.close();
      }),
  };
}

/** Runs `fn` at most once at a time; calls during a run trigger one more run afterwards. */
function coalesce(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  const run = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = fn().finally(() => {
      running = null;
      if (again) {
        again = false;
        void run().catch(() => undefined);
      }
    });
    return running;
  };
  return run;
}
