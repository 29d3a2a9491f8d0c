import { describe, expect, it } from 'vitest';
import { decodeJwtClaims, freshUntil } from './jwt.js';

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const jwt = (payload: unknown) => `${b64url({ alg: 'RS256' })}.${b64url(payload)}.sig`;

describe('decodeJwtClaims', () => {
  it('reads sub, exp and iat without verifying', () => {
    expect(decodeJwtClaims(jwt({ sub: 'u1', exp: 2000, iat: 1100, name: 'x' }))).toEqual({
      sub: 'u1',
      exp: 2000,
      iat: 1100,
    });
  });
  it('handles base64url characters and UTF-8', () => {
    expect(decodeJwtClaims(jwt({ sub: 'ü?>>~~' }))?.sub).toBe('ü?>>~~');
  });
  it('returns null for anything that is not a JWT with an object payload', () => {
    for (const t of ['', 'abc', 'a.b', 'a.!!!.c', `${b64url({})}.${b64url([1])}.s`, `x.${b64url('str')}.y`]) {
      expect(decodeJwtClaims(t), t).toBeNull();
    }
  });
  it('ignores claims of the wrong type', () => {
    expect(decodeJwtClaims(jwt({ sub: 5, exp: '10' }))).toEqual({});
  });
});

describe('freshUntil', () => {
  it('refreshes refreshMargin before exp', () => {
    expect(freshUntil({ iat: 0, exp: 900 }, 0, 60_000)).toBe(840_000);
  });
  it('never refreshes before half of the lifetime', () => {
    expect(freshUntil({ iat: 100, exp: 120 }, 100_000, 60_000)).toBe(110_000);
  });
  it('uses now as iat when iat is missing', () => {
    expect(freshUntil({ exp: 100 }, 0, 60_000)).toBe(50_000);
  });
  it('falls back to a fixed period without exp', () => {
    expect(freshUntil(null, 5, 60_000, 1000)).toBe(1005);
    expect(freshUntil({ sub: 'x' }, 5, 60_000, 1000)).toBe(1005);
  });
});
