import { node } from '@elysiajs/node';
import { createLogger, type Logger, origins, SyncError } from '@syncline/errors';
import { type AnyElysia, Elysia } from 'elysia';
import type { SynclineAuth } from '../auth/index.js';
import type { ConfigHandler } from '../config/index.js';
import { createCors, errorResponse } from '../http/index.js';
import type { UserLookupHandler } from '../sharing/index.js';
import type { UploadHandler } from '../upload/index.js';

/** Options for {@link synclinePlugin}. */
export interface SynclinePluginOptions {
  /** From `createAuth`: mounted at `/api/auth/*`. */
  auth: SynclineAuth;
  /** From `createConfigHandler`: `GET /api/powersync/config`. */
  config: ConfigHandler;
  /** From `createUploadHandler`: `PUT /api/powersync/upload`. */
  upload: UploadHandler;
  /** From `createUserLookupHandler`: `GET /api/sharing/users?email=` (share dialogs). Optional. */
  sharing?: UserLookupHandler;
  /** Browser origins answered with CORS headers on these routes. Default: `auth.trustedOrigins`. */
  corsOrigins?: string[];
  /** Logs unexpected handler failures. Default: `createLogger({ name: 'http' })`. */
  logger?: Logger;
}

/**
 * An Elysia plugin serving BetterAuth at `/api/auth/*`, `GET /api/powersync/config`,
 * `PUT /api/powersync/upload` and, with `sharing`, `GET /api/sharing/users`, with CORS (preflights included) for trusted browser origins. Bodies
 * reach the handlers unparsed, so the upload size limit holds.
 *
 * @example
 * const app = new Elysia({ adapter: node() }).use(synclinePlugin({ auth, config, upload }));
 * const server = await listenNode(app, { port: 3000 });
 */
export function synclinePlugin(options: SynclinePluginOptions) {
  const { auth, config, upload } = options;
  for (const [name, value] of Object.entries({ auth, config, upload })) {
    if (!value) throw new SyncError('CONFIG_INVALID_OPTION', `synclinePlugin: option "${name}" is required`);
  }
  const cors = createCors({
    origins: options.corsOrigins
      ? origins('synclinePlugin', 'corsOrigins', options.corsOrigins)
      : auth.trustedOrigins,
  });
  const log = options.logger ?? createLogger({ name: 'http' });
  // Handlers answer errors themselves; this catches the unexpected without leaking its message.
  const serve = (request: Request, handler: (request: Request) => Promise<Response>) =>
    cors.handle(request, async () => {
      try {
        return await handler(request);
      } catch (e) {
        log.error('request failed', {
          method: request.method,
          path: new URL(request.url).pathname,
          error: e,
        });
        return errorResponse(e);
      }
    });
  const app = new Elysia({ name: 'syncline' })
    .all('/api/auth/*', ({ request }) => serve(request, (r) => auth.handler(r, clientIp(r))), {
      parse: 'none',
    })
    .get('/api/powersync/config', ({ request }) => serve(request, config))
    .put('/api/powersync/upload', ({ request }) => serve(request, upload), { parse: 'none' })
    .options('/api/powersync/*', ({ request }) => cors.preflight(request));
  const { sharing } = options;
  if (!sharing) return app;
  return app
    .get('/api/sharing/users', ({ request }) => serve(request, sharing))
    .options('/api/sharing/*', ({ request }) => cors.preflight(request));
}

/** The peer address of a request (srvx's Node adapter exposes it as `request.ip`), for rate limits. */
function clientIp(request: Request): string | undefined {
  const ip = (request as { ip?: unknown }).ip;
  return typeof ip === 'string' && ip !== '' ? ip : undefined;
}

/** Options for {@link listenNode}. */
export interface ListenOptions {
  /** Port; 0 picks a free one. Required. */
  port: number;
  /** Interface to bind. Default `127.0.0.1`. */
  hostname?: string;
}

/** A running server. */
export interface NodeServerHandle {
  /** `http://host:port`. */
  url: string;
  port: number;
  /** Closes the server and its open connections. */
  stop(): Promise<void>;
}

interface SrvxServer {
  ready(): Promise<unknown>;
  close(closeAll?: boolean): Promise<void>;
  node?: { server?: { address(): { port: number } | string | null } };
}

/**
 * Starts an Elysia app built with `adapter: node()` and resolves once it listens (rejects with
 * `CONFIG_PORT_IN_USE` when the port is taken). `stop()` uses the server handed to the `listen`
 * callback: under `@elysiajs/node`, `app.stop()` throws and `app.server` stays undefined.
 *
 * @example
 * const server = await listenNode(new Elysia({ adapter: node() }).get('/', () => 'hi'), { port: 3000 });
 * await server.stop();
 */
export async function listenNode(app: AnyElysia, options: ListenOptions): Promise<NodeServerHandle> {
  const hostname = options.hostname ?? '127.0.0.1';
  let raw: SrvxServer | undefined;
  // gracefulShutdown: false keeps srvx from installing SIGINT/SIGTERM handlers; the caller owns shutdown.
  app.listen({ port: options.port, hostname, gracefulShutdown: false, reusePort: false } as never, (info) => {
    raw = (info as unknown as { raw: SrvxServer }).raw;
  });
  if (!raw) throw new SyncError('INTERNAL', 'listenNode: the app is not using the @elysiajs/node adapter');
  const server = raw;
  try {
    await server.ready();
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new SyncError(
      code === 'EADDRINUSE' ? 'CONFIG_PORT_IN_USE' : 'INTERNAL',
      code === 'EADDRINUSE'
        ? `Port ${options.port} on ${hostname} is in use. Stop the other process or choose another PORT.`
        : `The server could not listen on ${hostname}:${options.port}: ${(e as Error).message}`,
      { cause: e, details: { port: options.port, hostname } },
    );
  }
  const address = server.node?.server?.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = hostname.includes(':') ? `[${hostname}]` : hostname;
  return { url: `http://${host}:${port}`, port, stop: () => server.close(true) };
}

/**
 * The `@elysiajs/node` adapter, re-exported so apps need no direct dependency on it.
 *
 * @example
 * const app = new Elysia({ adapter: node() });
 */
export { node };
