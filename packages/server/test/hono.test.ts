import { serve } from '@hono/node-server';
import { freePort } from '@syncline/postgres';
import { applySchema } from '@syncline/postgres/migrate';
import { testLogger, useTestDatabase } from '@syncline/test-utils';
import { Hono } from 'hono';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth, createConfigHandler, createUploadHandler } from '../src/index.js';
import { getJwt, rows, SECRET, signUp, testSchema, upload } from './helpers.js';

const db = useTestDatabase('server_hono');
let url: string;
let pool: pg.Pool;
let close: () => Promise<void>;

beforeAll(async () => {
  await applySchema(db.url, testSchema);
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  pool = new pg.Pool({ connectionString: db.url, max: 5 });
  const auth = createAuth({ pool, baseURL: url, secret: SECRET, logger: testLogger('auth') });
  const uploadHandler = createUploadHandler({
    schema: testSchema,
    pool,
    auth,
    logger: testLogger('upload'),
  });
  const config = createConfigHandler({ auth, powersyncUrl: 'https://sync.example.test' });
  // The same framework-agnostic handlers, in a second framework.
  const app = new Hono();
  app.on(['GET', 'POST'], '/api/auth/*', (c) => auth.handler(c.req.raw));
  app.get('/api/powersync/config', (c) => config(c.req.raw));
  app.put('/api/powersync/upload', (c) => uploadHandler(c.req.raw));
  const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  close = () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
});
afterAll(async () => {
  await close?.();
  await pool?.end();
});

describe('handlers mounted in Hono', () => {
  it('signs up, uploads with a JWT and reads the config', async () => {
    const user = await signUp(url, 'hono');
    const jwt = await getJwt(url, user.session);
    const res = await upload(url, jwt, {
      client_id: 'hono-device',
      transactions: [
        {
          op_id: 1,
          ops: [{ op: 'PUT', table: 'projects', id: 'hp-1', data: { name: 'Hono', is_default: 1 } }],
        },
      ],
    });
    expect(res).toMatchObject({ status: 200, body: { applied: [1], replayed: [] } });
    expect(await rows(pool, 'projects')).toMatchObject([
      { id: 'hp-1', name: 'Hono', is_default: true, owner_id: user.userId },
    ]);
    const config = await fetch(`${url}/api/powersync/config`, {
      headers: { authorization: `Bearer ${user.session}` },
    });
    expect(await config.json()).toEqual({ powersyncUrl: 'https://sync.example.test', userId: user.userId });
    const denied = await upload(url, undefined, { transactions: [] });
    expect(denied.status).toBe(401);
  });
});
