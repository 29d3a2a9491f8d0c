import { type Logger, SyncError } from '@syncline/errors';
import { databaseOf } from '@syncline/postgres/url';
import type { TokenVerifierOptions } from './auth/index.js';
import type { MetricsAccess } from './auth/metrics.js';
import { defaultSlotName } from './replication/slot.js';
import { SyncRules } from './rules/index.js';
import type { CompactionPolicy } from './storage/compactor.js';

/** Options for {@link createSyncServer}. */
export interface SyncServerOptions {
  /** Source database (needs `wal_level=logical`). */
  databaseUrl: string;
  /** Bucket storage database. Default: the source database. */
  storageUrl?: string;
  /** Postgres schema for bucket storage. Default `syncline`. */
  storageSchema?: string;
  /** Sync rules YAML (bucket definitions or edition-3 streams). */
  syncRules: string;
  /** Token verification: JWKS URL or keys, audience, issuer, algorithms, lifetime. */
  auth: TokenVerifierOptions;
  /** Who may read `/metrics`: loopback clients, or a bearer token from `tokens` (`api.tokens`). */
  metrics?: MetricsAccess;
  /** Port. Default 8080; 0 picks a free one. */
  port?: number;
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Publication to replicate. Default `powersync`. */
  publication?: string;
  /** Replication slot. Default `syncline_<database>_<schema>`. */
  slotName?: string;
  /** Add the rules' source tables to the publication when missing. Default false. */
  managePublication?: boolean;
  /**
   * Gzip streams when the client accepts it: `true`, `false`, or `'auto'` (default) = only for clients that
   * are not on loopback. On a fast link the client spends more time inflating than gzip saves (measured:
   * 100k-row initial sync 1.62 s without vs 3.21 s with gzip on loopback; see BENCHMARKS.md).
   */
  compression?: boolean | 'auto';
  /**
   * Answer HTTP streams in BSON when the client prefers it (the official clients do: their ingest is ~10 %
   * faster than with NDJSON). Default true; false = NDJSON only. WebSocket streams are BSON by protocol.
   */
  bson?: boolean;
  /** CORS origins for browser clients. Default `*`. */
  corsOrigins?: '*' | string[];
  /** Run replication in this process (exactly one process per slot should). Default true. */
  replicate?: boolean;
  /** Seconds between keepalive lines. Default 20. */
  keepaliveSeconds?: number;
  /** Ops per data line. Default 1000. */
  opsPerLine?: number;
  /** Buckets per connection before `SYNC_TOO_MANY_BUCKETS`. Default 1000. */
  maxBuckets?: number;
  /** Sync-stream subscriptions per request before `SYNC_TOO_MANY_SUBSCRIPTIONS`. Default 256. */
  maxSubscriptions?: number;
  /** Parameter rows per connection. Default 1000. */
  maxParameterRows?: number;
  /** How often to look for tables added to the publication. Default 30 000 ms; 0 = never. */
  publicationCheckMs?: number;
  /** Compaction thresholds: dead ops above `minDeadOps` and above live rows × `deadToLiveRatio`. */
  compaction?: CompactionPolicy;
  /**
   * Once no work happened for this many ms, run one garbage collection and drop the recent-ops cache, so an
   * idle server returns to its idle size (see `idle-trim.ts`). Meant for a process of its own (the CLI
   * sets 10 000); default off, as a library must not collect its host's heap.
   */
  trimWhenIdleMs?: number;
  logger?: Logger;
}

/** {@link SyncServerOptions} checked, with every default filled in. */
export interface ResolvedOptions {
  databaseUrl: string;
  storageUrl: string;
  storageSchema: string;
  syncRules: string;
  auth: TokenVerifierOptions;
  metrics: MetricsAccess | undefined;
  port: number;
  host: string;
  publication: string;
  slotName: string;
  managePublication: boolean;
  compression: boolean | 'auto';
  bson: boolean;
  corsOrigins: '*' | string[];
  replicate: boolean;
  keepaliveMs: number;
  opsPerLine: number;
  maxBuckets: number;
  maxSubscriptions: number;
  maxParameterRows: number;
  publicationCheckMs: number | undefined;
  compaction: CompactionPolicy | undefined;
  trimWhenIdleMs: number | undefined;
  logger: Logger | undefined;
}

function invalid(option: string, problem: string): SyncError {
  return new SyncError('CONFIG_INVALID_OPTION', `createSyncServer: option "${option}" ${problem}`, {
    details: { factory: 'createSyncServer', option },
  });
}

function text(option: string, value: unknown, fallback?: string): string {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'string' || !value.trim()) throw invalid(option, 'must be a non-empty string');
  return value;
}

function count(option: string, value: unknown, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
    throw invalid(option, `must be an integer ≥ ${min}, got ${JSON.stringify(value)}`);
  return value;
}

function flag(option: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw invalid(option, `must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

function optionalCount(option: string, value: unknown, min: number): number | undefined {
  return value === undefined ? undefined : count(option, value, 0, min);
}

function compaction(value: CompactionPolicy | undefined): CompactionPolicy | undefined {
  if (value === undefined) return undefined;
  for (const key of ['minDeadOps', 'deadToLiveRatio'] as const) {
    const v: unknown = value?.[key];
    if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v))
      throw invalid(`compaction.${key}`, `must be a number ≥ 0, got ${JSON.stringify(v)}`);
  }
  return value;
}

/** `syncline_<database>_<schema>` for a replicating server (a reader process needs no slot). */
function defaultSlot(o: SyncServerOptions, storageSchema: string): string {
  if (o.replicate === false) return '';
  let database: string;
  try {
    database = databaseOf(o.databaseUrl);
  } catch {
    throw invalid('databaseUrl', 'must be a postgres:// URL (or pass "slotName")');
  }
  return defaultSlotName(database, storageSchema);
}

/**
 * Checks every option of {@link createSyncServer} and fills in the defaults; a bad option throws
 * `CONFIG_INVALID_OPTION` naming it (invalid sync rules throw the rules' own error).
 */
export function resolveOptions(o: SyncServerOptions): ResolvedOptions {
  if (!o.databaseUrl)
    throw new SyncError('CONFIG_INVALID_OPTION', 'createSyncServer: option "databaseUrl" is required');
  if (!o.syncRules?.trim())
    throw new SyncError('CONFIG_INVALID_OPTION', 'createSyncServer: option "syncRules" (YAML) is required');
  SyncRules.parse(o.syncRules, 0); // fail fast on invalid rules
  if (typeof o.auth !== 'object' || o.auth === null)
    throw invalid('auth', 'is required (token verification)');
  const storageSchema = text('storageSchema', o.storageSchema, 'syncline');
  const port = count('port', o.port, 8080, 0);
  if (port > 65_535) throw invalid('port', `must be at most 65535, got ${port}`);
  const compression = o.compression ?? 'auto';
  if (compression !== 'auto' && typeof compression !== 'boolean')
    throw invalid('compression', `must be true, false or 'auto', got ${JSON.stringify(compression)}`);
  const corsOrigins = o.corsOrigins ?? '*';
  if (corsOrigins !== '*' && !(Array.isArray(corsOrigins) && corsOrigins.every((x) => typeof x === 'string')))
    throw invalid('corsOrigins', `must be '*' or an array of origins`);
  const keepaliveSeconds = o.keepaliveSeconds ?? 20;
  if (typeof keepaliveSeconds !== 'number' || !(keepaliveSeconds > 0) || !Number.isFinite(keepaliveSeconds))
    throw invalid('keepaliveSeconds', `must be a number > 0, got ${JSON.stringify(keepaliveSeconds)}`);
  return {
    databaseUrl: o.databaseUrl,
    storageUrl: text('storageUrl', o.storageUrl, o.databaseUrl),
    storageSchema,
    syncRules: o.syncRules,
    auth: o.auth,
    metrics: o.metrics,
    port,
    host: text('host', o.host, '127.0.0.1'),
    publication: text('publication', o.publication, 'powersync'),
    slotName: o.slotName === undefined ? defaultSlot(o, storageSchema) : text('slotName', o.slotName),
    managePublication: flag('managePublication', o.managePublication, false),
    compression,
    bson: flag('bson', o.bson, true),
    corsOrigins,
    replicate: flag('replicate', o.replicate, true),
    keepaliveMs: keepaliveSeconds * 1000,
    opsPerLine: count('opsPerLine', o.opsPerLine, 1000),
    maxBuckets: count('maxBuckets', o.maxBuckets, 1000),
    maxSubscriptions: count('maxSubscriptions', o.maxSubscriptions, 256),
    maxParameterRows: count('maxParameterRows', o.maxParameterRows, 1000),
    publicationCheckMs: optionalCount('publicationCheckMs', o.publicationCheckMs, 0),
    compaction: compaction(o.compaction),
    trimWhenIdleMs: optionalCount('trimWhenIdleMs', o.trimWhenIdleMs, 0),
    logger: o.logger,
  };
}
