import { SyncError } from '@syncline/errors';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createAuthenticator } from './authenticate.js';

const ISSUER = 'https://api.test';
const AUDIENCE = 'https://api.test';

async function key(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const sign = (sub: string, lifetimeSeconds = 900) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid })
      .setSubject(sub)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + lifetimeSeconds)
      .sign(privateKey);
  };
  return { jwk, sign };
}

const request = (token: string) =>
  new Request('http://api.test/api/powersync/upload', { headers: { authorization: `Bearer ${token}` } });

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'accepted';
  } catch (e) {
    return SyncError.is(e) ? e.code : String(e);
  }
}

describe('createAuthenticator: verified JWTs are remembered only while they stay valid', () => {
  it('refuses a remembered token once it has expired', async () => {
    const k = await key('k1');
    const auth = createAuthenticator({
      issuer: ISSUER,
      audience: AUDIENCE,
      getSession: async () => null,
      getJwks: async () => ({ keys: [k.jwk] }),
      policy: { clockSkewSeconds: 0 },
    });
    const token = await k.sign('alice', 2);
    for (let i = 0; i < 3; i++)
      expect(await auth.authenticate(request(token))).toEqual({ userId: 'alice', method: 'jwt' });
    await new Promise((r) => setTimeout(r, 2100));
    expect(await code(auth.authenticate(request(token)))).toBe('AUTH_EXPIRED');
  });

  it('forgets remembered tokens when the keys are read again, so a removed key takes its tokens with it', async () => {
    const [k1, k2] = [await key('k1'), await key('k2')];
    let keys = [k1.jwk];
    const auth = createAuthenticator({
      issuer: ISSUER,
      audience: AUDIENCE,
      getSession: async () => null,
      getJwks: async () => ({ keys }),
      refreshIntervalMs: 0,
    });
    const old = await k1.sign('alice');
    for (let i = 0; i < 3; i++) expect(await code(auth.authenticate(request(old)))).toBe('accepted');
    keys = [k2.jwk]; // k1 rotated out
    expect(await code(auth.authenticate(request(await k2.sign('bob'))))).toBe('accepted'); // reads the keys again
    expect(await code(auth.authenticate(request(old)))).toBe('AUTH_UNKNOWN_KEY');
  });

  it('remembers a token only as it was sent: any other string is verified', async () => {
    const k = await key('k1');
    const auth = createAuthenticator({
      issuer: ISSUER,
      audience: AUDIENCE,
      getSession: async () => null,
      getJwks: async () => ({ keys: [k.jwk] }),
    });
    const token = await k.sign('alice');
    expect(await code(auth.authenticate(request(token)))).toBe('accepted');
    expect(await code(auth.authenticate(request(token)))).toBe('accepted');
    const [h, p, s] = token.split('.') as [string, string, string];
    const forged = [
      h,
      Buffer.from(
        JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: 'mallory' }),
      ).toString('base64url'),
      s,
    ].join('.');
    expect(await code(auth.authenticate(request(forged)))).toBe('AUTH_INVALID_TOKEN');
  });
});
