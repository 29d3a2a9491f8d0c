import { createLogger, type Logger, SyncError } from '@syncline/errors';
import { type FetchLike, invalidResponse, type ReadResponse, responseError, send } from '../http/index.js';
import { decodeJwtClaims, freshUntil } from './jwt.js';

export { decodeJwtClaims, freshUntil, type JwtClaims } from './jwt.js';

/**
 * The app's auth side, injected: where the current session token comes from, and what to do when the
 * API rejects it. The client never stores the session itself.
 *
 * @example
 * const auth: SessionSource = {
 *   getSessionToken: () => localStorage.getItem('session'),
 *   onSessionRejected: () => localStorage.removeItem('session'),
 *   signOut: () => authClient.signOut(),
 * };
 */
export interface SessionSource {
  /** The BetterAuth session token (sent as `Authorization: Bearer …`), or null when signed out. */
  getSessionToken(): string | null | undefined | Promise<string | null | undefined>;
  /**
   * Called when `/api/powersync/config` or `/api/auth/token` answered 401 for the session. Refresh or drop
   * the session here; if `getSessionToken()` then returns a different token it is tried once.
   */
  onSessionRejected?(error: SyncError): void | Promise<void>;
  /** Called by `client.signOut()` after the client disconnected. */
  signOut?(): void | Promise<void>;
}

/** Credentials for the sync server plus the user they belong to. */
export interface SyncCredentials {
  /** The sync server URL (from `/api/powersync/config`), without a trailing slash. */
  endpoint: string;
  /** The JWT from `/api/auth/token`; also the bearer for uploads. */
  token: string;
  /** The user the token is for (`sub`, equal to the config's `userId`). */
  userId: string;
  expiresAt?: Date;
}

/** Whether the client has a usable session, as far as it knows. */
export type AuthState = 'unknown' | 'signed-in' | 'signed-out';

/** Options for {@link createCredentials}. */
export interface CredentialsOptions {
  /** The API's base URL, e.g. `http://localhost:3000`. Required. */
  apiUrl: string;
  /** Where the session token comes from. Required. */
  auth: SessionSource;
  /** Default: `globalThis.fetch`. */
  fetch?: FetchLike;
  /** Refresh this long before the JWT's `exp` (capped at half its lifetime). Default 60 000 ms. */
  refreshMarginMs?: number;
  /** Clock, for tests and skewed devices. Default `Date.now`. */
  now?: () => number;
  /** Default: `createLogger({ name: 'client' })`. */
  logger?: Logger;
  /** Called when the auth state changes (signed in / out, with the reason). */
  onAuthState?: (state: AuthState, error?: SyncError) => void;
}

/** The credentials cache made by {@link createCredentials}. */
export interface Credentials {
  /** Cached credentials while fresh, otherwise fetched; null when signed out. Throws on network/5xx. */
  get(): Promise<SyncCredentials | null>;
  /** Drops the cache: the next `get()` fetches (after a 401, a token expiry, a new session). */
  invalidate(): void;
  /** The cached credentials without fetching (may be stale), or null. */
  peek(): SyncCredentials | null;
  /** Drops the cache and reports `signed-out` (the next successful `get()` reports `signed-in`). */
  signOut(): void;
  readonly authState: AuthState;
}

/**
 * Fetches `{ powersyncUrl, userId }` and a JWT from the API with the session token, and caches them
 * until shortly before the JWT expires. A 401 on either call asks the {@link SessionSource} to refresh
 * and retries once with a new session token; otherwise the result is `null` (signed out).
 *
 * @example
 * const credentials = createCredentials({ apiUrl: 'http://localhost:3000', auth });
 * const c = await credentials.get(); // { endpoint, token, userId, expiresAt } | null
 */
export function createCredentials(options: CredentialsOptions): Credentials {
  const apiUrl = options.apiUrl.replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const now = options.now ?? Date.now;
  const margin = options.refreshMarginMs ?? 60_000;
  const log = options.logger ?? createLogger({ name: 'client' });
  let cached: { credentials: SyncCredentials; freshUntil: number } | null = null;
  let inflight: { promise: Promise<SyncCredentials | null>; generation: number } | null = null;
  let generation = 0;
  let authState: AuthState = 'unknown';

  const setAuth = (state: AuthState, error?: SyncError) => {
    if (state === authState && !error) return;
    authState = state;
    options.onAuthState?.(state, error);
  };

  const getJson = async (path: string, session: string): Promise<ReadResponse> => {
    const res = await send(fetchImpl, `${apiUrl}${path}`, {
      method: 'GET',
      headers: { authorization: `Bearer ${session}`, accept: 'application/json' },
    });
    if (res.status < 200 || res.status >= 300) throw (await responseError(res)).error;
    return res;
  };

  const fetchWith = async (session: string, started: number): Promise<SyncCredentials> => {
    const [config, token] = await Promise.all([
      getJson('/api/powersync/config', session),
      getJson('/api/auth/token', session),
    ]);
    const c = config.json as { powersyncUrl?: unknown; userId?: unknown } | undefined;
    const t = token.json as { token?: unknown } | undefined;
    if (typeof c?.powersyncUrl !== 'string' || typeof c.userId !== 'string' || c.userId === '') {
      throw invalidResponse('GET /api/powersync/config', config);
    }
    if (typeof t?.token !== 'string' || t.token === '') throw invalidResponse('GET /api/auth/token', token);
    const claims = decodeJwtClaims(t.token);
    if (claims?.sub !== c.userId) {
      throw new SyncError(
        'CLIENT_INVALID_RESPONSE',
        'The token from /api/auth/token is not for the user /api/powersync/config names; not using it.',
        { details: { configUser: c.userId, tokenUser: claims?.sub ?? null } },
      );
    }
    const credentials: SyncCredentials = {
      endpoint: c.powersyncUrl.replace(/\/+$/, ''),
      token: t.token,
      userId: c.userId,
    };
    if (claims.exp !== undefined) credentials.expiresAt = new Date(claims.exp * 1000);
    // Invalidated while fetching (new session, a 401 elsewhere): hand it out once, do not keep it.
    if (generation === started) cached = { credentials, freshUntil: freshUntil(claims, now(), margin) };
    return credentials;
  };

  const fetchFresh = async (started: number): Promise<SyncCredentials | null> => {
    const session = await options.auth.getSessionToken();
    if (!session) {
      setAuth('signed-out', new SyncError('CLIENT_NOT_SIGNED_IN', 'Not signed in.'));
      return null;
    }
    try {
      const c = await fetchWith(session, started);
      setAuth('signed-in');
      return c;
    } catch (e) {
      if (!(SyncError.is(e) && e.status === 401)) throw e;
      log.warn('session rejected by the API', { code: e.code });
      await options.auth.onSessionRejected?.(e);
      const again = await options.auth.getSessionToken();
      if (again && again !== session) {
        try {
          const c = await fetchWith(again, started);
          setAuth('signed-in');
          return c;
        } catch (e2) {
          if (!(SyncError.is(e2) && e2.status === 401)) throw e2;
          setAuth('signed-out', e2);
          return null;
        }
      }
      setAuth('signed-out', e);
      return null;
    }
  };

  return {
    get authState() {
      return authState;
    },
    peek: () => cached?.credentials ?? null,
    invalidate() {
      cached = null;
      generation++;
    },
    signOut() {
      cached = null;
      generation++;
      setAuth('signed-out');
    },
    async get() {
      if (cached && now() < cached.freshUntil) return cached.credentials;
      if (!inflight || inflight.generation !== generation) {
        const started = generation;
        const promise = fetchFresh(started).finally(() => {
          if (inflight?.promise === promise) inflight = null;
        });
        inflight = { promise, generation: started };
      }
      return inflight.promise;
    },
  };
}
