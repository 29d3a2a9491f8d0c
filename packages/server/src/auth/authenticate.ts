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
  const verified = new VerifiedTokens(policy.clockSkewSeconds);
  const keys = createLoadedKeySource(
    () => {
      verified.clear(); // keys (re)read: every token is verified again against them
      return options.getJwks();
    },
    { refreshIntervalMs: options.refreshIntervalMs ?? 30_000 },
  );

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
        const cached = verified.get(token);
        if (cached !== undefined) return { userId: cached, method: 'jwt' };
        const generation = verified.generation;
        const claims = await verifyToken(token, keys, policy);
        // Keys read again meanwhile: this token was checked against the old ones; don't keep it.
        if (verified.generation === generation) verified.add(token, claims);
        return { userId: claims.userId, method: 'jwt' };
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

/**
 * JWTs that passed {@link verifyToken}, until they expire: a client sends the same token with every request
 * for its lifetime, and its signature cannot change. Keyed by the whole token; a hit is only re-checked
 * against `exp` (the one check that time can make fail: `nbf` and `iat` only pass more with time). Cleared
 * whenever the signing keys are read again, so a key that disappears takes its tokens with it. Bounded: the
 * oldest entry goes first.
 */
class VerifiedTokens {
  private readonly entries = new Map<string, { userId: string; exp: number }>();
  /** Counts {@link clear}s. */
  generation = 0;
  constructor(
    private readonly skewSeconds: number,
    private readonly max = 1000,
  ) {}

  get(token: string): string | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.exp > Date.now() / 1000 - this.skewSeconds) return entry.userId;
    this.entries.delete(token); // expired: verifyToken answers why
    return undefined;
  }

  add(token: string, { userId, exp }: { userId: string; exp: number }): void {
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { userId, exp });
  }

  clear(): void {
    this.entries.clear();
    this.generation++;
  }
}
