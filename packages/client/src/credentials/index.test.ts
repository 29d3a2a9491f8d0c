import { createLogger, SyncError } from '@syncline/errors';
import { describe, expect, it } from 'vitest';
import { createCredentials, type SessionSource } from './index.js';

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const jwt = (sub: string, iat: number, exp: number) =>
  `${b64url({ alg: 'RS256' })}.${b64url({ sub, iat, exp })}.s`;
const quiet = createLogger({ level: 'silent' });

/** A fake API at the unit's edge: sessions map to users; counts calls. */
function fakeApi(now: () => number, lifetimeS = 900) {
  const sessions = new Map<string, string>([
    ['s-alice', 'alice'],
    ['s-bob', 'bob'],
  ]);
  const calls: string[] = [];
  const fetch = async (url: string, init?: RequestInit) => {
    const path = new URL(url).pathname;
    const session = String(((init?.headers ?? {}) as Record<string, string>).authorization).replace(
      'Bearer ',
      '',
    );
    calls.push(`${path} ${session}`);
    const user = sessions.get(session);
    if (!user)
      return Response.json(
        { error: { code: 'AUTH_INVALID_SESSION', message: 'no session' } },
        { status: 401 },
      );
    if (path === '/api/powersync/config')
      return Response.json({ powersyncUrl: 'http://sync/', userId: user });
    const iat = Math.floor(now() / 1000);
    return Response.json({ token: jwt(user, iat, iat + lifetimeS) });
  };
  return { fetch, calls, sessions };
}

describe('createCredentials', () => {
  it('caches until shortly before expiry, then fetches again', async () => {
    let t = 1_000_000;
    const api = fakeApi(() => t);
    const c = createCredentials({
      apiUrl: 'http://api/',
      auth: { getSessionToken: () => 's-alice' },
      fetch: api.fetch,
      now: () => t,
      logger: quiet,
    });
    const first = await c.get();
    expect(first).toMatchObject({ endpoint: 'http://sync', userId: 'alice' });
    expect(first?.expiresAt?.getTime()).toBe(Math.floor(1_000_000 / 1000) * 1000 + 900_000);
    t += 830_000;
    expect(await c.get()).toBe(first);
    t += 20_000; // inside the 60 s margin
    expect(await c.get()).not.toBe(first);
    expect(api.calls.filter((x) => x.startsWith('/api/auth/token'))).toHaveLength(2);
  });

  it('shares one fetch between concurrent callers and refetches after invalidate()', async () => {
    const api = fakeApi(Date.now);
    const c = createCredentials({
      apiUrl: 'http://api',
      auth: { getSessionToken: () => 's-alice' },
      fetch: api.fetch,
      logger: quiet,
    });
    const [a, b] = await Promise.all([c.get(), c.get()]);
    expect(a).toBe(b);
    c.invalidate();
    expect(await c.get()).not.toBe(a);
    expect(api.calls).toHaveLength(4);
  });

  it('does not keep credentials fetched for a session that was replaced meanwhile', async () => {
    const api = fakeApi(Date.now);
    let session = 's-alice';
    const c = createCredentials({
      apiUrl: 'http://api',
      auth: { getSessionToken: () => session },
      fetch: api.fetch,
      logger: quiet,
    });
    const inflight = c.get();
    session = 's-bob';
    c.invalidate();
    expect((await inflight)?.userId).toBe('alice');
    expect((await c.get())?.userId).toBe('bob');
  });

  it('reports signed-out on signOut() and signed-in again on the next successful get()', async () => {
    const states: string[] = [];
    const c = createCredentials({
      apiUrl: 'http://api',
      auth: { getSessionToken: () => 's-alice' },
      fetch: fakeApi(Date.now).fetch,
      logger: quiet,
      onAuthState: (s) => states.push(s),
    });
    await c.get();
    c.signOut();
    expect(c.peek()).toBeNull();
    await c.get();
    expect(states).toEqual(['signed-in', 'signed-out', 'signed-in']);
  });

  it('is null and signed-out without a session', async () => {
    const states: string[] = [];
    const c = createCredentials({
      apiUrl: 'http://api',
      auth: { getSessionToken: () => null },
      fetch: fakeApi(Date.now).fetch,
      logger: quiet,
      onAuthState: (s) => states.push(s),
    });
    expect(await c.get()).toBeNull();
    expect(c.authState).toBe('signed-out');
    expect(states).toEqual(['signed-out']);
  });

  it('on a 401 asks the session source to refresh and retries once with the new session', async () => {
    const api = fakeApi(Date.now);
    let session = 's-expired';
    const rejected: string[] = [];
    const auth: SessionSource = {
      getSessionToken: () => session,
      onSessionRejected: (e) => {
        rejected.push(e.code);
        session = 's-alice';
      },
    };
    const c = createCredentials({ apiUrl: 'http://api', auth, fetch: api.fetch, logger: quiet });
    expect((await c.get())?.userId).toBe('alice');
    expect(rejected).toEqual(['AUTH_INVALID_SESSION']);
  });

  it('is signed-out (null) when the refreshed session is rejected too, or not replaced', async () => {
    const api = fakeApi(Date.now);
    const c = createCredentials({
      apiUrl: 'http://api',
      auth: { getSessionToken: () => 's-gone' },
      fetch: api.fetch,
      logger: quiet,
    });
    expect(await c.get()).toBeNull();
    expect(c.authState).toBe('signed-out');
    expect(api.calls).toHaveLength(2); // config + token once: the same session is not retried
  });

  it('throws CLIENT_NETWORK when the API is unreachable, and rejects a token for another user', async () => {
    const down = createCredentials({
      apiUrl: 'http://api',
      auth: { getSessionToken: () => 's' },
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
      logger: quiet,
    });
    await expect(down.get()).rejects.toSatisfy((e) => SyncError.is(e, 'CLIENT_NETWORK'));
    const liar = createCredentials({
      apiUrl: 'http://api',
      auth: { getSessionToken: () => 's' },
      fetch: async (url) =>
        url.endsWith('/config')
          ? Response.json({ powersyncUrl: 'http://sync', userId: 'alice' })
          : Response.json({ token: jwt('mallory', 0, 9_999_999_999) }),
      logger: quiet,
    });
    await expect(liar.get()).rejects.toSatisfy((e) => SyncError.is(e, 'CLIENT_INVALID_RESPONSE'));
  });

  it('turns 5xx into CLIENT_SERVER_ERROR', async () => {
    const c = createCredentials({
      apiUrl: 'http://api',
      auth: { getSessionToken: () => 's' },
      fetch: async () => new Response('Bad Gateway', { status: 502 }),
      logger: quiet,
    });
    await expect(c.get()).rejects.toSatisfy((e) => SyncError.is(e, 'CLIENT_SERVER_ERROR'));
  });
});
