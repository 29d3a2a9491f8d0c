import { type ErrorCode, SyncError } from '@syncline/errors';
import {
  createLocalJWKSet,
  errors,
  type JSONWebKeySet,
  type JWSHeaderParameters,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import { bearerToken } from '../http/index.js';

/** Who is calling: the user id, and how the credential was checked. */
export interface AuthContext {
  userId: string;
  /** `session`: a BetterAuth session token; `jwt`: one of our RS256 tokens, verified locally. */
  method: 'session' | 'jwt';
}

/** Resolves the caller of a request; throws a 401 `AUTH_*` SyncError. */
export interface Authenticator {
  authenticate(request: Request): Promise<AuthContext>;
}

/** Options for {@link createAuthenticator}. */
export interface AuthenticatorOptions {
  /** Accepted `iss`. */
  issuer: string;
  /** Accepted `aud` (any of them). */
  audience: string | string[];
  /** Looks up a BetterAuth session from request headers (`auth.api.getSession`). */
  getSession(headers: Headers): Promise<{ user: { id: string } } | null>;
  /** Our public keys (`auth.api.getJwks`). */
  getJwks(): Promise<unknown>;
  /** Awaited before the first lookup (table creation). */
  ready?: () => Promise<void>;
  /** Re-read the JWKS at most this often when a token names an unknown key, in ms. Default 30 000. */
  refreshIntervalMs?: number;
  /** Tolerated clock skew in seconds. Default 5. */
  clockToleranceSeconds?: number;
}

const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/**
 * Resolves `Authorization: Bearer <token>` to a user: a JWT (three dot-separated parts) is verified
 * locally against our own JWKS — signature, alg RS256 only, `iss`, `aud`, `exp`, `sub`; anything else
 * is looked up as a BetterAuth session token. Cookies are ignored: every client sends a bearer token.
 *
 * @example
 * const authenticator = createAuthenticator({ issuer, audience, getSession, getJwks });
 * const { userId } = await authenticator.authenticate(request);
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const refreshInterval = options.refreshIntervalMs ?? 30_000;
  let keys: { set: ReturnType<typeof createLocalJWKSet>; loadedAt: number } | undefined;
  const load = async () => {
    const jwks = (await options.getJwks()) as JSONWebKeySet;
    keys = { set: createLocalJWKSet(jwks), loadedAt: Date.now() };
    return keys.set;
  };
  const getKey: JWTVerifyGetKey = async (header: JWSHeaderParameters, token) => {
    const set = keys?.set ?? (await load());
    try {
      return await set(header, token);
    } catch (e) {
      // A key created or rotated after our last read: re-read, but not on every forged token.
      if (!(e instanceof errors.JWKSNoMatchingKey) || Date.now() - (keys?.loadedAt ?? 0) < refreshInterval) {
        throw e;
      }
      return (await load())(header, token);
    }
  };

  async function verifyJwt(token: string): Promise<AuthContext> {
    try {
      const { payload } = await jwtVerify(token, getKey, {
        algorithms: ['RS256'],
        issuer: options.issuer,
        audience: options.audience,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: options.clockToleranceSeconds ?? 5,
      });
      if (typeof payload.sub !== 'string' || payload.sub === '') {
        throw unauthorized('AUTH_MISSING_CLAIM', 'The token has no subject (sub). Fetch a new token.');
      }
      return { userId: payload.sub, method: 'jwt' };
    } catch (e) {
      throw SyncError.is(e) ? e : joseError(e);
    }
  }

  return {
    async authenticate(request) {
      const token = bearerToken(request);
      if (!token) {
        throw unauthorized(
          'AUTH_MISSING_TOKEN',
          'Sign in first: send `Authorization: Bearer <session token or JWT>`.',
        );
      }
      try {
        await options.ready?.();
      } catch (e) {
        // The cause (often a connection error naming hosts) goes to the logs, not to the client.
        throw new SyncError('INTERNAL', 'Authentication is temporarily unavailable. Retry later.', {
          status: 503,
          cause: e,
        });
      }
      if (JWT_SHAPE.test(token)) return verifyJwt(token);
      let session: { user: { id: string } } | null;
      try {
        session = await options.getSession(new Headers({ authorization: `Bearer ${token}` }));
      } catch (e) {
        throw new SyncError('INTERNAL', 'The session could not be checked. Retry later.', { cause: e });
      }
      if (!session?.user?.id) {
        throw unauthorized(
          'AUTH_INVALID_SESSION',
          'The session is missing, expired or revoked. Sign in again.',
        );
      }
      return { userId: session.user.id, method: 'session' };
    },
  };
}

function unauthorized(code: ErrorCode, message: string): SyncError {
  return new SyncError(code, message, { status: 401 });
}

function joseError(e: unknown): SyncError {
  if (e instanceof errors.JWTExpired) {
    return unauthorized('AUTH_EXPIRED', 'The token has expired. Fetch a new one from /api/auth/token.');
  }
  if (e instanceof errors.JWTClaimValidationFailed) {
    if (e.claim === 'aud')
      return unauthorized('AUTH_WRONG_AUDIENCE', 'The token is for another audience (aud).');
    if (e.claim === 'iss')
      return unauthorized('AUTH_WRONG_ISSUER', 'The token comes from another issuer (iss).');
    if (e.reason === 'missing') {
      return unauthorized('AUTH_MISSING_CLAIM', `The token lacks the "${e.claim}" claim.`);
    }
    return unauthorized('AUTH_INVALID_TOKEN', `The token's "${e.claim}" claim is not valid.`);
  }
  if (e instanceof errors.JOSEAlgNotAllowed) {
    return unauthorized('AUTH_ALGORITHM_NOT_ALLOWED', 'The token must be signed with RS256.');
  }
  if (e instanceof errors.JWKSNoMatchingKey || e instanceof errors.JWKSMultipleMatchingKeys) {
    return unauthorized(
      'AUTH_UNKNOWN_KEY',
      'No key of this server matches the token (kid). Fetch a new token.',
    );
  }
  if (e instanceof errors.JOSEError) {
    return unauthorized('AUTH_INVALID_TOKEN', 'The token is malformed or its signature does not verify.');
  }
  return new SyncError('INTERNAL', 'The token could not be checked. Retry later.', { cause: e });
}
