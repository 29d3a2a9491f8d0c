import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, SyncError } from '@syncline/errors';
import { isPortFree } from '@syncline/postgres/net';
import { createTokenVerifier, type TokenVerifier, tokenFromHeader } from './auth/index.js';
import { createPool } from './db/pool.js';
import { createRouter } from './http/routes.js';
import { createStreamEndpoint } from './http/stream-endpoint.js';
import { attachRSocket, type RSocketEndpoint } from './http/websocket/index.js';
import { startIdleTrim } from './idle-trim.js';
import { resolveOptions, type SyncServerOptions } from './options.js';
import { Replicator } from './replication/replicator.js';
import { emitWalMarker } from './replication/slot.js';
import { SyncRules } from './rules/index.js';
import type { CheckpointEvent } from './storage/events.js';
import { CheckpointListener } from './storage/listener.js';
import { BucketStore } from './storage/store.js';
import { StreamHub } from './sync/hub.js';
import { RecentOps } from './sync/recent-ops.js';
import type { SessionContext } from './sync/session.js';
import { TimerHeap } from './sync/timer-heap.js';
import { WriteCheckpoints } from './sync/write-checkpoints.js';
import { collectMetrics } from './telemetry.js';

export type { SyncServerOptions } from './options.js';

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
export function createSyncServer(input: SyncServerOptions): SyncServer {
  const options = resolveOptions(input);
  const log = (options.logger ?? createLogger({ name: 'sync-server' })).child({});
  const verifier: TokenVerifier = createTokenVerifier(options.auth);
  const schema = options.storageSchema;
  const storagePool = createPool({ connectionString: options.storageUrl, max: 20 }, log, 'storage pool');
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

  const replicator = !options.replicate
    ? null
    : new Replicator({
        sourceUrl: options.databaseUrl,
        store,
        rulesYaml: options.syncRules,
        slotName: options.slotName,
        publication: options.publication,
        logger: log,
        onCheckpoint,
        managePublication: options.managePublication,
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
    maxBuckets: options.maxBuckets,
    maxParameterRows: options.maxParameterRows,
    opsPerLine: options.opsPerLine,
    keepaliveMs: options.keepaliveMs,
    timers: new TimerHeap(),
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
    compression: options.compression,
    bson: options.bson,
    maxSubscriptions: options.maxSubscriptions,
    metrics: metricsState,
    transportCounts,
    logger: log,
  });
  const streams = endpoint.sessions;

  function readinessReason(): string {
    if (!ready) return 'starting: the initial replication is not done';
    if (stopping) return 'shutting down';
    if (replicator)
      return `replication is ${replicator.status}${replicator.lastError ? `: ${replicator.lastError}` : ''}`;
    return 'not listening for checkpoints (storage connection lost); reconnecting';
  }

  const route = createRouter({
    endpoint,
    authenticate,
    store,
    writeCheckpoints,
    walMarker: () => emitWalMarker(sourcePool),
    lastLsn: () => lastLsn,
    health: () => {
      const replicating = replicator ? replicator.status === 'streaming' : listener?.connected === true;
      return {
        ready: ready && !stopping && replicating,
        stopping,
        replication: replicator?.status ?? (listener?.connected ? 'reader' : 'reader-reconnecting'),
        reason: readinessReason,
      };
    },
    metricsAccess: options.metrics,
    metricsText: () => server.metrics(),
    corsOrigins: options.corsOrigins,
    counters: metricsState,
  });

  let http: Server | null = null;
  let rsocket: RSocketEndpoint | null = null;
  let listenPort = options.port;
  let listener: CheckpointListener | null = null;
  let stopTrim: (() => void) | null = null;

  const server: SyncServer = {
    get url() {
      return `http://${options.host}:${listenPort}`;
    },
    get port() {
      return listenPort;
    },
    async start() {
      if (listenPort !== 0 && !(await isPortFree(listenPort, options.host))) {
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
        for (const p of await store.writeCheckpoints.pending(lastLsn))
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
        origins: options.corsOrigins,
      });
      await new Promise<void>((resolve, reject) => {
        http!.once('error', reject);
        http!.listen(listenPort, options.host, () => resolve());
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
