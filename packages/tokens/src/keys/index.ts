import { SyncError } from '@syncline/errors';
import {
  type CompactJWSHeaderParameters,
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose';
import { tokenError } from '../verify/index.js';

/** A verification key, as jose's key sets return it. */
export type VerificationKey = Awaited<ReturnType<JWTVerifyGetKey>>;

/** The public key a token's header names; throws `AUTH_UNKNOWN_KEY` (401) or `AUTH_JWKS_UNAVAILABLE` (503). */
export type KeySource = (header: CompactJWSHeaderParameters) => Promise<VerificationKey>;

/** Options for {@link createJwksKeySource}. */
export interface JwksKeySourceOptions {
  /** JWKS URL(s), fetched lazily, cached, and re-fetched when a token names an unknown `kid`. */
  jwksUri?: string | readonly string[];
  /** Static keys, for keys not served over HTTP. */
  jwks?: JSONWebKeySet;
  /** Age of the cached JWKS before it is re-fetched. Default 5 min. */
  cacheMaxAgeMs?: number;
  /** Least time between fetches caused by unknown `kid`s. Default 5 s. */
  cooldownMs?: number;
  /** Fetch timeout. Default 10 s. */
  timeoutMs?: number;
}

/**
 * Keys from JWKS URLs and/or static keys, tried in order (a key set that does not hold the `kid` passes
 * to the next). For servers that verify someone else's tokens, like the sync server.
 *
 * @example
 * const keys = createJwksKeySource({ jwksUri: 'http://localhost:3000/api/auth/jwks' });
 */
export function createJwksKeySource(options: JwksKeySourceOptions): KeySource {
  const uris =
    options.jwksUri === undefined
      ? []
      : typeof options.jwksUri === 'string'
        ? [options.jwksUri]
        : [...options.jwksUri];
  if (uris.length === 0 && !options.jwks) {
    throw new SyncError(
      'CONFIG_INVALID_OPTION',
      'token keys: set "jwksUri" (client_auth.jwks_uri) or "jwks" (client_auth.jwks)',
    );
  }
  const sets: JWTVerifyGetKey[] = uris.map((u) => {
    let url: URL;
    try {
      url = new URL(u);
    } catch {
      throw new SyncError('CONFIG_INVALID_OPTION', `token keys: jwksUri "${u}" is not a URL`);
    }
    return createRemoteJWKSet(url, {
      cacheMaxAge: options.cacheMaxAgeMs ?? 300_000,
      cooldownDuration: options.cooldownMs ?? 5_000,
      timeoutDuration: options.timeoutMs ?? 10_000,
    });
  });
  if (options.jwks) sets.push(createLocalJWKSet(options.jwks));
  return async (header) => {
    let last: unknown;
    for (const set of sets) {
      try {
        return await set(header, undefined as never);
      } catch (e) {
        last = e;
        if (!(e instanceof errors.JWKSNoMatchingKey)) break;
      }
    }
    throw keyError(last);
  };
}

/** Options for {@link createLoadedKeySource}. */
export interface LoadedKeySourceOptions {
  /** Re-read the keys at most this often when a token names an unknown `kid`, in ms. Default 30 000. */
  refreshIntervalMs?: number;
}

/**
 * Keys read through a function (e.g. BetterAuth's `api.getJwks()`), cached, and re-read when a token
 * names an unknown `kid` — at most every `refreshIntervalMs`, so forged `kid`s cannot make it read on
 * every request. For the server that issues the tokens.
 *
 * @example
 * const keys = createLoadedKeySource(() => auth.api.getJwks());
 */
export function createLoadedKeySource(
  load: () => Promise<unknown>,
  options: LoadedKeySourceOptions = {},
): KeySource {
  const refreshInterval = options.refreshIntervalMs ?? 30_000;
  let cached: { set: ReturnType<typeof createLocalJWKSet>; loadedAt: number } | undefined;
  const read = async () => {
    let jwks: JSONWebKeySet;
    try {
      jwks = (await load()) as JSONWebKeySet;
    } catch (e) {
      throw new SyncError('AUTH_JWKS_UNAVAILABLE', 'The signing keys could not be read. Retry later.', {
        cause: e,
      });
    }
    cached = { set: createLocalJWKSet(jwks), loadedAt: Date.now() };
    return cached.set;
  };
  return async (header) => {
    const set = cached?.set ?? (await read());
    try {
      return await set(header);
    } catch (e) {
      // A key created or rotated after the last read: read again, but not on every forged token.
      if (
        !(e instanceof errors.JWKSNoMatchingKey) ||
        Date.now() - (cached?.loadedAt ?? 0) < refreshInterval
      ) {
        throw keyError(e);
      }
      try {
        return await (await read())(header);
      } catch (again) {
        throw keyError(again);
      }
    }
  };
}

/** A key lookup failure as a SyncError: unknown key (401) or keys unavailable (503). */
export function keyError(e: unknown): SyncError {
  if (SyncError.is(e)) return e;
  if (e instanceof errors.JWKSNoMatchingKey || e instanceof errors.JWKSMultipleMatchingKeys) {
    return tokenError(
      'AUTH_UNKNOWN_KEY',
      'No key of this server matches the token (kid/alg). Fetch a new token.',
    );
  }
  if (
    e instanceof errors.JOSEError &&
    !(e instanceof errors.JWKSTimeout) &&
    !(e instanceof errors.JWKSInvalid)
  ) {
    return tokenError('AUTH_UNKNOWN_KEY', `The key the token names cannot be used: ${e.message}`);
  }
  return new SyncError(
    'AUTH_JWKS_UNAVAILABLE',
    `The JWKS could not be fetched: ${(e as Error)?.message ?? String(e)}`,
    {
      cause: e,
    },
  );
}
