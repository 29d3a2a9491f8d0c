import { createLogger, httpUrl, invalidOption, type Logger, SyncError } from '@syncline/errors';
import type { AuthContext, Authenticator } from '../auth/authenticate.js';
import { errorResponse, json } from '../http/index.js';

/** Options for {@link createConfigHandler}. */
export interface ConfigHandlerOptions {
  /** Resolves the caller (a {@link SynclineAuth} works). Required. */
  auth: Authenticator;
  /** URL of the PowerSync-protocol sync service the clients connect to. Required. */
  powersyncUrl: string;
  /** Default: `createLogger({ name: 'config' })`. */
  logger?: Logger;
}

/** `GET /api/powersync/config`: `(request, ctx?) => Response`. Pass `ctx` if your framework authenticated already. */
export type ConfigHandler = (request: Request, ctx?: AuthContext) => Promise<Response>;

/** The body of `GET /api/powersync/config`. */
export interface PowerSyncConfig {
  powersyncUrl: string;
  userId: string;
}

/**
 * Handler for `GET /api/powersync/config` → `{ powersyncUrl, userId }` for the signed-in user, 401
 * with an `AUTH_*` code otherwise.
 *
 * @example
 * const config = createConfigHandler({ auth, powersyncUrl: 'http://localhost:8080' });
 * app.get('/api/powersync/config', (c) => config(c.req.raw));
 */
export function createConfigHandler(options: ConfigHandlerOptions): ConfigHandler {
  if (!options?.auth || typeof options.auth.authenticate !== 'function') {
    throw invalidOption('createConfigHandler', 'auth', 'is required (an object with authenticate(request))');
  }
  const powersyncUrl = httpUrl('createConfigHandler', 'powersyncUrl', options.powersyncUrl);
  const log = options.logger ?? createLogger({ name: 'config' });
  return async (request, ctx) => {
    try {
      const { userId } = ctx ?? (await options.auth.authenticate(request));
      return json({ powersyncUrl, userId } satisfies PowerSyncConfig);
    } catch (e) {
      if (!SyncError.is(e) || e.status >= 500) log.error('config request failed', { error: e });
      return errorResponse(e);
    }
  };
}
