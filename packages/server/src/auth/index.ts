import { randomUUID } from 'node:crypto';
import { createLogger, httpUrl, invalidOption, type Logger, origins, SyncError } from '@syncline/errors';
import type { TokenPolicyOptions } from '@syncline/tokens';
import { DEFAULT_MAX_LIFETIME_SECONDS } from '@syncline/tokens';
import { type Auth, betterAuth } from 'better-auth';
import { bearer, jwt } from 'better-auth/plugins';
import type pg from 'pg';
import { guardPool } from '../db/index.js';
import { errorResponse } from '../http/index.js';
import { type AuthContext, createAuthenticator } from './authenticate.js';
import { authFailure } from './failure.js';
import { migrateAuthTables } from './migrate.js';
import { type RateLimitOptions, rateLimitConfig, withRateLimitHeaders } from './rate-limit.js';

export type { AuthContext, Authenticator } from './authenticate.js';
export { createAuthenticator } from './authenticate.js';
export type { RateLimitOptions } from './rate-limit.js';
export { loadOrCreateSecret, type SecretOptions } from './secret.js';

/** Options for {@link createAuth}. */
export interface AuthOptions {
  /** Postgres pool for BetterAuth's tables (`user`, `session`, `account`, `verification`, `jwks`). Required. */
  pool: pg.Pool;
  /** Public base URL of the API, e.g. `http://localhost:3000`. Required. BetterAuth serves `/api/auth/*` below it. */
  baseURL: string;
  /**
   * Signs session cookies and encrypts the JWKS private key at rest. Required, at least 32 characters.
   * Keep it stable: a new secret invalidates sessions and makes the stored signing key unusable.
   */
  secret: string;
  /** JWT `iss`. Default: `baseURL`. */
  issuer?: string;
  /** JWT `aud` (what the sync service must be configured to accept). Default: `baseURL`. */
  audience?: string | string[];
  /** JWT lifetime: seconds, or a span like `'15m'` / `'1h'`. Default `'15m'`. */
  expiresIn?: number | string;
  /** Browser origins besides `baseURL` allowed to call `/api/auth/*` (BetterAuth's origin check) and, by default, CORS. Default `[]`. */
  trustedOrigins?: string[];
  /** RSA key size of the signing key. Default 2048. */
  modulusLength?: 2048 | 3072 | 4096;
  /** Where BetterAuth's and Syncline's auth logs go. Default: `createLogger({ name: 'auth' })`. */
  logger?: Logger;
  /**
   * How bearer JWTs are checked besides `iss`/`aud` (the sync server uses the same policy): accepted
   * algorithms, longest lifetime (default 24 h; `expiresIn` may not exceed it), clock skew (default 30 s).
   */
  tokenPolicy?: Omit<TokenPolicyOptions, 'audience' | 'issuer'>;
  /**
   * Rate limiting of `/api/auth/*` (BetterAuth's limiter): sign-in and sign-up 5 per minute, `/token`
   * 30 per minute, everything else 100 per 10 s, per client IP; over it → 429 `AUTH_RATE_LIMITED` with
   * `Retry-After`. `false` turns it off. Default: on, except when `NODE_ENV` is `test`.
   */
  rateLimit?: RateLimitOptions | false;
}

const SPAN = /^\d+\s*(s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days)$/i;

/** The BetterAuth options {@link createAuth} builds (RS256 JWT, bearer, email and password). */
function buildOptions(o: {
  pool: pg.Pool;
  baseURL: string;
  secret: string;
  issuer: string;
  audience: string | string[];
  expiresIn: string;
  trustedOrigins: string[];
  modulusLength: number;
  logger: Logger;
  rateLimit: ReturnType<typeof rateLimitConfig>;
}) {
  return {
    baseURL: o.baseURL,
    secret: o.secret,
    database: o.pool,
    telemetry: { enabled: false },
    trustedOrigins: o.trustedOrigins,
    rateLimit: o.rateLimit.betterAuth,
    // BetterAuth skips its origin/CSRF check when NODE_ENV=test; keep it on everywhere. The client IP
    // for rate limits comes from our own header, set from the socket (or a trusted proxy) per request.
    advanced: {
      disableOriginCheck: false,
      ipAddress: { ipAddressHeaders: [o.rateLimit.ipHeader] },
    },
    emailAndPassword: { enabled: true },
    // Errors that are not BetterAuth's own answers (a lost database connection…) reach `handler`, which
    // turns them into a 503 with Retry-After instead of BetterAuth's bare 500.
    onAPIError: { throw: true },
    logger: {
      log: (level: 'debug' | 'info' | 'warn' | 'error', message: string, ...args: unknown[]) =>
        o.logger[level](message, args.length ? { args: args.map(String) } : undefined),
    },
    plugins: [
      bearer(),
      jwt({
        jwks: { keyPairConfig: { alg: 'RS256', modulusLength: o.modulusLength } },
        jwt: {
          issuer: o.issuer,
          audience: o.audience,
          expirationTime: o.expiresIn,
          // Slim: `sub` (user id) is added by BetterAuth, plus iat/exp/iss/aud. No profile data in tokens. A
          // `jti` makes every token distinct (two minted in the same second were byte-identical, so a refresh
          // could not be told from a replay in logs, and revocation lists had nothing to name).
          definePayload: () => ({ jti: randomUUID() }),
        },
        // get-session would otherwise sign a JWT on every call (also our session-token checks).
        // Clients fetch tokens from GET /api/auth/token.
        disableSettingJwtHeader: true,
      }),
    ],
  };
}

/** The BetterAuth instance {@link createAuth} configures. */
export type BetterAuthInstance = Auth<ReturnType<typeof buildOptions>>;

/** BetterAuth plus what Syncline's handlers need from it. */
export interface SynclineAuth {
  /** The BetterAuth instance (its `api` signs and verifies server-side). */
  readonly betterAuth: BetterAuthInstance;
  /** `betterAuth.api`: server-side calls such as `getSession`, `getJwks`, `signJWT`. */
  readonly api: BetterAuthInstance['api'];
  readonly baseURL: string;
  readonly issuer: string;
  readonly audience: string | string[];
  /** `baseURL`'s origin plus `trustedOrigins`. */
  readonly trustedOrigins: readonly string[];
  /** Creates BetterAuth's tables (once; later calls wait for the first). */
  ready(): Promise<void>;
  /**
   * Serves `/api/auth/*` (sign-up, sign-in, `/token`, `/jwks`, …) after {@link SynclineAuth.ready}.
   * `clientIp` (the socket's peer address, from the framework) keys the rate limits.
   */
  handler(request: Request, clientIp?: string): Promise<Response>;
  /** The user behind `Authorization: Bearer <session token | JWT>`; throws a 401 `AUTH_*` SyncError. */
  authenticate(request: Request): Promise<AuthContext>;
}

/**
 * BetterAuth preset for Syncline: email and password, the bearer plugin (native clients send no
 * cookies) and the JWT plugin signing **RS256** tokens (`sub` = user id, `iss`, `aud`, `exp`) whose
 * keys live in Postgres, encrypted with `secret`, so restarts keep tokens valid. Tables are created on
 * {@link SynclineAuth.ready} (BetterAuth's Kysely migrations on the given pool).
 *
 * @example
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * const auth = createAuth({ pool, baseURL: 'http://localhost:3000', secret: process.env.BETTER_AUTH_SECRET! });
 * await auth.ready();
 * // GET /api/auth/token with `Authorization: Bearer <session token>` → { token: <RS256 JWT> }
 */
export function createAuth(options: AuthOptions): SynclineAuth {
  const f = 'createAuth';
  if (!options || typeof options !== 'object') throw invalidOption(f, 'options', 'must be an object');
  if (!options.pool || typeof options.pool.connect !== 'function') {
    throw invalidOption(f, 'pool', 'is required (a pg.Pool)');
  }
  const baseURL = httpUrl(f, 'baseURL', options.baseURL);
  if (typeof options.secret !== 'string' || options.secret.length < 32) {
    throw invalidOption(
      f,
      'secret',
      'is required and must be at least 32 characters (e.g. `openssl rand -hex 32`)',
    );
  }
  const issuer = options.issuer ?? baseURL;
  if (typeof issuer !== 'string' || issuer === '')
    throw invalidOption(f, 'issuer', 'must be a non-empty string');
  const audience = options.audience ?? baseURL;
  const audiences = Array.isArray(audience) ? audience : [audience];
  if (audiences.length === 0 || audiences.some((a) => typeof a !== 'string' || a === '')) {
    throw invalidOption(f, 'audience', 'must be a non-empty string or a non-empty array of them');
  }
  const expiresIn = lifetime(options.expiresIn);
  const maxLifetime = options.tokenPolicy?.maxLifetimeSeconds ?? DEFAULT_MAX_LIFETIME_SECONDS;
  if (spanSeconds(expiresIn) > maxLifetime) {
    throw invalidOption(
      f,
      'expiresIn',
      `is ${expiresIn}, longer than the ${maxLifetime} s every server accepts (tokenPolicy.maxLifetimeSeconds)`,
    );
  }
  const rateLimit = rateLimitConfig(f, options.rateLimit);
  const modulusLength = options.modulusLength ?? 2048;
  if (![2048, 3072, 4096].includes(modulusLength)) {
    throw invalidOption(f, 'modulusLength', 'must be 2048, 3072 or 4096');
  }
  const trusted = [new URL(baseURL).origin, ...origins(f, 'trustedOrigins', options.trustedOrigins)];
  const trustedOrigins = [...new Set(trusted)];
  const logger = options.logger ?? createLogger({ name: 'auth' });
  guardPool(options.pool, logger);
  const betterAuthOptions = buildOptions({
    pool: options.pool,
    baseURL,
    secret: options.secret,
    issuer,
    audience,
    expiresIn,
    trustedOrigins,
    modulusLength,
    logger,
    rateLimit,
  });
  const instance = betterAuth(betterAuthOptions);

  let migrated: Promise<void> | undefined;
  const ready = () => {
    migrated ??= migrateAuthTables(options.pool, betterAuthOptions, logger).catch((e) => {
      migrated = undefined; // let the next call retry
      throw e;
    });
    return migrated;
  };
  const authenticator = createAuthenticator({
    issuer,
    audience,
    ...(options.tokenPolicy ? { policy: options.tokenPolicy } : {}),
    ready,
    getSession: (headers) => instance.api.getSession({ headers }),
    getJwks: () => instance.api.getJwks(),
  });
  return {
    betterAuth: instance,
    api: instance.api,
    baseURL,
    issuer,
    audience,
    trustedOrigins,
    ready,
    async handler(request, clientIp) {
      try {
        await ready();
      } catch (e) {
        logger.error('auth unavailable', { error: e });
        return errorResponse(
          new SyncError('INTERNAL', 'Authentication is temporarily unavailable. Retry later.', {
            status: 503,
          }),
        );
      }
      const req = rateLimit.keyed(withoutLoneFetchMetadata(request), clientIp);
      let response: Response;
      try {
        response = await instance.handler(req);
      } catch (e) {
        // BetterAuth throws (`onAPIError.throw`) what it would answer as a bare 500: a lost database
        // connection becomes a 503 with Retry-After, anything else a 500 without internals.
        const error = authFailure(e);
        if (error.status >= 500) logger.error('auth request failed', { code: error.code, error: e });
        return errorResponse(error);
      }
      return withRateLimitHeaders(response);
    },
    authenticate: (request) => authenticator.authenticate(request),
  };
}

/**
 * Node's fetch (undici) sends `sec-fetch-mode: cors` but no `Sec-Fetch-Site` and no `Origin`, and
 * BetterAuth 1.7 then refuses sign-in and sign-up with `MISSING_OR_NULL_ORIGIN`. Browsers always send
 * `Sec-Fetch-Site` with the other Fetch Metadata headers, so a request with `Sec-Fetch-Mode` but no
 * `Sec-Fetch-Site`, no `Origin`/`Referer` and no cookie is a native client: drop the stray headers so
 * BetterAuth treats it like any client without Fetch Metadata. Browser requests are left untouched.
 */
function withoutLoneFetchMetadata(request: Request): Request {
  const h = request.headers;
  if (!h.has('sec-fetch-mode') && !h.has('sec-fetch-dest')) return request;
  if (h.has('sec-fetch-site') || h.has('origin') || h.has('referer') || h.has('cookie')) return request;
  const headers = new Headers(h);
  headers.delete('sec-fetch-mode');
  headers.delete('sec-fetch-dest');
  // Frameworks hand over their own Request subclasses (srvx's NodeRequest): rebuild from parts.
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD' && request.body !== null;
  return new Request(request.url, {
    method: request.method,
    headers,
    body: hasBody ? request.body : null,
    signal: request.signal,
    ...(hasBody ? { duplex: 'half' } : {}),
  } as RequestInit);
}

/** Seconds of a span `lifetime()` accepted (`900s`, `15m`, `1h`, `2d`). */
function spanSeconds(span: string): number {
  const m = /^(\d+)\s*([a-z]+)$/i.exec(span.trim());
  if (!m) return Number.NaN;
  const unit = m[2]!.toLowerCase();
  const factor = unit.startsWith('s') ? 1 : unit.startsWith('m') ? 60 : unit.startsWith('h') ? 3600 : 86_400;
  return Number(m[1]) * factor;
}

function lifetime(value: number | string | undefined): string {
  if (value === undefined) return '15m';
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return `${value}s`;
  if (typeof value === 'string' && SPAN.test(value.trim())) return value.trim();
  throw invalidOption(
    'createAuth',
    'expiresIn',
    `must be a positive number of seconds or a span like "15m" or "1h", got ${JSON.stringify(value)}`,
  );
}
