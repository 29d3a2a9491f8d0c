import { applySchema } from '@syncline/postgres/migrate';
import { useTestDatabase } from '@syncline/test-utils';
import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  generateKeyPair,
  jwtVerify,
  SignJWT,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJwt, signUp, startTestApi, type TestApi, type TestUser, testSchema } from './helpers.js';

const db = useTestDatabase('server_auth');
const ISSUER = 'https://issuer.example.test';
const AUDIENCE = 'syncline-test';
const WEB_ORIGIN = 'http://localhost:5173';
let api: TestApi;
let alice: TestUser;

beforeAll(async () => {
  await applySchema(db.url, testSchema);
  api = await startTestApi(db.url, { audience: AUDIENCE, issuer: ISSUER, trustedOrigins: [WEB_ORIGIN] });
  alice = await signUp(api.url, 'alice');
});
afterAll(async () => {
  await api?.stop();
});

const config = (token?: string) =>
  fetch(`${api.url}/api/powersync/config`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

/** A JWT signed server-side with our own key, with chosen claims. */
async function signed(payload: Record<string, unknown>): Promise<string> {
  const { token } = await api.auth.api.signJWT({ body: { payload } });
  return token;
}

describe('BetterAuth preset', () => {
  it('signs up, signs in and issues an RS256 JWT that verifies against the JWKS with aud and iss', async () => {
    const signIn = await fetch(`${api.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: alice.email, password: 'correct-horse-battery' }),
    });
    expect(signIn.status).toBe(200);
    const { token: session } = (await signIn.json()) as { token: string };
    expect(signIn.headers.get('set-auth-token')).toBeTruthy();

    const jwt = await getJwt(api.url, session);
    const keys = (await (await fetch(`${api.url}/api/auth/jwks`)).json()) as {
      keys: Record<string, string>[];
    };
    expect(keys.keys).toHaveLength(1);
    expect(keys.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256' });
    expect(decodeProtectedHeader(jwt)).toMatchObject({ alg: 'RS256', kid: keys.keys[0]!.kid });

    const jwks = createRemoteJWKSet(new URL(`${api.url}/api/auth/jwks`));
    const { payload } = await jwtVerify(jwt, jwks, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['RS256'],
    });
    expect(payload.sub).toBe(alice.userId);
    await expect(
      jwtVerify(jwt, jwks, { issuer: ISSUER, audience: 'other', algorithms: ['RS256'] }),
    ).rejects.toThrow(/aud/);
    await expect(
      jwtVerify(jwt, jwks, { issuer: 'other', audience: AUDIENCE, algorithms: ['RS256'] }),
    ).rejects.toThrow(/iss/);
  });

  it('keeps the payload slim: sub, iat, exp, iss, aud and a jti only, 15 minutes by default', async () => {
    const payload = decodeJwt(await getJwt(api.url, alice.session));
    expect(Object.keys(payload).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'sub']);
    expect(payload.exp! - payload.iat!).toBe(900);
  });

  it('lets native clients (Node fetch: sec-fetch-mode, no Origin) sign in, but checks browsers', async () => {
    const signIn = (headers: Record<string, string>) =>
      fetch(`${api.url}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ email: alice.email, password: 'correct-horse-battery' }),
      });
    expect((await signIn({ 'sec-fetch-mode': 'cors' })).status).toBe(200);
    // Browser-like requests keep BetterAuth's CSRF checks: no Origin, or a cookie, is refused.
    expect((await signIn({ 'sec-fetch-mode': 'cors', 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await signIn({ 'sec-fetch-mode': 'cors', cookie: 'x=1' })).status).toBe(403);
  });

  it('rejects a wrong password and a foreign Origin, accepts a trusted one', async () => {
    const signIn = (password: string, origin?: string) =>
      fetch(`${api.url}/api/auth/sign-in/email`, {
        method: 'POST',
        // What a browser sends on a cross-origin fetch: BetterAuth checks the Origin when it sees these.
        headers: {
          'content-type': 'application/json',
          ...(origin
            ? { origin, 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'empty' }
            : {}),
        },
        body: JSON.stringify({ email: alice.email, password }),
      });
    expect((await signIn('wrong-password-123')).status).toBe(401);
    expect((await signIn('correct-horse-battery', 'http://evil.example')).status).toBe(403);
    const trusted = await signIn('correct-horse-battery', WEB_ORIGIN);
    expect(trusted.status).toBe(200);
    expect(trusted.headers.get('access-control-allow-origin')).toBe(WEB_ORIGIN);
    expect(trusted.headers.get('access-control-expose-headers')).toContain('set-auth-token');
  });

  it('answers CORS preflights for trusted origins only', async () => {
    const preflight = (origin: string, path: string) =>
      fetch(`${api.url}${path}`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'PUT',
          'access-control-request-headers': 'authorization',
        },
      });
    for (const path of ['/api/powersync/upload', '/api/powersync/config', '/api/auth/token']) {
      const ok = await preflight(WEB_ORIGIN, path);
      expect(ok.status, path).toBe(204);
      expect(ok.headers.get('access-control-allow-origin'), path).toBe(WEB_ORIGIN);
      expect(ok.headers.get('access-control-allow-headers'), path).toContain('authorization');
      expect(ok.headers.get('access-control-allow-methods'), path).toContain('PUT');
      const denied = await preflight('http://evil.example', path);
      expect(denied.headers.get('access-control-allow-origin'), path).toBeNull();
    }
  });
});

describe('GET /api/powersync/config', () => {
  it('answers { powersyncUrl, userId } for a session token and for a JWT', async () => {
    for (const token of [alice.session, await getJwt(api.url, alice.session)]) {
      const res = await config(token);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ powersyncUrl: 'http://127.0.0.1:8080', userId: alice.userId });
    }
  });

  it('answers 401 with an AUTH_* code for missing and bad credentials', async () => {
    const code = async (token?: string) => {
      const res = await config(token);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      return ((await res.json()) as { error: { code: string } }).error.code;
    };
    const now = Math.floor(Date.now() / 1000);
    const good = await getJwt(api.url, alice.session);
    const [header, body] = good.split('.');
    const foreign = await generateKeyPair('RS256');
    const kid = decodeProtectedHeader(good).kid!;

    expect(await code()).toBe('AUTH_MISSING_TOKEN');
    expect(await code('not-a-session-token')).toBe('AUTH_INVALID_SESSION');
    expect(await code(await signed({ sub: alice.userId, iat: now - 3600, exp: now - 60 }))).toBe(
      'AUTH_EXPIRED',
    );
    expect(await code(await signed({ sub: alice.userId, iat: now, aud: 'someone-else' }))).toBe(
      'AUTH_WRONG_AUDIENCE',
    );
    expect(await code(await signed({ sub: alice.userId, iat: now, iss: 'https://evil.example' }))).toBe(
      'AUTH_WRONG_ISSUER',
    );
    const forged = await new SignJWT({ sub: alice.userId })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(foreign.privateKey);
    expect(await code(forged)).toBe('AUTH_INVALID_TOKEN');
    const unknownKid = await new SignJWT({ sub: alice.userId })
      .setProtectedHeader({ alg: 'RS256', kid: 'not-our-key' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(foreign.privateKey);
    expect(await code(unknownKid)).toBe('AUTH_UNKNOWN_KEY');
    const hs256 = await new SignJWT({ sub: alice.userId })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('x'.repeat(32)));
    expect(await code(hs256)).toBe('AUTH_ALGORITHM_NOT_ALLOWED');
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...decodeJwt(good), sub: 'mallory' })).toString('base64url')}.${good.split('.')[2]}`;
    expect(body).not.toBe(tampered.split('.')[1]);
    expect(await code(tampered)).toBe('AUTH_INVALID_TOKEN');
  });
});

describe('restart', () => {
  it('keeps the signing key: a new instance on the same database and secret accepts earlier tokens', async () => {
    const before = await getJwt(api.url, alice.session);
    const kid = decodeProtectedHeader(before).kid;
    const second = await startTestApi(db.url, { audience: AUDIENCE, issuer: ISSUER, expiresIn: '1h' });
    try {
      const keys = (await (await fetch(`${second.url}/api/auth/jwks`)).json()) as { keys: { kid: string }[] };
      expect(keys.keys.map((k) => k.kid)).toEqual([kid]);
      const jwks = createRemoteJWKSet(new URL(`${second.url}/api/auth/jwks`));
      await jwtVerify(before, jwks, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['RS256'] });
      const res = await fetch(`${second.url}/api/powersync/config`, {
        headers: { authorization: `Bearer ${before}` },
      });
      expect(res.status).toBe(200);
      // The session survives too, and the new instance signs with the same key and its own lifetime.
      const after = await getJwt(second.url, alice.session);
      expect(decodeProtectedHeader(after).kid).toBe(kid);
      const payload = decodeJwt(after);
      expect(payload.exp! - payload.iat!).toBe(3600);
    } finally {
      await second.stop();
    }
  });
});
