import { SyncError } from '@syncline/errors';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';

/** Options for {@link createTokenVerifier}. */
export interface TokenVerifierOptions {
  /** JWKS URL(s), e.g. the API's `/api/auth/jwks`. Fetched lazily, cached, refetched on an unknown `kid`. */
  jwksUri?: string | string[];
  /** Static keys (`client_auth.jwks`), for keys not served over HTTP. */
  jwks?: JSONWebKeySet;
  /** Accepted audiences; the token's `aud` must contain one. Required. */
  audience: string | string[];
  /** Accepted issuers. Default: any. */
  issuer?: string | string[];
  /** Allowed algorithms. Default: RS256/384/512, ES256/384/512, EdDSA. */
  algorithms?: string[];
  /** Maximum `exp - iat`. Default 86 400 s (one day), like the official service. */
  maxLifetimeSeconds?: number;
  /** Clock skew tolerance. Default 60 s. */
  clockToleranceSeconds?: number;
  /** JWKS cache age before a background refresh. Default 5 min. */
  cacheMaxAgeMs?: number;
  /** Minimum time between JWKS fetches triggered by unknown `kid`s. Default 5 s. */
  jwksCooldownMs?: number;
}

/** A verified token. */
export interface VerifiedToken {
  /** The `sub` claim: the user id. */
  userId: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
  payload: JWTPayload;
}

/** Verifies sync-request tokens. */
export interface TokenVerifier {
  verify(token: string): Promise<VerifiedToken>;
}

const DEFAULT_ALGS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/**
 * Creates a JWT verifier for sync requests: signature against the JWKS (RS256/ES256/EdDSA…), `aud`,
 * optional `iss`, required `sub`/`iat`/`exp`, and a maximum lifetime. Failures are `AUTH_*` SyncErrors
 * (401, or 503 when the JWKS cannot be fetched).
 *
 * @example
 * const verifier = createTokenVerifier({ jwksUri: 'http://localhost:3000/api/auth/jwks', audience: 'http://localhost:3000' });
 * const { userId } = await verifier.verify(token);
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const audience = Array.isArray(options.audience) ? options.audience : [options.audience];
  if (audience.length === 0 || audience.some((a) => !a)) {
    throw new SyncError(
      'CONFIG_INVALID_OPTION',
      'createTokenVerifier: option "audience" (client_auth.audience) must list at least one audience',
    );
  }
  const uris =
    options.jwksUri === undefined ? [] : Array.isArray(options.jwksUri) ? options.jwksUri : [options.jwksUri];
  if (uris.length === 0 && !options.jwks) {
    throw new SyncError(
      'CONFIG_INVALID_OPTION',
      'createTokenVerifier: set option "jwksUri" (client_auth.jwks_uri) or "jwks" (client_auth.jwks)',
    );
  }
  const sets: JWTVerifyGetKey[] = uris.map((u) => {
    let url: URL;
    try {
      url = new URL(u);
    } catch {
      throw new SyncError('CONFIG_INVALID_OPTION', `createTokenVerifier: jwksUri "${u}" is not a URL`);
    }
    return createRemoteJWKSet(url, {
      cacheMaxAge: options.cacheMaxAgeMs ?? 300_000,
      cooldownDuration: options.jwksCooldownMs ?? 5_000,
      timeoutDuration: 10_000,
    });
  });
  if (options.jwks) sets.push(createLocalJWKSet(options.jwks));
  const algorithms = options.algorithms ?? DEFAULT_ALGS;
  const maxLifetime = options.maxLifetimeSeconds ?? 86_400;
  const clockTolerance = options.clockToleranceSeconds ?? 60;
  const issuer = options.issuer;

  return {
    async verify(token: string): Promise<VerifiedToken> {
      if (token?.split('.').length !== 3) throw new SyncError('AUTH_INVALID_TOKEN', 'The token is not a JWT');
      let lastError: unknown;
      for (const keys of sets) {
        try {
          const { payload } = await jwtVerify(token, keys, {
            audience,
            ...(issuer ? { issuer } : {}),
            algorithms,
            clockTolerance,
            requiredClaims: ['sub', 'iat', 'exp'],
          });
          if (typeof payload.sub !== 'string' || payload.sub === '') {
            throw new SyncError('AUTH_MISSING_CLAIM', 'The token has no "sub" (user id)');
          }
          const lifetime = (payload.exp ?? 0) - (payload.iat ?? 0);
          if (lifetime > maxLifetime) {
            throw new SyncError(
              'AUTH_LIFETIME_TOO_LONG',
              `The token lives ${lifetime} s; the maximum is ${maxLifetime} s`,
            );
          }
          return { userId: payload.sub, exp: payload.exp ?? 0, payload };
        } catch (e) {
          lastError = e;
          // Another key set may hold the key; anything but "no matching key" is final.
          if (!(e instanceof errors.JWKSNoMatchingKey)) break;
        }
      }
      throw toAuthError(lastError);
    },
  };
}

function toAuthError(e: unknown): SyncError {
  if (SyncError.is(e)) return e;
  if (e instanceof errors.JWTExpired)
    return new SyncError('AUTH_EXPIRED', 'The token has expired; fetch a new one');
  if (e instanceof errors.JWTClaimValidationFailed) {
    if (e.claim === 'aud')
      return new SyncError(
        'AUTH_WRONG_AUDIENCE',
        `The token audience is not accepted by this sync server (${e.reason})`,
      );
    if (e.claim === 'iss')
      return new SyncError(
        'AUTH_WRONG_ISSUER',
        `The token issuer is not accepted by this sync server (${e.reason})`,
      );
    return new SyncError('AUTH_MISSING_CLAIM', `Token claim "${e.claim}" is invalid: ${e.message}`);
  }
  if (e instanceof errors.JOSEAlgNotAllowed)
    return new SyncError('AUTH_ALGORITHM_NOT_ALLOWED', `The token algorithm is not allowed: ${e.message}`);
  if (e instanceof errors.JWKSNoMatchingKey)
    return new SyncError('AUTH_UNKNOWN_KEY', 'No key in the JWKS matches the token (kid/alg)');
  if (
    e instanceof errors.JWKSTimeout ||
    e instanceof errors.JWKSInvalid ||
    (e instanceof Error && /fetch|ECONNREFUSED|JWKS/i.test(e.message) && !(e instanceof errors.JOSEError))
  ) {
    return new SyncError('AUTH_JWKS_UNAVAILABLE', `The JWKS could not be fetched: ${(e as Error).message}`, {
      cause: e,
    });
  }
  if (e instanceof errors.JWSSignatureVerificationFailed)
    return new SyncError('AUTH_INVALID_TOKEN', 'The token signature does not verify');
  return new SyncError('AUTH_INVALID_TOKEN', `The token is invalid: ${(e as Error)?.message ?? String(e)}`);
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
