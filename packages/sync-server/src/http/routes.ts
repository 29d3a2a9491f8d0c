import type { IncomingMessage, ServerResponse } from 'node:http';
import { SyncError } from '@syncline/errors';
import type { VerifiedToken } from '../auth/index.js';
import { assertMetricsAccess, type MetricsAccess } from '../auth/metrics.js';
import type { BucketStore } from '../storage/store.js';
import { parseCheckpointRequest } from '../sync/request.js';
import type { WriteCheckpoints } from '../sync/write-checkpoints.js';
import { cors, corsHeaders, error, json, readJson } from './respond.js';
import type { StreamEndpoint } from './stream-endpoint.js';

/** The server's state as the probes report it. */
export interface Health {
  /** Streams can be served: started, not stopping, and replication (or the checkpoint listener) is live. */
  ready: boolean;
  /** Shutting down (liveness fails). */
  stopping: boolean;
  /** Replication status, `reader` or `reader-reconnecting`. */
  replication: string;
  /** Why the server is not ready (only read when it is not). */
  reason(): string;
}

/** What the routes need from the server. */
export interface RouterOptions {
  endpoint: StreamEndpoint;
  /** Verifies `Authorization` (`Token <jwt>` / `Bearer <jwt>`). */
  authenticate(authorization: string | undefined): Promise<VerifiedToken>;
  store: BucketStore;
  writeCheckpoints: WriteCheckpoints;
  /** A WAL position at or after everything committed so far (a logical message replication will pass). */
  walMarker(): Promise<string>;
  /** The WAL position the last checkpoint event reported. */
  lastLsn(): string;
  health(): Health;
  metricsAccess: MetricsAccess | undefined;
  metricsText(): Promise<string>;
  corsOrigins: '*' | string[];
  counters: { writeCheckpoints: number; checkpointRequests: number };
}

/** The path of a request URL (`/a/b?x=1` → `/a/b`), as `new URL(...).pathname` gives it for plain paths. */
function pathOf(url: string | undefined): string {
  const u = url ?? '/';
  const q = u.search(/[?#]/);
  return q < 0 ? u : u.slice(0, q);
}

function failed(res: ServerResponse, e: unknown): void {
  if (!res.headersSent) error(res, e);
  else res.end();
}

/**
 * The sync server's HTTP routes: `POST /sync/stream`, `GET /write-checkpoint2.json`,
 * `POST /sync/checkpoint-request`, `GET /probes/{liveness,readiness}` and `GET /metrics`.
 */
export function createRouter(o: RouterOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const corsOptions = { origins: o.corsOrigins };

  async function handleWriteCheckpoint(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const token = await o.authenticate(req.headers.authorization);
    const clientId = url.searchParams.get('client_id') ?? '';
    const lsn = await o.walMarker();
    const id = await o.store.writeCheckpoints.create(token.userId, clientId, lsn);
    o.writeCheckpoints.add(token.userId, clientId, id, lsn);
    o.writeCheckpoints.reached(o.lastLsn()); // replication may already have passed it
    o.counters.writeCheckpoints++;
    json(res, 200, { data: { write_checkpoint: String(id) } });
  }

  /**
   * `POST /sync/checkpoint-request` (`checkpointMode: 'requests'`): the client names its next id; the stored
   * id of `(user, client)` only ever goes up, and the answer is the stored one. It is reported in checkpoints
   * like a write checkpoint once replication passed the WAL position of the request that raised it.
   */
  async function handleCheckpointRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const token = await o.authenticate(req.headers.authorization);
    const { clientId, requestId } = parseCheckpointRequest(await readJson(req, 64 * 1024));
    const lsn = await o.walMarker();
    const { id, raised } = await o.store.writeCheckpoints.request(token.userId, clientId, requestId, lsn);
    if (raised) {
      o.writeCheckpoints.add(token.userId, clientId, id, lsn);
      o.writeCheckpoints.reached(o.lastLsn());
    }
    o.counters.checkpointRequests++;
    json(res, 200, { data: { checkpoint_request_id: String(id) } });
  }

  async function routeOther(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      if (o.health().stopping) throw new SyncError('SYNC_SHUTTING_DOWN', 'The sync server is shutting down');
      if (req.method === 'POST' && url.pathname === '/sync/stream')
        return await o.endpoint.handleHttp(req, res); // a path spelled differently (`/sync/./stream`)
      if (req.method === 'POST' && url.pathname === '/sync/checkpoint-request')
        return await handleCheckpointRequest(req, res);
      if (req.method === 'GET' && url.pathname === '/write-checkpoint2.json')
        return await handleWriteCheckpoint(req, res, url);
      if (req.method === 'GET' && url.pathname.startsWith('/probes/')) {
        const probe = url.pathname.slice('/probes/'.length);
        const h = o.health();
        const ok = probe === 'liveness' ? !h.stopping : h.ready;
        return json(res, ok ? 200 : 503, {
          ready: h.ready,
          replication: h.replication,
          ...(h.ready ? {} : { reason: h.reason() }),
          streams: o.endpoint.sessions.size,
        });
      }
      if (req.method === 'GET' && url.pathname === '/metrics') {
        assertMetricsAccess(req, o.metricsAccess);
        const text = await o.metricsText();
        res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(text);
        return;
      }
      throw new SyncError('SYNC_NOT_FOUND', `No route ${req.method} ${url.pathname}`);
    } catch (e) {
      failed(res, e);
    }
  }

  return function route(req: IncomingMessage, res: ServerResponse): void {
    // Streams skip the async router below: its suspended frame (and URL) would stay with every open stream.
    if (req.method === 'POST' && !o.health().stopping && pathOf(req.url) === '/sync/stream') {
      const headers = corsHeaders(req, corsOptions);
      o.endpoint.handleHttp(req, res, headers).catch((e: unknown) => {
        if (!res.headersSent) for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
        failed(res, e);
      });
      return;
    }
    if (cors(req, res, corsOptions)) return;
    void routeOther(req, res);
  };
}
