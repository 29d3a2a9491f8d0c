/**
 * `@powersync/web` devices for the conformance and feature suites: each device is a Chromium browser context
 * (its own IndexedDB and SharedWorker) showing `page/`, served by Vite. The page runs the official web SDK;
 * this class drives it and implements the same {@link FeatureDevice} interface as the Node devices, so the
 * suites run unchanged against both SDKs.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AbstractPowerSyncDatabase } from '@powersync/common';
import { freePort } from '@syncline/postgres';
import { type TestDeviceOptions, type WaitForOptions, waitFor } from '@syncline/test-utils';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import type {
  FeatureDevice,
  PrioritySyncedAt,
  StreamState,
  SubscriptionHandle,
} from '../suites/feature-device.js';

const PAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), 'page');

/** What the page reports of `db.currentStatus` on every change (`page/main.ts`). */
interface StatusSnapshot {
  connected: boolean;
  hasSynced: boolean | undefined;
  dataFlowStatus: { uploading: boolean; downloading: boolean };
}

/** The device page, served by Vite. */
export interface PageServer {
  url: string;
  stop(): Promise<void>;
}

/** Serves `page/` with Vite (the SDK's workers and wasm load as in an app). */
export async function startPageServer(): Promise<PageServer> {
  const port = await freePort();
  const vite: ViteDevServer = await createServer({
    root: PAGE_ROOT,
    configFile: false,
    logLevel: 'warn',
    server: { host: '127.0.0.1', port, strictPort: true },
    // The browser only needs the schema package's run-time half (as in the notes web app).
    resolve: { alias: [{ find: /^@syncline\/schema$/, replacement: '@syncline/schema/client' }] },
    optimizeDeps: { exclude: ['@journeyapps/wa-sqlite', '@powersync/web'] },
    worker: { format: 'es' },
  });
  await vite.listen();
  return { url: `http://127.0.0.1:${port}/`, stop: () => vite.close() };
}

/** Console output that means the SDK saw a protocol failure, whatever the test does. */
const FATAL = /checksum/i;

/** A Chromium page running `@powersync/web`, as a suite device. */
export class BrowserDevice implements FeatureDevice {
  readonly name: string;
  readonly warnings: string[] = [];
  readonly errors: string[] = [];
  credentialsFetched = 0;
  private status: StatusSnapshot = {
    connected: false,
    hasSynced: undefined,
    dataFlowStatus: { uploading: false, downloading: false },
  };

  private constructor(
    private readonly context: BrowserContext,
    private readonly page: Page,
    private readonly options: TestDeviceOptions,
  ) {
    this.name = options.name;
  }

  /** Opens a device page (its own browser context) with the SDK's database open, not connected. */
  static async open(browser: Browser, pageUrl: string, options: TestDeviceOptions): Promise<BrowserDevice> {
    const context = await browser.newContext();
    const page = await context.newPage();
    const d = new BrowserDevice(context, page, options);
    page.on('console', (m) => {
      if (FATAL.test(m.text())) d.errors.push(`[console] ${m.text()}`);
    });
    page.on('pageerror', (e) => d.errors.push(`[pageerror] ${e.message}`));
    await page.exposeFunction('__credentials', async () => {
      d.credentialsFetched++;
      return options.credentials();
    });
    await page.exposeFunction('__upload', () => d.upload());
    await page.exposeFunction('__log', (level: number, text: string) => {
      if (level >= 50) d.errors.push(text);
      else if (level >= 40) d.warnings.push(text);
    });
    await page.exposeFunction('__status', (s: StatusSnapshot) => {
      d.status = s;
    });
    await page.goto(pageUrl);
    await page.waitForFunction(() => 'device' in globalThis);
    await d.call('open', options.name.replace(/\W/g, '_'), {
      connectionMethod: options.connectionMethod ?? 'http',
      retryDelayMs: options.retryDelayMs ?? 200,
      connect: options.connectOptions ?? {},
    });
    return d;
  }

  /** Calls `window.device[method](...args)` in the page. */
  private call<T = unknown>(method: string, ...args: unknown[]): Promise<T> {
    return this.page.evaluate(
      ([m, a]) =>
        (globalThis as unknown as { device: Record<string, (...x: unknown[]) => unknown> }).device[m]!(...a),
      [method, args] as const,
    ) as Promise<T>;
  }

  /** The connector's `uploadData`, run here against a proxy of the page's upload queue. */
  private async upload(): Promise<void> {
    const db = {
      getClientId: () => this.call<string>('getClientId'),
      getNextCrudTransaction: async () => {
        const tx = await this.call<{ key: number; transactionId: number | null; crud: unknown[] } | null>(
          'nextCrudTransaction',
        );
        return tx && { ...tx, complete: () => this.call('completeCrud', tx.key) };
      },
    } as unknown as AbstractPowerSyncDatabase;
    if (this.options.upload) return this.options.upload(db);
    for (let tx = await db.getNextCrudTransaction(); tx; tx = await db.getNextCrudTransaction())
      await tx.complete();
  }

  readonly db = (() => {
    const self = this;
    return {
      waitForFirstSync: () => self.call<void>('waitForFirstSync'),
      execute: (sql: string, params: unknown[] = []) => self.call('execute', sql, params),
      getUploadQueueStats: () => self.call<{ count: number }>('getUploadQueueStats'),
      get currentStatus() {
        return self.status;
      },
    };
  })();

  connect(): Promise<void> {
    return this.call('connect');
  }

  all<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.call<T[]>('getAll', sql, params);
  }

  async until(predicate: () => Promise<boolean> | boolean, options: WaitForOptions = {}): Promise<void> {
    await waitFor(predicate, {
      timeout: 15_000,
      ...options,
      message: `${this.name}: ${options.message ?? 'condition'}`,
    });
  }

  checksumFailures(): string[] {
    return [...this.warnings, ...this.errors].filter((w) => /checksum/i.test(w));
  }

  async subscribe(
    name: string,
    params: Record<string, unknown> | null,
    options: { ttl?: number; priority?: 0 | 1 | 2 | 3 } = {},
  ): Promise<SubscriptionHandle> {
    const key = await this.call<number>('subscribe', name, params, options);
    return {
      waitForFirstSync: () => this.call<void>('waitForSubscription', key),
      unsubscribe: async () => {
        await this.call('unsubscribe', key);
      },
    };
  }

  streamState(name: string, params: Record<string, unknown> | null): Promise<StreamState | null> {
    return this.call<StreamState | null>('streamState', name, params);
  }

  watchPrioritySynced(priority: number): Promise<PrioritySyncedAt> {
    return this.call<PrioritySyncedAt>('watchPrioritySynced', priority);
  }

  requestCheckpointAndWait(): Promise<void> {
    return this.call<void>('requestCheckpointAndWait');
  }

  async close(): Promise<void> {
    await this.call('close').catch(() => undefined);
    await this.context.close().catch(() => undefined);
  }
}
