/**
 * Rate limits on sign-in, sign-up and token (issue 12, gap 5). Invariants: a client guessing passwords
 * is answered 429 with Retry-After and a registry code after a few attempts; spoofing forwarding headers
 * does not reset its counter; the limiter is on by default outside tests.
 */
import { applySchema } from '@syncline/postgres/migrate';
import { useTestDatabase } from '@syncline/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJwt, signUp, startTestApi, type TestApi, type TestUser, testSchema } from './helpers.js';

const db = useTestDatabase('server_rate_limit');
let api: TestApi;
let alice: TestUser;
const env = process.env.NODE_ENV;

beforeAll(async () => {
  await applySchema(db.url, testSchema);
  // What an app gets without configuring anything, outside tests.
  process.env.NODE_ENV = 'production';
  try {
    api = await startTestApi(db.url);
  } finally {
    process.env.NODE_ENV = env;
  }
  alice = await signUp(api.url, 'alice');
});
afterAll(async () => {
  await api?.stop();
});

const signIn = (password: string, headers: Record<string, string> = {}) =>
  fetch(`${api.url}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ email: alice.email, password }),
  });

describe('rate limiting', () => {
  it('answers 429 with Retry-After and AUTH_RATE_LIMITED after a few wrong sign-ins, whatever forwarding headers say', async () => {
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 150; i++) {
      const spoof = {
        'x-forwarded-for': `10.0.${i % 250}.${i % 7}`,
        'x-syncline-client-ip': `10.1.0.${i % 250}`,
      };
      const res = await signIn(`wrong-password-${i}`, spoof);
      statuses.push(res.status);
      if (res.status === 429) limited ??= res;
      else await res.body?.cancel();
    }
    expect(statuses.slice(0, 4).every((s) => s === 401)).toBe(true);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(145);
    expect(limited).toBeDefined();
    const retryAfter = Number(limited!.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = (await limited!.json()) as { error: { code: string } };
    expect(body.error.code).toBe('AUTH_RATE_LIMITED');
    // The right password is limited too (an attacker cannot tell), and other routes are not.
    expect((await signIn('correct-horse-battery')).status).toBe(429);
    expect(
      (
        await fetch(`${api.url}/api/powersync/config`, {
          headers: { authorization: `Bearer ${alice.session}` },
        })
      ).status,
    ).toBe(200);
  });

  it('limits sign-up and token requests', async () => {
    const signUps: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await fetch(`${api.url}/api/auth/sign-up/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: `flood-${i}-${Date.now()}@example.test`,
          password: 'correct-horse-battery',
          name: 'x',
        }),
      });
      signUps.push(res.status);
      await res.body?.cancel();
    }
    expect(signUps).toContain(429);
    const tokens: number[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await fetch(`${api.url}/api/auth/token`, {
        headers: { authorization: `Bearer ${alice.session}` },
      });
      tokens.push(res.status);
      await res.body?.cancel();
    }
    expect(tokens.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(tokens).toContain(429);
  });

  it('is off when turned off, and off by default under NODE_ENV=test', async () => {
    for (const options of [{ rateLimit: false as const }, {}]) {
      const other = await startTestApi(db.url, options);
      try {
        const user = await signUp(other.url, 'free');
        for (let i = 0; i < 12; i++) expect(await getJwt(other.url, user.session)).toBeTruthy();
      } finally {
        await other.stop();
      }
    }
  });
});
