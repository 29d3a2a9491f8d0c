/**
 * Token lifetime: keepalives warn before expiry so the client refreshes; expired or bad tokens are refused
 * with a code that makes the client fetch new credentials (401 over HTTP, a `PSYNC_S21xx` ERROR frame over
 * RSocket). Run once per SDK × connection method.
 */

import { applySchema } from '@syncline/postgres/migrate';
import {
  type DeviceFactory,
  type SyncDevice,
  startTestJwks,
  type TestJwks,
  useTestDatabase,
  waitFor,
} from '@syncline/test-utils';
import { testSchema as schema } from '@syncline/test-utils/schema';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSyncServer, type SyncServer } from '../../src/index.js';
import { clientSchema, quietLogger, rulesWithMemberships } from '../stack.js';

/** Registers the token-lifetime suite for devices opened by `openDevice`. */
export function tokenSuite(openDevice: DeviceFactory): void {
  const db = useTestDatabase('token');
  let pool: pg.Pool;
  let jwks: TestJwks;
  let server: SyncServer;
  const devices: SyncDevice[] = [];

  beforeAll(async () => {
    await applySchema(db.url, schema);
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    await pool.query(
      'CREATE TABLE group_members (id text PRIMARY KEY, group_id text NOT NULL, user_id text NOT NULL)',
    );
    jwks = await startTestJwks();
    server = createSyncServer({
      databaseUrl: db.url,
      syncRules: rulesWithMemberships,
      auth: { jwksUri: jwks.url, audience: jwks.audience, maxLifetimeSeconds: 3600 },
      port: 0,
      managePublication: true,
      keepaliveSeconds: 1,
      logger: quietLogger as never,
    });
    await server.start();
  });

  afterAll(async () => {
    for (const d of devices) await d.close();
    await server?.stop();
    await jwks?.stop();
    await pool?.end();
  });

  async function open(name: string, credentials: () => Promise<{ endpoint: string; token: string }>) {
    const d = await openDevice({ name, schema: clientSchema, credentials });
    devices.push(d);
    await d.connect();
    return d;
  }

  describe('token lifetime', () => {
    it('a token about to expire is refreshed before it does, and syncing continues', async () => {
      // 23 s tokens: the server warns 20 s before expiry, i.e. 3 s in; the client prefetches and reconnects.
      const d = await open('refresh', async () => ({
        endpoint: server.url,
        token: await jwks.sign('user-r', { lifetimeSeconds: 23 }),
      }));
      await d.db.waitForFirstSync();
      await waitFor(() => d.credentialsFetched >= 3, {
        timeout: 15_000,
        message: 'credentials refreshed twice',
      });
      await pool.query(
        `INSERT INTO documents (id, content, owner_id, device_id) VALUES ('after-refresh', 'c', 'user-r', 'x')`,
      );
      await d.until(
        async () => (await d.all('SELECT id FROM documents WHERE id = ?', ['after-refresh'])).length === 1,
      );
      expect(d.checksumFailures()).toEqual([]);
      expect(d.db.currentStatus.connected).toBe(true);
    }, 30_000);

    it('ends the stream with token_expires_in 0 at expiry when the token is not replaced', async () => {
      const token = await jwks.sign('user-x', { lifetimeSeconds: 3 });
      const res = await fetch(`${server.url}/sync/stream`, {
        method: 'POST',
        headers: {
          authorization: `Token ${token}`,
          'content-type': 'application/json',
          'accept-encoding': 'identity',
        },
        body: JSON.stringify({ buckets: [], client_id: 'c1' }),
      });
      expect(res.status).toBe(200);
      const text = await res.text(); // the server ends the stream at expiry
      const lines = text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(Object.keys(lines[0])).toEqual(['token_expires_in']); // ≤ 30 s left: warned at once
      expect(lines.some((l) => 'checkpoint' in l)).toBe(true);
      expect(lines.at(-1)).toEqual({ token_expires_in: 0 });
    }, 15_000);

    it('rejects expired, wrong-audience and unsigned tokens with 401 and a code, and the client keeps retrying', async () => {
      const call = async (token: string) => {
        const r = await fetch(`${server.url}/sync/stream`, {
          method: 'POST',
          headers: { authorization: `Token ${token}` },
          body: '{}',
        });
        return { status: r.status, code: ((await r.json()) as { error: { code: string } }).error.code };
      };
      expect(await call(await jwks.sign('u', { lifetimeSeconds: 10, iatOffsetSeconds: -200 }))).toEqual({
        status: 401,
        code: 'AUTH_EXPIRED',
      });
      expect(await call(await jwks.sign('u', { audience: 'someone-else' }))).toEqual({
        status: 401,
        code: 'AUTH_WRONG_AUDIENCE',
      });
      expect(await call(`${(await jwks.sign('u')).slice(0, -10)}AAAAAAAAAA`)).toEqual({
        status: 401,
        code: 'AUTH_INVALID_TOKEN',
      });
      expect(await call(await jwks.sign('u', { lifetimeSeconds: 7200 }))).toEqual({
        status: 401,
        code: 'AUTH_LIFETIME_TOO_LONG',
      });
      const d = await open('expired', async () => ({
        endpoint: server.url,
        token: await jwks.sign('u', { lifetimeSeconds: 10, iatOffsetSeconds: -200 }),
      }));
      await waitFor(() => d.credentialsFetched >= 2, {
        timeout: 10_000,
        message: 'client refetches credentials after 401',
      });
      expect(d.db.currentStatus.hasSynced).not.toBe(true);
    }, 20_000);
  });
}
