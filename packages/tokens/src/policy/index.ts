import { invalidOption } from '@syncline/errors';

/**
 * What a token must satisfy to be accepted. The API's bearer checks and the sync server read the same
 * options with the same defaults, so one token gets the same verdict (and code) from both.
 */
export interface TokenPolicyOptions {
  /** Accepted audiences: the token's `aud` must contain one. Required. */
  audience: string | readonly string[];
  /** Accepted issuers. When set, `iss` is required and must be one of them. Default: not checked. */
  issuer?: string | readonly string[];
  /** Accepted signing algorithms. Default {@link DEFAULT_ALGORITHMS} (asymmetric only; never `none` or HS*). */
  algorithms?: readonly string[];
  /** Longest accepted lifetime, `exp - iat`, in seconds. Default 86 400 (24 h, like the official service). */
  maxLifetimeSeconds?: number;
  /** Tolerated clock difference for `exp`, `nbf` and `iat`, in seconds. Default 30. */
  clockSkewSeconds?: number;
}

/** A policy with its defaults applied. */
export interface TokenPolicy {
  readonly audience: readonly string[];
  readonly issuer: readonly string[] | undefined;
  readonly algorithms: readonly string[];
  readonly maxLifetimeSeconds: number;
  readonly clockSkewSeconds: number;
}

/** Signing algorithms accepted by default: the asymmetric ones JWKS endpoints publish. */
export const DEFAULT_ALGORITHMS: readonly string[] = Object.freeze([
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
]);

/** Default longest lifetime: 24 h. */
export const DEFAULT_MAX_LIFETIME_SECONDS = 86_400;
/** Default clock skew: 30 s. */
export const DEFAULT_CLOCK_SKEW_SECONDS = 30;

const SYMMETRIC = /^(HS\d+|none)$/i;

/**
 * Validates policy options and applies the defaults; a bad option throws `CONFIG_INVALID_OPTION` naming
 * it (`where` is the caller, e.g. `createTokenVerifier`).
 *
 * @example
 * const policy = resolvePolicy({ audience: 'https://api.example.com', issuer: 'https://api.example.com' });
 */
export function resolvePolicy(options: TokenPolicyOptions, where = 'tokenPolicy'): TokenPolicy {
  const bad = (name: string, why: string) => invalidOption(where, name, why);
  const list = (name: string, value: string | readonly string[] | undefined) => {
    const items = value === undefined ? [] : typeof value === 'string' ? [value] : [...value];
    if (items.some((a) => typeof a !== 'string' || a === '')) throw bad(name, 'must hold non-empty strings');
    return items;
  };
  const audience = list('audience', options?.audience);
  if (audience.length === 0) throw bad('audience', 'must name at least one accepted audience');
  const issuer = options.issuer === undefined ? undefined : list('issuer', options.issuer);
  if (issuer?.length === 0) throw bad('issuer', 'must name at least one issuer when given');
  const algorithms =
    options.algorithms === undefined ? [...DEFAULT_ALGORITHMS] : list('algorithms', options.algorithms);
  if (algorithms.length === 0) throw bad('algorithms', 'must name at least one algorithm');
  const symmetric = algorithms.filter((a) => SYMMETRIC.test(a));
  if (symmetric.length) {
    throw bad(
      'algorithms',
      `must not include ${symmetric.join(', ')}: tokens are verified with public keys only`,
    );
  }
  const maxLifetimeSeconds = options.maxLifetimeSeconds ?? DEFAULT_MAX_LIFETIME_SECONDS;
  if (!Number.isSafeInteger(maxLifetimeSeconds) || maxLifetimeSeconds <= 0) {
    throw bad(
      'maxLifetimeSeconds',
      `must be a positive number of seconds, got ${String(maxLifetimeSeconds)}`,
    );
  }
  const clockSkewSeconds = options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  if (!Number.isSafeInteger(clockSkewSeconds) || clockSkewSeconds < 0 || clockSkewSeconds > 300) {
    throw bad('clockSkewSeconds', `must be 0–300 seconds, got ${String(clockSkewSeconds)}`);
  }
  return { audience, issuer, algorithms, maxLifetimeSeconds, clockSkewSeconds };
}
