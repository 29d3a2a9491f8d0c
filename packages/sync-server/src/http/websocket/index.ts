/**
 * RSocket over WebSocket on `/sync/stream` (what the official clients use with
 * `connectionMethod: WEB_SOCKET`, and bare React Native by default): `rsocket-core`'s server over a `ws`
 * server that shares the HTTP server's port. The connection's SETUP frame carries JSON metadata
 * `{ token: "Token <jwt>", user_agent }`; each REQUEST_STREAM carries metadata `{ path: "/sync/stream" }` and
 * the JSON sync request as data, and is answered with one BSON document per PAYLOAD under request-N flow
 * control.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { SyncError } from '@syncline/errors';
import { Deferred, deserializeFrame, type Payload, RSocketServer, type ServerTransport } from 'rsocket-core';
import { WebsocketDuplexConnection } from 'rsocket-websocket-server/dist/WebsocketDuplexConnection.js';
import { createWebSocketStream, type WebSocket, WebSocketServer } from 'ws';
import { rsocketErrorMessage } from './errors.js';
import { createRSocketTransport, type RSocketStreamTransport } from './transport.js';

/** One request-stream, handed to the server's sync-stream logic. */
export interface RSocketStreamRequest {
  /** The `token` of the SETUP metadata (`Token <jwt>`), if any. */
  authorization: string | undefined;
  userAgent: string | undefined;
  /** The request body (JSON text). */
  body: string;
  transport: RSocketStreamTransport;
}

/** Options for {@link attachRSocket}. */
export interface RSocketOptions {
  /** Serves one stream; resolves when it ended. Throwing ends it with an ERROR frame. */
  onStream(request: RSocketStreamRequest): Promise<void>;
  /** Browser origins allowed to connect (`*` = any). */
  origins: '*' | string[];
}

/** The WebSocket endpoint attached to an HTTP server. */
export interface RSocketEndpoint {
  /** Open WebSocket connections. */
  readonly connections: number;
  /** Ends every stream and connection. */
  close(): Promise<void>;
}

const PATH = '/sync/stream';
/** Largest frame a client may send (SETUP, REQUEST_STREAM with the sync request, REQUEST_N, KEEPALIVE). */
const MAX_INBOUND_BYTES = 1024 * 1024;

/** Accepts RSocket-over-WebSocket connections on `/sync/stream` of `http`. */
export async function attachRSocket(http: Server, options: RSocketOptions): Promise<RSocketEndpoint> {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_INBOUND_BYTES });
  const server = new RSocketServer({
    transport: serverTransport(wss),
    acceptor: {
      accept: async (setup) => {
        const meta = parseJson(setup.metadata) as { token?: unknown; user_agent?: unknown } | null;
        const authorization = typeof meta?.token === 'string' ? meta.token : undefined;
        const userAgent = typeof meta?.user_agent === 'string' ? meta.user_agent : undefined;
        return {
          requestStream(payload: Payload, initialRequestN, responder) {
            const transport = createRSocketTransport(responder, initialRequestN);
            void serve(payload, transport, authorization, userAgent);
            return {
              request: (n: number) => transport.request(n),
              cancel: () => transport.cancel(),
              onExtension: () => undefined,
            };
          },
        };
      },
    },
  });
  await server.bind();

  async function serve(
    payload: Payload,
    transport: RSocketStreamTransport,
    authorization: string | undefined,
    userAgent: string | undefined,
  ): Promise<void> {
    try {
      const path = (parseJson(payload.metadata) as { path?: unknown } | null)?.path;
      if (path !== undefined && path !== PATH)
        throw new SyncError('SYNC_NOT_FOUND', `No RSocket route ${String(path)}; use ${PATH}`);
      await options.onStream({
        authorization,
        userAgent,
        body: payload.data?.toString('utf8') ?? '',
        transport,
      });
      transport.end();
    } catch (e) {
      transport.fail(rsocketErrorMessage(e));
    }
  }

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const origin = req.headers.origin;
    if (url.pathname !== PATH) return reject(socket, 404, `No WebSocket route ${url.pathname}`);
    if (options.origins !== '*' && origin && !options.origins.includes(origin))
      return reject(socket, 403, `Origin ${origin} is not allowed`);
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  http.on('upgrade', onUpgrade);

  return {
    get connections() {
      return wss.clients.size;
    },
    async close() {
      http.off('upgrade', onUpgrade);
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/**
 * `rsocket-core`'s server transport over WebSocket connections of `wss`, with `rsocket-websocket-server`'s
 * frame connection. Unlike that package's transport it notices a peer that goes away: the stream `ws` makes
 * of a socket only ends its readable side when the socket closes, which the frame connection does not
 * watch (it would wait for the keepalive lifetime, 90 s), so the connection is closed here at once and its
 * streams are cancelled.
 */
function serverTransport(wss: WebSocketServer): ServerTransport {
  return {
    async bind(acceptor, multiplexerFactory) {
      const closeable = new Deferred();
      const onConnection = (ws: WebSocket) => {
        ws.binaryType = 'nodebuffer';
        const duplex = createWebSocketStream(ws);
        let connection: WebsocketDuplexConnection | null = null;
        ws.once('close', () => connection?.close(new Error('The WebSocket closed')));
        duplex.once('data', async (buffer: Buffer) => {
          try {
            connection = new WebsocketDuplexConnection(duplex, deserializeFrame(buffer), multiplexerFactory);
            if (connection.done) return;
            duplex.pause(); // frames wait until the SETUP is accepted
            await acceptor(deserializeFrame(buffer), connection);
            duplex.resume();
          } catch (e) {
            if (connection) connection.close(e as Error);
            else ws.terminate();
          }
        });
      };
      wss.on('connection', onConnection);
      closeable.onClose(() => wss.off('connection', onConnection));
      return closeable;
    },
  };
}

function parseJson(buf: Buffer | null | undefined): unknown {
  if (!buf || buf.length === 0) return null;
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch {
    return null;
  }
}

function reject(socket: Duplex, status: number, message: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : 'Forbidden'}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(message)}\r\nConnection: close\r\n\r\n${message}`,
  );
}
