import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  AbstractPowerSyncDatabase,
  PowerSyncBackendConnector,
  PowerSyncCredentials,
  Schema,
  SyncOptions,
} from '@powersync/common';
import { PowerSyncDatabase, type SyncStreamConnectionMethod } from '@powersync/node';
import { type WaitForOptions, waitFor } from './wait-for.js';

/** Options for {@link TestDevice.open}. */
export interface TestDeviceOptions {
  /** Shown in failures. */
  name: string;
  /** The PowerSync client schema (`new DrizzleAppSchema(schema.powersync)`). */
  schema: Schema;
  /** Credentials for the sync server, or null when signed out. */
  credentials: () => Promise<PowerSyncCredentials | null>;
  /** The connector's `uploadData`. Default: complete every transaction without sending it anywhere. */
  upload?: (db: AbstractPowerSyncDatabase) => Promise<void>;
  /** Retry delay after stream errors. Default 200 ms. */
  retryDelayMs?: number;
  /** `http` (the SDK's default: streamed HTTP, BSON or NDJSON) or `web-socket` (RSocket). Default `http`. */
  connectionMethod?: `${SyncStreamConnectionMethod}`;
  /** Further `connect()` options (e.g. `checkpointMode`). */
  connectOptions?: SyncOptions;
}

/**
 * What a conformance suite needs from a device, whatever SDK it runs: {@link TestDevice} (`@powersync/node`)
 * or a Chromium page running `@powersync/web`.
 */
export interface SyncDevice {
  readonly name: string;
  readonly db: DeviceDatabase;
  /** How often the SDK asked the connector for credentials. */
  readonly credentialsFetched: number;
  connect(): Promise<void>;
  all<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  until(predicate: () => Promise<boolean> | boolean, options?: WaitForOptions): Promise<void>;
  /** Checksum mismatches the SDK reported (any is a protocol failure). */
  checksumFailures(): string[];
  close(): Promise<void>;
}

/** The part of the SDK's database API the suites use. */
export interface DeviceDatabase {
  waitForFirstSync(): Promise<void>;
  execute(sql: string, params?: unknown[]): Promise<unknown>;
  getUploadQueueStats(): Promise<{ count: number }>;
  readonly currentStatus: {
    readonly connected: boolean;
    readonly hasSynced?: boolean | undefined;
    readonly dataFlowStatus: { readonly uploading?: boolean; readonly downloading?: boolean };
  };
}

/** Opens a device (not yet connected). */
export type DeviceFactory = (options: TestDeviceOptions) => Promise<SyncDevice>;

/**
 * A device: the official `@powersync/node` client with its own SQLite file, recording every warning and
 * error the SDK logs (so a test can fail on any "Checksums didn't match").
 */
export class TestDevice implements SyncDevice {
  readonly name: string;
  readonly db: PowerSyncDatabase;
  readonly warnings: string[] = [];
  readonly errors: string[] = [];
  credentialsFetched = 0;
  private readonly options: TestDeviceOptions;
  private readonly dir: string;

  private constructor(options: TestDeviceOptions, dir: string) {
    this.name = options.name;
    this.options = options;
    this.dir = dir;
    this.db = new PowerSyncDatabase({
      schema: options.schema,
      database: { dbFilename: `${options.name.replace(/\W/g, '_')}.db`, dbLocation: dir },
      logger: {
        log: (record) => {
          const text = `${record.message}${record.error ? ` ${String((record.error as Error)?.message ?? record.error)}` : ''}`;
          if (record.level >= 50) this.errors.push(text);
          else if (record.level >= 40) this.warnings.push(text);
        },
      },
    });
  }

  /** Opens the device's database (not connected yet). */
  static async open(options: TestDeviceOptions): Promise<TestDevice> {
    const dir = await mkdtemp(join(tmpdir(), 'syncline-device-'));
    const device = new TestDevice(options, dir);
    await device.db.init();
    return device;
  }

  /** The connector used by {@link connect}. */
  connector(): PowerSyncBackendConnector {
    return {
      fetchCredentials: async () => {
        this.credentialsFetched++;
        return this.options.credentials();
      },
      uploadData: async (db) => {
        if (this.options.upload) return this.options.upload(db);
        for (let tx = await db.getNextCrudTransaction(); tx; tx = await db.getNextCrudTransaction())
          await tx.complete();
      },
    };
  }

  /** Connects to the sync server (upload throttle 0, short retry delay, the configured connection method). */
  async connect(): Promise<void> {
    await this.db.connect(this.connector(), {
      retryDelayMs: this.options.retryDelayMs ?? 200,
      crudUploadThrottleMs: 0,
      connectionMethod: (this.options.connectionMethod ?? 'http') as SyncStreamConnectionMethod,
      ...this.options.connectOptions,
    });
  }

  /** Rows of a query. */
  async all<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.db.getAll(sql, params)) as T[];
  }

  /** Waits until `predicate` holds for the device's data. */
  async until(predicate: () => Promise<boolean> | boolean, options: WaitForOptions = {}): Promise<void> {
    await waitFor(predicate, {
      timeout: 15_000,
      ...options,
      message: `${this.name}: ${options.message ?? 'condition'}`,
    });
  }

  /** Checksum mismatches the SDK reported. */
  checksumFailures(): string[] {
    return [...this.warnings, ...this.errors].filter((w) => /checksum/i.test(w));
  }

  /** Disconnects and deletes the device's files. */
  async close(): Promise<void> {
    await this.db.disconnect().catch(() => undefined);
    await this.db.close().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}
