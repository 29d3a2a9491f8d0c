/** `createSyncClient` options: types, defaults (merged in one place) and validation. */
import type { PowerSyncLogger, SyncOptions } from '@powersync/common';
import { createLogger, invalidOption, type Logger, positiveInt } from '@syncline/errors';
import type { SynclineSchema } from '@syncline/schema/client';
import type { PendingOnSwitch } from '../account/index.js';
import type { SessionSource } from '../credentials/index.js';
import type { OpenDatabase } from '../database/index.js';
import type { FetchLike } from '../http/index.js';
import type { BatchLimits } from '../upload/index.js';

/** Options for `createSyncClient`. */
export interface SyncClientOptions<S extends SynclineSchema> {
  /** The app's tables, `defineSchema({ … })`. Required. */
  schema: S;
  /** The platform's PowerSync database factory (node, web, react-native). Required. */
  openDatabase: OpenDatabase;
  /** The API's base URL (auth, `/api/powersync/config`, upload). Required. */
  apiUrl: string;
  /** Where the session token comes from. Required. */
  auth: SessionSource;
  /** Default: `globalThis.fetch`. Replace it to add headers, or to route through a proxy in tests. */
  fetch?: FetchLike;
  /**
   * The previous user's pending uploads when another user signs in: `'quarantine'` (default) moves them to
   * `sync_quarantine` for that user to restore later; `'discard'` drops them.
   */
  pendingOnSwitch?: PendingOnSwitch;
  /** Upload request limits. */
  upload?: {
    /** Ops per request. Default 500 (the API's default limit is 1000). */
    maxOps?: number;
    /** Body bytes per request. Default 524 288 (the API's default limit is 1 MiB). */
    maxBytes?: number;
    /** Client transactions per request. Default 100. */
    maxTransactions?: number;
    /** Cap of the exponential pause after repeated transient failures. Default 60 000 ms. */
    backoffMaxMs?: number;
    /**
     * Consecutive server errors (5xx other than 502/503/504) of one transaction before the status reports
     * it as `stuckUpload`. Default 5. Outages (network, 502/503/504) never count.
     */
    stuckAfter?: number;
  };
  /** Credentials cache. */
  credentials?: {
    /** Refresh this long before the JWT expires (capped at half its lifetime). Default 60 000 ms. */
    refreshMarginMs?: number;
    /** Clock. Default `Date.now`. */
    now?: () => number;
  };
  /**
   * Passed to `PowerSyncDatabase.connect`. `retryDelayMs` (SDK default 5000) is the pause after a failed
   * upload or stream; `crudUploadThrottleMs` (default 1000) the pause between upload rounds.
   */
  sync?: SyncOptions;
  /** Default: `createLogger({ name: 'client' })`. */
  logger?: Logger;
  /** Logger handed to the PowerSync SDK. Default: the SDK's console logger. */
  powerSyncLogger?: PowerSyncLogger;
}

/** Options with defaults applied. */
export interface ResolvedOptions {
  apiUrl: string;
  fetch: FetchLike;
  pendingOnSwitch: PendingOnSwitch;
  limits: BatchLimits;
  backoffBaseMs: number;
  backoffMaxMs: number;
  stuckAfter: number;
  refreshMarginMs: number;
  now: () => number;
  sync: SyncOptions;
  logger: Logger;
}

const F = 'createSyncClient';

/** Validates the options (throwing `CONFIG_INVALID_OPTION` naming the option) and merges the defaults. */
export function resolveOptions(options: SyncClientOptions<SynclineSchema>): ResolvedOptions {
  if (!options || typeof options !== 'object') throw invalidOption(F, 'options', 'must be an object');
  if (typeof options.apiUrl !== 'string' || !/^https?:\/\/[^/]/.test(options.apiUrl)) {
    throw invalidOption(F, 'apiUrl', `must be an http(s) URL, got ${JSON.stringify(options.apiUrl)}`);
  }
  if (!options.auth || typeof options.auth.getSessionToken !== 'function') {
    throw invalidOption(F, 'auth', 'must have getSessionToken(): string | null');
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw invalidOption(F, 'fetch', 'must be a fetch function');
  }
  const pending = options.pendingOnSwitch ?? 'quarantine';
  if (pending !== 'quarantine' && pending !== 'discard') {
    throw invalidOption(
      F,
      'pendingOnSwitch',
      `must be "quarantine" or "discard", got ${JSON.stringify(pending)}`,
    );
  }
  const u = options.upload ?? {};
  const sync = options.sync ?? {};
  const retryDelayMs = positiveInt(F, 'sync.retryDelayMs', sync.retryDelayMs, 5000);
  return {
    apiUrl: options.apiUrl.replace(/\/+$/, ''),
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    pendingOnSwitch: pending,
    limits: {
      maxOps: positiveInt(F, 'upload.maxOps', u.maxOps, 500),
      maxBytes: positiveInt(F, 'upload.maxBytes', u.maxBytes, 512 * 1024),
      maxTransactions: positiveInt(F, 'upload.maxTransactions', u.maxTransactions, 100),
    },
    backoffBaseMs: retryDelayMs,
    backoffMaxMs: positiveInt(F, 'upload.backoffMaxMs', u.backoffMaxMs, 60_000),
    stuckAfter: positiveInt(F, 'upload.stuckAfter', u.stuckAfter, 5),
    refreshMarginMs: nonNegative('credentials.refreshMarginMs', options.credentials?.refreshMarginMs, 60_000),
    now: options.credentials?.now ?? Date.now,
    sync,
    logger: options.logger ?? createLogger({ name: 'client' }),
  };
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw invalidOption(F, name, `must be a non-negative integer, got ${JSON.stringify(value)}`);
  }
  return value;
}
