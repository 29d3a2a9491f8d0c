import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier, tokenFromHeader } from '../src/auth/index.js';

// A JWKS served over real HTTP; the keys are the unit's edge.
let url = '';
let fetches = 0;
type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
const keys: { kid: string; alg: string; key: PrivateKey }[] = [];
const published: object[] = [];
const server = createServer((_req, res) => {
  fetches++;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ keys: published }));
});

async function addKey(alg: 'RS256' | 'ES256' | 'EdDSA', kid: string, publish = true) {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  keys.push({ kid, alg, key: privateKey });
  if (publish) published.push({ ...(await exportJWK(publicKey)), kid, alg, use: 'sig' });
}

function sign(
  kid: string,
  claims: Record<string, unknown> = {},
  opts: { exp?: number; iat?: number; aud?: string } = {},
) {
  const k = keys.find((x) => x.kid === kid)!;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: k.alg, kid })
    .setSubject('user-1')
    .setAudience(opts.aud ?? 'http://api.test')
    .setIssuedAt(opts.iat ?? now)
    .setExpirationTime(opts.exp ?? now + 600)
    .sign(k.key);
}

beforeAll(async () => {
  await addKey('RS256', 'rsa');
  await addKey('ES256', 'ec');
  await addKey('EdDSA', 'ed');
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('createTokenVerifier', () => {
  it('accepts RS256, ES256 and EdDSA tokens and returns sub and exp', async () => {
    const v = createTokenVerifier({ jwksUri: url, audience: 'http://api.test' });
    for (const kid of ['rsa', 'ec', 'ed']) {
      const t = await v.verify(await sign(kid));
      expect(t.userId).toBe('user-1');
      expect(t.exp).toBeGreaterThan(Date.now() / 1000);
    }
  });

  it('rejects a wrong audience, an expired token, a too-long lifetime and a bad signature with their codes', async () => {
    const v = createTokenVerifier({ jwksUri: url, audience: 'http://api.test', maxLifetimeSeconds: 3600 });
    const now = Math.floor(Date.now() / 1000);
    await expect(v.verify(await sign('rsa', {}, { aud: 'http://other' }))).rejects.toMatchObject({
      code: 'AUTH_WRONG_AUDIENCE',
      status: 401,
    });
    await expect(v.verify(await sign('rsa', {}, { iat: now - 7200, exp: now - 3600 }))).rejects.toMatchObject(
      { code: 'AUTH_EXPIRED' },
    );
    await expect(v.verify(await sign('rsa', {}, { exp: now + 7200 }))).rejects.toMatchObject({
      code: 'AUTH_LIFETIME_TOO_LONG',
    });
    const token = await sign('rsa');
    const tampered = `${token.split('.').slice(0, 2).join('.')}.${'A'.repeat(342)}`;
    await expect(v.verify(tampered)).rejects.toMatchObject({ code: 'AUTH_INVALID_TOKEN' });
    await expect(v.verify('nope')).rejects.toMatchObject({ code: 'AUTH_MALFORMED_TOKEN' });
  });

  it('only allows configured algorithms', async () => {
    const v = createTokenVerifier({ jwksUri: url, audience: 'http://api.test', algorithms: ['RS256'] });
    await expect(v.verify(await sign('ec'))).rejects.toMatchObject({ code: 'AUTH_ALGORITHM_NOT_ALLOWED' });
  });

  it('refetches the JWKS when a token carries an unknown kid (key rotation)', async () => {
    const v = createTokenVerifier({ jwksUri: url, audience: 'http://api.test', jwksCooldownMs: 50 });
    await v.verify(await sign('rsa'));
    const before = fetches;
    await addKey('RS256', 'rotated');
    await new Promise((r) => setTimeout(r, 100)); // past the refetch cooldown
    expect((await v.verify(await sign('rotated'))).userId).toBe('user-1');
    expect(fetches).toBeGreaterThan(before);
  });

  it('fails with AUTH_UNKNOWN_KEY when no key matches', async () => {
    await addKey('RS256', 'secret', false);
    const v = createTokenVerifier({ jwksUri: url, audience: 'http://api.test' });
    await expect(v.verify(await sign('secret'))).rejects.toMatchObject({ code: 'AUTH_UNKNOWN_KEY' });
  });

  it('rejects construction without audience or keys, naming the option', () => {
    expect(() => createTokenVerifier({ jwksUri: url, audience: [] })).toThrow(/audience/);
    expect(() => createTokenVerifier({ audience: 'x' })).toThrow(/jwksUri/);
  });

  it('parses Token and Bearer headers', () => {
    expect(tokenFromHeader('Token abc.def.ghi')).toBe('abc.def.ghi');
    expect(tokenFromHeader('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(() => tokenFromHeader(undefined)).toThrow(expect.objectContaining({ code: 'AUTH_MISSING_TOKEN' }));
    expect(() => tokenFromHeader('Basic x')).toThrow(expect.objectContaining({ code: 'AUTH_MISSING_TOKEN' }));
  });
});
