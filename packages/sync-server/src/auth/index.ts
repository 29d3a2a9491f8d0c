import { SyncError } from '@syncline/errors';
import {
  createJwksKeySource,
  type VerifiedToken as PolicyVerifiedToken,
  resolvePolicy,
  verifyToken,
} from '@syncline/tokens';
import type { JSONWebKeySet } from 'jose';

/** Options for {@link createTokenVerifier}. */
export interface TokenVerifierOptions {
  /** JWKS URL(s), e.g. the API's `/api/auth/jwks`. Fetched lazily, cached, refetched on an unknown `kid`. */
  jwksUri?: string | string[];
  /** Static keys (`client_auth.jwks`), for keys not served over HTTP. */
  jwks?: JSONWebKeySet;
  /** Accepted audiences; the token's `aud` must contain one. Required. */
  audience: string | string[];
  /** Accepted issuers (`client_auth.issuer`); when set, `iss` is required. Default: not checked. */
  issuer?: string | string[];
  /** Allowed algorithms. Default `@syncline/tokens`' list (asymmetric only). */
  algorithms?: string[];
  /** Maximum `exp - iat`. Default 86 400 s (one day), like the official service. */
  maxLifetimeSeconds?: number;
  /** Clock skew tolerated for `exp`, `nbf` and `iat`. Default 30 s. */
  clockSkewSeconds?: number;
  /** JWKS cache age before a background refresh. Default 5 min. */
  cacheMaxAgeMs?: number;
  /** Minimum time between JWKS fetches triggered by unknown `kid`s. Default 5 s. */
  jwksCooldownMs?: number;
}

/** A verified token. */
export type VerifiedToken = PolicyVerifiedToken;

/** Verifies sync-request tokens. */
export interface TokenVerifier {
  verify(token: string): Promise<VerifiedToken>;
}

/**
 * Creates the verifier for sync requests: the one token policy of `@syncline/tokens` (the API applies the
 * same) against keys from the JWKS URL(s) and/or static keys. Failures are `AUTH_*` SyncErrors (401, or
 * 503 `AUTH_JWKS_UNAVAILABLE` when the JWKS cannot be fetched).
 *
 * @example
 * const verifier = createTokenVerifier({ jwksUri: 'http://localhost:3000/api/auth/jwks', audience: 'http://localhost:3000' });
 * const { userId } = await verifier.verify(token);
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const where = 'createTokenVerifier';
  const policy = resolvePolicy(
    {
      audience: options?.audience,
      ...(options.issuer !== undefined ? { issuer: options.issuer } : {}),
      ...(options.algorithms !== undefined ? { algorithms: options.algorithms } : {}),
      ...(options.maxLifetimeSeconds !== undefined ? { maxLifetimeSeconds: options.maxLifetimeSeconds } : {}),
      ...(options.clockSkewSeconds !== undefined ? { clockSkewSeconds: options.clockSkewSeconds } : {}),
    },
    where,
  );
  const keys = createJwksKeySource({
    ...(options.jwksUri !== undefined ? { jwksUri: options.jwksUri } : {}),
    ...(options.jwks ? { jwks: options.jwks } : {}),
    ...(options.cacheMaxAgeMs !== undefined ? { cacheMaxAgeMs: options.cacheMaxAgeMs } : {}),
    ...(options.jwksCooldownMs !== undefined ? { cooldownMs: options.jwksCooldownMs } : {}),
  });
  return { verify: (token) => verifyToken(token, keys, policy) };
}

/** The token from `Authorization: Token <jwt>` or `Bearer <jwt>`. */
export function tokenFromHeader(header: string | undefined): string {
  if (!header) throw new SyncError('AUTH_MISSING_TOKEN', 'Send "Authorization: Token <jwt>"');
  const m = /^(Token|Bearer) (\S+)$/i.exec(header.trim());
  if (!m)
    throw new SyncError(
      'AUTH_MISSING_TOKEN',
      'The Authorization header must be "Token <jwt>" or "Bearer <jwt>"',
    );
  return m[2]!;
}
