import { type ErrorCode, SyncError } from '@syncline/errors';
import {
  type CompactJWSHeaderParameters,
  compactVerify,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  type JWTPayload,
} from 'jose';
import type { KeySource } from '../keys/index.js';
import type { TokenPolicy } from '../policy/index.js';

/** A token that passed the policy. */
export interface VerifiedToken {
  /** The `sub` claim: the user id. */
  userId: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
  /** Issued at, seconds since the epoch. */
  iat: number;
  payload: JWTPayload;
}

/** A 401 with a code; `claim` names the claim at fault, when there is one. */
export function tokenError(code: ErrorCode, message: string, claim?: string): SyncError {
  return new SyncError(code, message, { status: 401, ...(claim ? { details: { claim } } : {}) });
}

/**
 * The header of a compact JWS, not verified: `AUTH_MALFORMED_TOKEN` when it is not three parts or the header
 * is not base64url JSON. {@link verifyToken} starts with it.
 */
export function readTokenHeader(token: unknown): CompactJWSHeaderParameters {
  if (typeof token !== 'string' || token.split('.').length !== 3) {
    throw tokenError('AUTH_MALFORMED_TOKEN', 'The token is not a JWT (three dot-separated base64url parts).');
  }
  try {
    return decodeProtectedHeader(token) as CompactJWSHeaderParameters;
  } catch {
    throw tokenError('AUTH_MALFORMED_TOKEN', 'The token header is not base64url-encoded JSON.');
  }
}

/**
 * A token's header and claims, read without verifying anything (for diagnostics such as `syncline doctor`;
 * never for access decisions). Fails with the same `AUTH_MALFORMED_TOKEN` as {@link verifyToken}.
 *
 * @example
 * const { header, payload } = inspectToken(token); // header.alg, payload.aud
 */
export function inspectToken(token: unknown): { header: CompactJWSHeaderParameters; payload: JWTPayload } {
  const header = readTokenHeader(token);
  try {
    return { header, payload: decodeJwt(token as string) };
  } catch {
    throw tokenError('AUTH_MALFORMED_TOKEN', 'The token payload is not a base64url-encoded JSON object.');
  }
}

/**
 * Verifies a JWT against the policy, in this order, each failure with its own code:
 * shape (`AUTH_MALFORMED_TOKEN`) → `alg` in the allow-list (`AUTH_ALGORITHM_NOT_ALLOWED`) → `kid` present
 * (`AUTH_MISSING_KID`) → a key for it (`AUTH_UNKNOWN_KEY`; `AUTH_JWKS_UNAVAILABLE` 503 when the JWKS cannot
 * be fetched) → signature (`AUTH_INVALID_TOKEN`) → required claims `sub`, `exp`, `iat`, `aud` and `iss` when
 * configured (`AUTH_MISSING_CLAIM`) and their types (`AUTH_INVALID_CLAIM`) → `iss` (`AUTH_WRONG_ISSUER`) →
 * `aud` (`AUTH_WRONG_AUDIENCE`) → `exp` (`AUTH_EXPIRED`) → `nbf` (`AUTH_NOT_YET_VALID`) → `iat`
 * (`AUTH_ISSUED_IN_FUTURE`) → lifetime `exp - iat` (`AUTH_LIFETIME_TOO_LONG`). Claims are only read after
 * the signature verified.
 *
 * @example
 * const { userId } = await verifyToken(token, keys, resolvePolicy({ audience, issuer }));
 */
export async function verifyToken(
  token: string,
  keys: KeySource,
  policy: TokenPolicy,
  now: number = Date.now() / 1000,
): Promise<VerifiedToken> {
  const header = readTokenHeader(token);
  if (typeof header.alg !== 'string' || !policy.algorithms.includes(header.alg)) {
    throw tokenError(
      'AUTH_ALGORITHM_NOT_ALLOWED',
      `The token is signed with ${JSON.stringify(header.alg ?? null)}; accepted: ${policy.algorithms.join(', ')}.`,
    );
  }
  if (typeof header.kid !== 'string' || header.kid === '') {
    throw tokenError(
      'AUTH_MISSING_KID',
      'The token header has no "kid": the key that signed it cannot be chosen.',
    );
  }
  const key = await keys(header);
  let payloadBytes: Uint8Array;
  try {
    ({ payload: payloadBytes } = await compactVerify(token, key, { algorithms: [...policy.algorithms] }));
  } catch (e) {
    if (e instanceof errors.JWSSignatureVerificationFailed) {
      throw tokenError('AUTH_INVALID_TOKEN', 'The token signature does not verify. Fetch a new token.');
    }
    if (e instanceof errors.JOSEAlgNotAllowed) {
      throw tokenError('AUTH_ALGORITHM_NOT_ALLOWED', `The token algorithm ${header.alg} is not allowed.`);
    }
    // The key does not fit the algorithm (an RSA key for ES256…) or the parts do not decode.
    throw tokenError('AUTH_MALFORMED_TOKEN', `The token cannot be verified: ${(e as Error).message}.`);
  }
  let payload: JWTPayload;
  try {
    payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payloadBytes));
  } catch {
    throw tokenError('AUTH_MALFORMED_TOKEN', 'The token payload is not JSON.');
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw tokenError('AUTH_MALFORMED_TOKEN', 'The token payload is not a JSON object.');
  }
  return checkClaims(payload, policy, now);
}

function checkClaims(payload: JWTPayload, policy: TokenPolicy, now: number): VerifiedToken {
  const required = ['sub', 'exp', 'iat', 'aud', ...(policy.issuer ? ['iss'] : [])];
  for (const claim of required) {
    if (payload[claim] === undefined || payload[claim] === null) {
      throw tokenError('AUTH_MISSING_CLAIM', `The token lacks the "${claim}" claim.`, claim);
    }
  }
  const invalid = (claim: string, what: string) =>
    tokenError('AUTH_INVALID_CLAIM', `The token's "${claim}" claim must be ${what}.`, claim);
  const { sub, exp, iat, nbf, aud, iss } = payload;
  if (typeof sub !== 'string' || sub === '') throw invalid('sub', 'a non-empty string (the user id)');
  for (const [claim, value] of [
    ['exp', exp],
    ['iat', iat],
    ['nbf', nbf],
  ] as const) {
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
      throw invalid(claim, 'a number of seconds since the epoch');
    }
  }
  const audiences = typeof aud === 'string' ? [aud] : aud;
  if (!Array.isArray(audiences) || audiences.some((a) => typeof a !== 'string')) {
    throw invalid('aud', 'a string or an array of strings');
  }
  if (iss !== undefined && typeof iss !== 'string') throw invalid('iss', 'a string');
  if (policy.issuer && !policy.issuer.includes(iss as string)) {
    throw tokenError(
      'AUTH_WRONG_ISSUER',
      `The token comes from another issuer (${JSON.stringify(iss)}).`,
      'iss',
    );
  }
  if (!audiences.some((a) => policy.audience.includes(a))) {
    throw tokenError('AUTH_WRONG_AUDIENCE', 'The token is for another audience (aud).', 'aud');
  }
  const skew = policy.clockSkewSeconds;
  const e = exp as number;
  const i = iat as number;
  if (e <= now - skew) throw tokenError('AUTH_EXPIRED', 'The token has expired. Fetch a new one.', 'exp');
  if (typeof nbf === 'number' && nbf > now + skew) {
    throw tokenError(
      'AUTH_NOT_YET_VALID',
      'The token is not valid yet (nbf is in the future). Check the clocks.',
      'nbf',
    );
  }
  if (i > now + skew) {
    throw tokenError(
      'AUTH_ISSUED_IN_FUTURE',
      'The token was issued in the future (iat). Check the clocks.',
      'iat',
    );
  }
  const lifetime = e - i;
  if (lifetime > policy.maxLifetimeSeconds) {
    throw tokenError(
      'AUTH_LIFETIME_TOO_LONG',
      `The token lives ${lifetime} s; at most ${policy.maxLifetimeSeconds} s are accepted. Issue shorter-lived tokens.`,
      'exp',
    );
  }
  return { userId: sub, exp: e, iat: i, payload };
}
