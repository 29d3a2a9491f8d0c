/**
 * `/sync/stream` over every transport: HTTP with NDJSON or BSON (by `Accept`), and RSocket over WebSocket
 * (BSON). Each authenticates with the same token verifier, validates the same request, and runs the same
 * {@link SyncSession}; only the output encoding and transport differ.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Logger, SyncError } from '@syncline/errors';
import type { VerifiedToken } from '../auth/index.js';
import type { Encoding } from '../protocol/lines.js';
import { createLineOutput, type LineOutput } from '../sync/output.js';
import { parseSyncRequest, type SyncRequestBody } from '../sync/request.js';
import { type SessionContext, SyncSession } from '../sync/session.js';
import type { SessionEnd } from '../sync/session-events.js';
import { CONTENT_TYPE, negotiateEncoding } from './negotiate.js';
import { acceptsGzip, isLoopback, readJson } from './respond.js';
import { createResponseTransport } from './sink.js';
import type { RSocketStreamRequest } from './websocket/index.js';

/** What the endpoint needs from the server. */
export interface StreamEndpointOptions {
  ctx: SessionContext;
  /** Verifies `Authorization`-style credentials (`Token <jwt>` / `Bearer <jwt>`). */
  authenticate(authorization: string | undefined): Promise<VerifiedToken>;
  /** Throws `SYNC_NOT_READY` / `SYNC_SHUTTING_DOWN` when streams cannot be served. */
  assertServing(): void;
  compression: boolean | 'auto';
  /** Offer BSON to HTTP clients that prefer it. */
  bson: boolean;
  maxSubscriptions: number;
  metrics: { streamsOpened: number };
  /** Streams opened per transport. */
  transportCounts: Record<StreamTransportName, number>;
  logger: Logger;
}

/** How a stream reached the server (metrics label). */
export type StreamTransportName = 'http-ndjson' | 'http-bson' | 'websocket';

/** The `/sync/stream` handlers and the open sessions. */
export interface StreamEndpoint {
  readonly sessions: ReadonlySet<SyncSession>;
  /**
   * `POST /sync/stream`, answered with `headers` (CORS) besides its own. Resolves once the response has
   * started (the session then runs on its own and ends the response when it ends); errors before that are
   * thrown (for the HTTP error path).
   */
  handleHttp(req: IncomingMessage, res: ServerResponse, headers?: Record<string, string>): Promise<void>;
  /** One RSocket request-stream. Errors are thrown (the RSocket layer turns them into ERROR frames). */
  handleRSocket(request: RSocketStreamRequest): Promise<void>;
  /** Ends every session. */
  closeAll(): void;
}

/** Creates the `/sync/stream` handlers. */
export function createStreamEndpoint(o: StreamEndpointOptions): StreamEndpoint {
  const sessions = new Set<SyncSession>();

  async function start(
    authorization: string | undefined,
    readBody: () => Promise<unknown>,
  ): Promise<{ token: VerifiedToken; body: SyncRequestBody }> {
    const token = await o.authenticate(authorization);
    o.assertServing();
    const body = parseSyncRequest(await readBody(), { maxSubscriptions: o.maxSubscriptions });
    return { token, body };
  }

  /**
   * Starts a session; `onEnd` is called when it ends (after a failure is logged). Callbacks, not a promise
   * chain: nothing but the session's own record waits per idle stream (a pending chain of promises and
   * reactions, or a suspended `async` frame, would stay with every open stream).
   */
  function run(
    token: VerifiedToken,
    body: SyncRequestBody,
    out: LineOutput,
    transport: StreamTransportName,
    onClosed: (session: SyncSession) => void,
    onEnd: SessionEnd | null,
  ): void {
    const session = new SyncSession(
      o.ctx,
      {
        userId: token.userId,
        clientId: body.client_id ?? '',
        tokenExp: token.exp,
        jwtPayload: token.payload as Record<string, unknown>,
        body,
      },
      out,
    );
    sessions.add(session);
    o.metrics.streamsOpened++;
    o.transportCounts[transport]++;
    onClosed(session);
    session.start((failed, e) => ended(session, transport, out, onEnd, failed, e));
  }

  /** A session ended: forgotten, its failure logged, then `onEnd` (default: the output ends). */
  function ended(
    session: SyncSession,
    transport: StreamTransportName,
    out: LineOutput,
    onEnd: SessionEnd | null,
    failed: boolean,
    e: unknown,
  ): void {
    sessions.delete(session);
    let err: SyncError | undefined;
    if (failed) {
      err = SyncError.from(e);
      o.logger.warn('sync stream failed', {
        user: session.userId,
        transport,
        code: err.code,
        error: err.message,
      });
    }
    if (onEnd) onEnd(failed, err);
    else out.end();
  }

  return {
    sessions,
    handleHttp(req, res, headers = {}) {
      return start(req.headers.authorization, () => readJson(req, 1024 * 1024)).then(({ token, body }) => {
        const encoding: Encoding = o.bson ? negotiateEncoding(req) : 'ndjson';
        const gzip =
          acceptsGzip(req) && (o.compression === true || (o.compression === 'auto' && !isLoopback(req)));
        // One writeHead with every header (no setHeader before it): Node then keeps no per-response header map.
        res.writeHead(200, {
          ...headers,
          'Content-Type': CONTENT_TYPE[encoding],
          'Cache-Control': 'no-store',
          'X-Accel-Buffering': 'no',
          Vary: 'Accept, Accept-Encoding',
          ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
        });
        res.flushHeaders();
        const transport = createResponseTransport(res, { gzip });
        const out = createLineOutput(encoding, transport, o.ctx.metrics);
        // Errors are logged by run(); the response has started, so the stream just ends (the client reconnects).
        run(
          token,
          body,
          out,
          encoding === 'bson' ? 'http-bson' : 'http-ndjson',
          (session) => transport.closes(session),
          null,
        );
      });
    },
    async handleRSocket(request) {
      const { token, body } = await start(request.authorization, async () => {
        if (request.body.trim() === '') return {};
        try {
          return JSON.parse(request.body);
        } catch {
          throw new SyncError('SYNC_INVALID_REQUEST', 'The request-stream data is not valid JSON');
        }
      });
      const out = createLineOutput('bson', request.transport, o.ctx.metrics);
      await new Promise<void>((resolve, reject) =>
        run(
          token,
          body,
          out,
          'websocket',
          (session) => request.transport.onClose(() => session.close()),
          (failed, e) => (failed ? reject(e) : resolve()),
        ),
      );
    },
    closeAll() {
      for (const s of sessions) s.close();
    },
  };
}
