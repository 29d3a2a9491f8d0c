/** Client-side JWT reading: no verification (the servers verify), just the claims the cache needs. */

/** The claims the client reads. */
export interface JwtClaims {
  sub?: string;
  /** Expiry, unix seconds. */
  exp?: number;
  /** Issued at, unix seconds. */
  iat?: number;
}

/**
 * Decodes a JWT's payload without verifying it. Returns null for anything that is not a three-part
 * token with a JSON object payload.
 *
 * @example
 * decodeJwtClaims(token)?.exp; // 1767225600
 */
export function decodeJwtClaims(token: string): JwtClaims | null {
  if (typeof token !== 'string') return null;
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return null;
  try {
    const payload = JSON.parse(base64UrlDecode(parts[1])) as unknown;
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
    const p = payload as Record<string, unknown>;
    const claims: JwtClaims = {};
    if (typeof p.sub === 'string') claims.sub = p.sub;
    if (typeof p.exp === 'number' && Number.isFinite(p.exp)) claims.exp = p.exp;
    if (typeof p.iat === 'number' && Number.isFinite(p.iat)) claims.iat = p.iat;
    return claims;
  } catch {
    return null;
  }
}

/**
 * When cached credentials stop being fresh (ms since epoch): `refreshMarginMs` before `exp`, but never
 * earlier than half-way through the token's life (so a short-lived token is not refreshed on every
 * use). Without `exp` the token is treated as fresh for `fallbackMs` from `now`.
 *
 * @example
 * freshUntil({ iat: 0, exp: 900 }, 0, 60_000); // 840_000
 */
export function freshUntil(
  claims: JwtClaims | null,
  now: number,
  refreshMarginMs: number,
  fallbackMs = 60_000,
): number {
  if (!claims || claims.exp === undefined) return now + fallbackMs;
  const expMs = claims.exp * 1000;
  const issuedMs = claims.iat !== undefined ? claims.iat * 1000 : now;
  const lifetime = Math.max(0, expMs - issuedMs);
  const margin = Math.min(refreshMarginMs, lifetime / 2);
  return expMs - margin;
}

function base64UrlDecode(input: string): string {
  const b64 = input.replace(/-/g, '+').replace(/_/g, '/');
  const padded = b64 + '='.repeat((4 - (b64.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new TextDecoder().decode(bytes);
}
