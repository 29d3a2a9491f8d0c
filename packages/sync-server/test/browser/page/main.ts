/**
 * A conformance device in the browser: `@powersync/web` with the test client schema, driven by the Node
 * side (`../harness.ts`) through `window.device`. The connector's credentials and uploads, the SDK's log
 * records and every sync status change go back to Node through functions Playwright exposes.
 */
import { DrizzleAppSchema } from '@powersync/drizzle-driver';
import {
  type AbstractPowerSyncDatabase,
  type CrudTransaction,
  type LogRecord,
  PowerSyncDatabase,
  type SyncStatus,
  type SyncStreamConnectionMethod,
  type SyncStreamSubscription,
} from '@powersync/web';
import { testSchema as schema } from '@syncline/test-utils/schema';

/** Functions the Node side exposes on `window`. */
interface Host {
  __credentials(): Promise<{ endpoint: string; token: string } | null>;
  __upload(): Promise<void>;
  __log(level: number, text: string): void;
  __status(status: StatusSnapshot): void;
}

/** What Node mirrors of the SDK's status (`db.currentStatus`). */
interface StatusSnapshot {
  connected: boolean;
  hasSynced: boolean | undefined;
  dataFlowStatus: { uploading: boolean; downloading: boolean };
}

const host = window as unknown as Window & Host;
let db: PowerSyncDatabase;
let retryDelayMs = 200;
let connectOptions: Record<string, unknown> = {};
const transactions = new Map<number, CrudTransaction>();
const subscriptions = new Map<number, SyncStreamSubscription>();
let nextId = 1;

function snapshot(s: SyncStatus): StatusSnapshot {
  return {
    connected: s.connected,
    hasSynced: s.hasSynced,
    dataFlowStatus: {
      uploading: s.dataFlowStatus.uploading ?? false,
      downloading: s.dataFlowStatus.downloading ?? false,
    },
  };
}

const device = {
  async open(
    name: string,
    options: { connectionMethod: `${SyncStreamConnectionMethod}`; retryDelayMs?: number; connect?: object },
  ): Promise<void> {
    retryDelayMs = options.retryDelayMs ?? 200;
    connectOptions = { connectionMethod: options.connectionMethod, ...options.connect };
    db = new PowerSyncDatabase({
      schema: new DrizzleAppSchema(schema.powersync),
      database: { dbFilename: `${name}.db` },
      logger: {
        log: (record: LogRecord) => {
          const error = record.error ? ` ${String((record.error as Error)?.message ?? record.error)}` : '';
          host.__log(record.level, `${record.message}${error}`);
        },
      } as never,
    });
    await db.init();
    db.registerListener({ statusChanged: (s) => host.__status(snapshot(s)) });
    host.__status(snapshot(db.currentStatus));
  },
  async connect(): Promise<void> {
    await db.connect(
      {
        fetchCredentials: () => host.__credentials(),
        uploadData: (_db: AbstractPowerSyncDatabase) => host.__upload(),
      },
      { retryDelayMs, crudUploadThrottleMs: 0, ...connectOptions },
    );
  },
  execute: async (sql: string, params: unknown[]) => {
    await db.execute(sql, params);
  },
  getAll: (sql: string, params: unknown[]) => db.getAll(sql, params),
  waitForFirstSync: () => db.waitForFirstSync(),
  getUploadQueueStats: async () => ({ count: (await db.getUploadQueueStats()).count }),
  getClientId: () => db.getClientId(),
  async nextCrudTransaction() {
    const tx = await db.getNextCrudTransaction();
    if (!tx) return null;
    const key = nextId++;
    transactions.set(key, tx);
    return {
      key,
      transactionId: tx.transactionId ?? null,
      crud: tx.crud.map((c) => ({
        op: c.op,
        table: c.table,
        id: c.id,
        opData: c.opData ?? null,
        clientId: c.clientId,
      })),
    };
  },
  async completeCrud(key: number) {
    await transactions.get(key)?.complete();
    transactions.delete(key);
  },
  async subscribe(name: string, params: Record<string, unknown> | null, options: object) {
    const sub = await db.syncStream(name, params ?? undefined).subscribe(options);
    const key = nextId++;
    subscriptions.set(key, sub);
    return key;
  },
  waitForSubscription: (key: number) => subscriptions.get(key)!.waitForFirstSync(),
  unsubscribe(key: number) {
    subscriptions.get(key)?.unsubscribe();
    subscriptions.delete(key);
  },
  streamState(name: string, params: Record<string, unknown> | null) {
    const s = db.currentStatus.forStream({ name, parameters: params });
    if (!s) return null;
    return {
      active: s.subscription.active,
      hasSynced: s.subscription.hasSynced,
      hasExplicitSubscription: s.subscription.hasExplicitSubscription,
      priority: s.priority,
    };
  },
  watchPrioritySynced(priority: number) {
    return new Promise((resolve) => {
      const dispose = db.registerListener({
        statusChanged: (status) => {
          if (status.statusForPriority(priority)?.hasSynced !== true) return;
          dispose();
          resolve({
            hasSynced: status.hasSynced === true,
            downloadedOperations: status.downloadProgress?.downloadedOperations ?? 0,
            totalOperations: status.downloadProgress?.totalOperations ?? 0,
          });
        },
      });
    });
  },
  async requestCheckpointAndWait() {
    const request = await db.requestCheckpoint();
    await request.waitForSync();
  },
  async close() {
    await db.disconnect();
    await db.close();
  },
};

(window as unknown as { device: typeof device }).device = device;
