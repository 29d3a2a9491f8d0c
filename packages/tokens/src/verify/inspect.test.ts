import { UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { inspectToken, readTokenHeader } from './index.js';

describe('inspectToken (diagnostics; the same AUTH_MALFORMED_TOKEN as verifyToken)', () => {
  it('reads header and claims without verifying', () => {
    const token = new UnsecuredJWT({ sub: 'u1', aud: 'https://api.example.com' }).encode();
    expect(inspectToken(token)).toMatchObject({
      header: { alg: 'none' },
      payload: { sub: 'u1', aud: 'https://api.example.com' },
    });
  });

  it.each([
    ['not three parts', 'abc.def'],
    ['a header that is not JSON', 'bm90IGpzb24.e30.'],
    ['a payload that is not JSON', `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.bm90.x`],
    ['not a string', 42],
  ])('refuses %s with a 401 AUTH_MALFORMED_TOKEN', (_, token) => {
    expect(() => inspectToken(token)).toThrow(
      expect.objectContaining({ code: 'AUTH_MALFORMED_TOKEN', status: 401 }),
    );
  });

  it('readTokenHeader only needs the header', () => {
    expect(readTokenHeader(`${Buffer.from('{"alg":"ES256","kid":"k"}').toString('base64url')}.x.y`)).toEqual({
      alg: 'ES256',
      kid: 'k',
    });
  });
});
