import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, type Logger, SyncError } from '@syncline/errors';
import { isPortFree } from '@syncline/postgres/net';
import { databaseOf } from '@syncline/postgres/url';
import {
  createTokenVerifier,
  type TokenVerifier,
  type TokenVerifierOptions,
  tokenFromHeader,
} from './auth/index.js';
import { assertMetricsAccess, type MetricsAccess } from './auth/metrics.js';
import { createPool } from './db/pool.js';
import { cors, corsHeaders, error, json, readJson } from './http/respond.js';
import { createStreamEndpoint } from './http/stream-endpoint.js';
import { attachRSocket, type RSocketEndpoint } from './http/websocket/index.js';
import { startIdleTrim } from './idle-trim.js';
import { Replicator } from './replication/replicator.js';
import { defaultSlotName } from './replication/slot.js';
import { SyncRules } from './rules/index.js';
import type { CompactionPolicy } from './storage/compactor.js';
import type { CheckpointEvent } from './storage/events.js';
import { CheckpointListener } from './storage/listener.js';
import { BucketStore } from './storage/store.js';
import { StreamHub } from './sync/hub.js';
import { RecentOps } from './sync/recent-ops.js';
import { parseCheckpointRequest } from './sync/request.js';
import type { SessionContext } from './sync/session.js';
import { WriteCheckpoints } from './sync/write-checkpoints.js';
import { collectMetrics } from './telemetry.js';

/** The path of a request URL (`/a/b?x=1` → `/a/b`), as `new URL(...).pathname` gives it for plain paths. */
function pathOf(url: string | undefined): string {
  const u = url ?? '/';
  const q = u.search(/[?#]/);
  return q < 0 ? u : u.slice(0, q);
}

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
  /** How often to look for tables added to the publication. Default 30 000 ms. */
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

/** A running sync server. */
export interface SyncServer {
  /** Base URL clients use as the PowerSync endpoint. */
  readonly url: string;
  readonly port: number;
  /** Starts replication (initial snapshot when needed) and the HTTP server. */
  start(): Promise<void>;
  /** Closes streams, stops replication and the HTTP server. */
  stop(): Promise<void>;
  /** Prometheus metrics text. */
  metrics(): Promise<string>;
}

/**
 * Creates a PowerSync-protocol sync server: logical replication from Postgres into bucket storage, and
 * `/sync/stream` + `/write-checkpoint2.json` for the official PowerSync clients.
 *
 * @example
 * const server = createSyncServer({
 *   databaseUrl: 'postgres://postgres:postgres@127.0.0.1:54320/notes',
 *   syncRules: readFileSync('sync_rules.yaml', 'utf8'),
 *   auth: { jwksUri: 'http://127.0.0.1:3000/api/auth/jwks', audience: 'http://127.0.0.1:3000' },
 *   port: 8080,
 * });
 * await server.start();
 */
export function createSyncServer(options: SyncServerOptions): SyncServer {
  if (!options.databaseUrl)
    throw new SyncError('CONFIG_INVALID_OPTION', 'createSyncServer: option "databaseUrl" is required');
  if (!options.syncRules?.trim())
    throw new SyncError('CONFIG_INVALID_OPTION', 'createSyncServer: option "syncRules" (YAML) is required');
  SyncRules.parse(options.syncRules, 0); // fail fast on invalid rules
  const log = (options.logger ?? createLogger({ name: 'sync-server' })).child({});
  const verifier: TokenVerifier = createTokenVerifier(options.auth);
  const schema = options.storageSchema ?? 'syncline';
  const storagePool = createPool(
    { connectionString: options.storageUrl ?? options.databaseUrl, max: 20 },
    log,
    'storage pool',
  );
  const sourcePool = createPool({ connectionString: options.databaseUrl, max: 5 }, log, 'source pool');
  const store = new BucketStore(storagePool, schema);
  const cache = new RecentOps();
  const hub = new StreamHub(cache);
  const writeCheckpoints = new WriteCheckpoints(hub);
  const metricsState = {
    linesSent: 0,
    opsSent: 0,
    bytesSent: 0,
    checkpointsSent: 0,
    abandoned: 0,
    streamsOpened: 0,
    checkpointRequests: 0,
    writeCheckpoints: 0,
    authFailures: 0,
  };
  const transportCounts = { 'http-ndjson': 0, 'http-bson': 0, websocket: 0 };
  let lastLsn = '0/0';
  let ready = false;
  let stopping = false;

  let events = 0;
  const onCheckpoint = (event: CheckpointEvent) => {
    events++;
    lastLsn = event.lsn;
    hub.publish(event);
    writeCheckpoints.reached(event.lsn);
  };

  const replicator =
    options.replicate === false
      ? null
      : new Replicator({
          sourceUrl: options.databaseUrl,
          store,
          rulesYaml: options.syncRules,
          slotName: options.slotName ?? defaultSlotName(databaseOf(options.databaseUrl), schema),
          publication: options.publication ?? 'powersync',
          logger: log,
          onCheckpoint,
          managePublication: options.managePublication ?? false,
          ...(options.publicationCheckMs !== undefined
            ? { publicationCheckMs: options.publicationCheckMs }
            : {}),
          ...(options.compaction ? { compaction: options.compaction } : {}),
        });

  let readerRules: SyncRules | null = null;
  const ctx: SessionContext = {
    store,
    rules: () => replicator?.rules ?? readerRules!,
    cache,
    hub,
    logger: log,
    maxBuckets: options.maxBuckets ?? 1000,
    maxParameterRows: options.maxParameterRows ?? 1000,
    opsPerLine: options.opsPerLine ?? 1000,
    keepaliveMs: (options.keepaliveSeconds ?? 20) * 1000,
    metrics: metricsState,
  };

  async function authenticate(authorization: string | undefined) {
    try {
      return await verifier.verify(tokenFromHeader(authorization));
    } catch (e) {
      metricsState.authFailures++;
      throw e;
    }
  }

  const endpoint = createStreamEndpoint({
    ctx,
    authenticate,
    assertServing() {
      if (stopping) throw new SyncError('SYNC_SHUTTING_DOWN', 'The sync server is shutting down');
      if (!ready)
        throw new SyncError('SYNC_NOT_READY', 'The initial replication is still running; retry shortly');
    },
    compression: options.compression ?? 'auto',
    bson: options.bson ?? true,
    maxSubscriptions: options.maxSubscriptions ?? 256,
    metrics: metricsState,
    transportCounts,
    logger: log,
  });
  const streams = endpoint.sessions;

  /** A WAL position at or after everything committed so far (a logical message replication will pass). */
  async function walMarker(): Promise<string> {
    const { rows } = await sourcePool.query<{ lsn: string }>(
      `SELECT pg_logical_emit_message(false, 'syncline', 'write-checkpoint')::text AS lsn`,
    );
    return rows[0]!.lsn;
  }

  async function handleWriteCheckpoint(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const token = await authenticate(req.headers.authorization);
    const clientId = url.searchParams.get('client_id') ?? '';
    const lsn = await walMarker();
    const id = await store.createWriteCheckpoint(token.userId, clientId, lsn);
    writeCheckpoints.add(token.userId, clientId, id, lsn);
    writeCheckpoints.reached(lastLsn); // replication may already have passed it
    metricsState.writeCheckpoints++;
    json(res, 200, { data: { write_checkpoint: String(id) } });
  }

  function readinessReason(): string {
    if (!ready) return 'starting: the initial replication is not done';
    if (stopping) return 'shutting down';
    if (replicator)
      return `replication is ${replicator.status}${replicator.lastError ? `: ${replicator.lastError}` : ''}`;
    return 'not listening for checkpoints (storage connection lost); reconnecting';
  }

  /**
   * `POST /sync/checkpoint-request` (`checkpointMode: 'requests'`): the client names its next id; the stored
   * id of `(user, client)` only ever goes up, and the answer is the stored one. It is reported in checkpoints
   * like a write checkpoint once replication passed the WAL position of the request that raised it.
   */
  async function handleCheckpointRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const token = await authenticate(req.headers.authorization);
    const { clientId, requestId } = parseCheckpointRequest(await readJson(req, 64 * 1024));
    const lsn = await walMarker();
    const { id, raised } = await store.requestCheckpoint(token.userId, clientId, requestId, lsn);
    if (raised) {
      writeCheckpoints.add(token.userId, clientId, id, lsn);
      writeCheckpoints.reached(lastLsn);
    }
    metricsState.checkpointRequests++;
    json(res, 200, { data: { checkpoint_request_id: String(id) } });
  }

  function failed(res: ServerResponse, e: unknown): void {
    if (!res.headersSent) error(res, e);
    else res.end();
  }

  function route(req: IncomingMessage, res: ServerResponse): void {
    const corsOptions = { origins: options.corsOrigins ?? '*' };
    // Streams skip the async router below: its suspended frame (and URL) would stay with every open stream.
    if (req.method === 'POST' && !stopping && pathOf(req.url) === '/sync/stream') {
      const headers = corsHeaders(req, corsOptions);
      endpoint.handleHttp(req, res, headers).catch((e: unknown) => {
        if (!res.headersSent) for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
        failed(res, e);
      });
      return;
    }
    if (cors(req, res, corsOptions)) return;
    void routeOther(req, res);
  }

  async function routeOther(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      if (stopping) throw new SyncError('SYNC_SHUTTING_DOWN', 'The sync server is shutting down');
      if (req.method === 'POST' && url.pathname === '/sync/stream')
        return await endpoint.handleHttp(req, res); // a path spelled differently (`/sync/./stream`)
      if (req.method === 'POST' && url.pathname === '/sync/checkpoint-request')
        return await handleCheckpointRequest(req, res);
      if (req.method === 'GET' && url.pathname === '/write-checkpoint2.json')
        return await handleWriteCheckpoint(req, res, url);
      if (req.method === 'GET' && url.pathname.startsWith('/probes/')) {
        const probe = url.pathname.slice('/probes/'.length);
        const replicating = replicator ? replicator.status === 'streaming' : listener?.connected === true;
        const isReady = ready && !stopping && replicating;
        const ok = probe === 'liveness' ? !stopping : isReady;
        return json(res, ok ? 200 : 503, {
          ready: isReady,
          replication: replicator?.status ?? (listener?.connected ? 'reader' : 'reader-reconnecting'),
          ...(isReady ? {} : { reason: readinessReason() }),
          streams: streams.size,
        });
      }
      if (req.method === 'GET' && url.pathname === '/metrics') {
        assertMetricsAccess(req, options.metrics);
        const text = await server.metrics();
        res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(text);
        return;
      }
      throw new SyncError('SYNC_NOT_FOUND', `No route ${req.method} ${url.pathname}`);
    } catch (e) {
      failed(res, e);
    }
  }

  let http: Server | null = null;
  let rsocket: RSocketEndpoint | null = null;
  let listenPort = options.port ?? 8080;
  let listener: CheckpointListener | null = null;
  let stopTrim: (() => void) | null = null;

  const server: SyncServer = {
    get url() {
      return `http://${options.host ?? '127.0.0.1'}:${listenPort}`;
    },
    get port() {
      return listenPort;
    },
    async start() {
      if (listenPort !== 0 && !(await isPortFree(listenPort, options.host ?? '127.0.0.1'))) {
        throw new SyncError(
          'CONFIG_PORT_IN_USE',
          `Port ${listenPort} is taken; the sync server cannot listen there. Choose another port.`,
          { details: { port: listenPort } },
        );
      }
      if (replicator) {
        await replicator.start();
        lastLsn = replicator.lsn;
        // Write checkpoints created before a restart are reached later (SPEC.md R7).
        for (const p of await store.pendingWriteCheckpoints(lastLsn))
          writeCheckpoints.add(p.userId, p.clientId, p.id, p.lsn);
      } else {
        await store.init();
        const state = await store.state();
        if (!state)
          throw new SyncError(
            'SYNC_NOT_READY',
            'Bucket storage is empty: start a replicating sync server first',
          );
        readerRules = SyncRules.parse(options.syncRules, state.rulesVersion);
        listener = new CheckpointListener(store, state.head, onCheckpoint, log);
        await listener.start();
      }
      ready = true;
      http = createServer(route);
      http.keepAliveTimeout = 65_000;
      http.requestTimeout = 0; // streams are long-lived
      http.headersTimeout = 30_000;
      // RSocket over WebSocket on the same port and path (`connectionMethod: WEB_SOCKET`).
      rsocket = await attachRSocket(http, {
        onStream: (request) => endpoint.handleRSocket(request),
        origins: options.corsOrigins ?? '*',
      });
      await new Promise<void>((resolve, reject) => {
        http!.once('error', reject);
        http!.listen(listenPort, options.host ?? '127.0.0.1', () => resolve());
      });
      listenPort = (http.address() as AddressInfo).port;
      if (options.trimWhenIdleMs)
        stopTrim = startIdleTrim({
          activity: () =>
            events +
            metricsState.checkpointsSent +
            metricsState.opsSent +
            metricsState.streamsOpened +
            metricsState.writeCheckpoints +
            metricsState.checkpointRequests,
          release: () => cache.clear(),
          quietMs: options.trimWhenIdleMs,
          log,
        });
      log.info('sync server listening', { url: server.url, slot: replicator ? undefined : 'reader' });
    },
    async stop() {
      stopping = true;
      stopTrim?.();
      endpoint.closeAll();
      await rsocket?.close();
      if (http) {
        http.closeAllConnections();
        await new Promise<void>((resolve) => http!.close(() => resolve()));
      }
      await replicator?.stop();
      await listener?.stop();
      await storagePool.end().catch(() => undefined);
      await sourcePool.end().catch(() => undefined);
    },
    async metrics() {
      return collectMetrics({
        store,
        replicator,
        hub,
        streams: streams.size,
        connections: [...streams].map((s) => s.summary()),
        state: metricsState,
        transports: transportCounts,
        cache,
      });
    },
  };
  return server;
}
