import { freePort } from '@syncline/postgres';
import { testLogger } from '@syncline/test-utils';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth, createConfigHandler, createUploadHandler } from '../src/index.js';
import { SECRET, testSchema } from './helpers.js';

// A Postgres that is not there: every connection is refused.
let pool: pg.Pool;
let deadUrl: string;

beforeAll(async () => {
  deadUrl = `postgres://nobody:secret@127.0.0.1:${await freePort()}/none`;
  pool = new pg.Pool({ connectionString: deadUrl, connectionTimeoutMillis: 2000 });
});
afterAll(async () => {
  await pool.end();
});

const put = (body: unknown, token = 'some-session-token') =>
  new Request('http://api.test/api/powersync/upload', {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });

describe('database unavailable', () => {
  it('answers 503 without leaking connection details (auth routes, config, upload)', async () => {
    const auth = createAuth({
      pool,
      baseURL: 'http://api.test',
      secret: SECRET,
      logger: testLogger('auth'),
    });
    const responses = [
      await auth.handler(new Request('http://api.test/api/auth/jwks')),
      await createConfigHandler({ auth, powersyncUrl: 'http://sync.test', logger: testLogger('config') })(
        new Request('http://api.test/api/powersync/config', { headers: { authorization: 'Bearer abc' } }),
      ),
      await createUploadHandler({ schema: testSchema, pool, auth, logger: testLogger('upload') })(
        put({ transactions: [] }),
      ),
    ];
    for (const res of responses) {
      expect(res.status).toBe(503);
      const text = await res.text();
      expect(JSON.parse(text).error.code).toBe('INTERNAL');
      expect(text).not.toMatch(/127\.0\.0\.1|nobody|ECONNREFUSED/);
    }
  });

  it('classifies a database outage during an upload as transient (503 UPLOAD_INTERNAL)', async () => {
    const auth = { authenticate: async () => ({ userId: 'u1', method: 'jwt' as const }) };
    const upload = createUploadHandler({ schema: testSchema, pool, auth, logger: testLogger('upload') });
    const res = await upload(put({ client_id: 'c', transactions: [{ op_id: 1, ops: [] }] }));
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('UPLOAD_INTERNAL');
    expect(body.error.message).toMatch(/Retry/);
  });
});
