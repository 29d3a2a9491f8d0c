import { SyncError } from '@syncline/errors';
import {
  createLoadedKeySource,
  resolvePolicy,
  type TokenPolicy,
  type TokenPolicyOptions,
  tokenError,
  verifyToken,
} from '@syncline/tokens';
import { bearerToken } from '../http/index.js';

/** Who is calling: the user id, and how the credential was checked. */
export interface AuthContext {
  userId: string;
  /** `session`: a BetterAuth session token; `jwt`: one of our tokens, verified locally. */
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
  /** The rest of the token policy (algorithms, lifetime, clock skew); `@syncline/tokens` defaults. */
  policy?: Omit<TokenPolicyOptions, 'audience' | 'issuer'>;
}

/** Three dot-separated parts (the signature may be empty, e.g. `alg: none`): a JWT, not a session token. */
const JWT_SHAPE = /^[\w-]*\.[\w-]*\.[\w-]*$/;

/**
 * Resolves `Authorization: Bearer <token>` to a user: a JWT (three dot-separated parts) is verified
 * locally against our own JWKS with the one token policy of `@syncline/tokens` (the sync server applies
 * the same); anything else is looked up as a BetterAuth session token. Cookies are ignored: every client
 * sends a bearer token.
 *
 * @example
 * const authenticator = createAuthenticator({ issuer, audience, getSession, getJwks });
 * const { userId } = await authenticator.authenticate(request);
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const policy: TokenPolicy = resolvePolicy(
    { ...options.policy, audience: options.audience, issuer: options.issuer },
    'createAuth',
  );
  const keys = createLoadedKeySource(() => options.getJwks(), {
    refreshIntervalMs: options.refreshIntervalMs ?? 30_000,
  });

  return {
    async authenticate(request) {
      const token = bearerToken(request);
      if (!token) {
        throw tokenError(
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
      if (JWT_SHAPE.test(token)) {
        const { userId } = await verifyToken(token, keys, policy);
        return { userId, method: 'jwt' };
      }
      let session: { user: { id: string } } | null;
      try {
        session = await options.getSession(new Headers({ authorization: `Bearer ${token}` }));
      } catch (e) {
        throw new SyncError('INTERNAL', 'The session could not be checked. Retry later.', {
          status: 503,
          cause: e,
        });
      }
      if (!session?.user?.id) {
        throw tokenError(
          'AUTH_INVALID_SESSION',
          'The session is missing, expired or revoked. Sign in again.',
        );
      }
      return { userId: session.user.id, method: 'session' };
    },
  };
}
