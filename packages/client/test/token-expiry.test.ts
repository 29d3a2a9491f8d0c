/**
 * Short-lived JWTs (25 s, from the real API): tokens expire mid-session and are refreshed without losing
 * a write; an upload answered 401 refreshes the credentials and is sent again with the new token.
 */

import { type ApiUser, signUp, waitFor, useTestDatabase as withTestDatabase } from '@syncline/test-utils';
import { documents } from '@syncline/test-utils/schema';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Device, newDoc, openDevice, pgDocs, prepareDatabase, type Stack, startStack } from './stack.js';

// Aliased: biome's React rules (react is a dependency here) read `use…` as a hook.
const db = withTestDatabase('client_expiry');
const LIFETIME_S = 25;
const UPLOAD = '/api/powersync/upload';
let pool: pg.Pool;
let stack: Stack;
let alice: ApiUser;
let a1: Device;
let a2: Device;

const expOf = (token: string | null) =>
  token ? (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp : 0;

beforeAll(async () => {
  pool = await prepareDatabase(db.url);
  stack = await startStack(db.url, pool, { jwtExpiresIn: LIFETIME_S });
  alice = await signUp(stack.api.url, 'alice');
  a1 = await openDevice('alice-1', stack, alice.sessionToken);
  a2 = await openDevice('alice-2', stack, alice.sessionToken);
  for (const d of [a1, a2]) await d.until(() => d.client.status.getSnapshot().state === 'synced');
}, 120_000);

afterEach(() => {
  for (const d of [a1, a2]) expect(d?.checksumFailures() ?? []).toEqual([]);
});

afterAll(async () => {
  await Promise.all([a1, a2].map((d) => d?.close()));
  await stack?.stop();
  await pool?.end();
});

describe('token expiry', () => {
  it('tokens expiring mid-session are refreshed without losing a write', async () => {
    const start = stack.proxy.requests.length;
    const ids: string[] = [];
    const until = Date.now() + (LIFETIME_S + 7) * 1000; // past the first token's expiry (+ the API's 5 s leeway)
    for (let i = 0; Date.now() < until; i++) {
      ids.push(`exp-${String(i).padStart(3, '0')}`);
      await a1.client.db.insert(documents.sqlite).values(newDoc(ids.at(-1)!, `write ${i}`));
      await new Promise((r) => setTimeout(r, 1000));
    }
    await waitFor(async () => (await pgDocs(pool, ids)).length === ids.length, {
      timeout: 20_000,
      message: 'every write in Postgres',
    });
    await a2.until(
      async () =>
        (await a2.all<{ n: number }>(`SELECT count(*) AS n FROM documents WHERE id LIKE 'exp-%'`))[0]?.n ===
        ids.length,
      { message: 'alice-2 received every write' },
    );
    const uploads = stack.proxy.requests.slice(start).filter((r) => r.method === 'PUT' && r.path === UPLOAD);
    // The token was rotated during the session, and no upload was sent with an expired one.
    expect(new Set(uploads.map((r) => r.bearer)).size).toBeGreaterThanOrEqual(2);
    for (const u of uploads) expect(expOf(u.bearer) * 1000).toBeGreaterThan(u.at);
    expect(uploads.filter((u) => u.status === 401)).toEqual([]);
    expect(a1.client.status.getSnapshot().pendingUploads).toBe(0);
  }, 90_000);

  it('an upload answered 401 refreshes the credentials and is sent again with the new token', async () => {
    const start = stack.proxy.requests.length;
    stack.proxy.inject('PUT', UPLOAD, ['status-401']);
    await a1.client.db.insert(documents.sqlite).values(newDoc('after-401', 'resent'));
    await waitFor(async () => (await pgDocs(pool, ['after-401'])).length === 1, { message: 'write arrived' });
    const sent = stack.proxy.requests
      .slice(start)
      .filter((r) => r.method === 'PUT' && r.path === UPLOAD && r.body.includes('after-401'));
    expect(sent.map((r) => r.status)).toEqual([401, 200]);
    expect(sent[1]!.bearer).not.toBe(sent[0]!.bearer);
    const tokenFetches = stack.proxy.requests
      .slice(start)
      .filter((r) => r.path === '/api/auth/token' && r.at >= sent[0]!.at && r.at <= sent[1]!.at);
    expect(tokenFetches.length).toBeGreaterThanOrEqual(1);
  });
});
