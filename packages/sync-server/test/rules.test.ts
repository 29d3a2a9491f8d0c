/** Sync rules: a changed rules file rebuilds storage under new bucket names; edition-3 streams work on Node 20. */

import { applySchema } from '@syncline/postgres/migrate';
import { toSyncRules } from '@syncline/schema';
import {
  createTestDatabase,
  startTestJwks,
  type TestDatabase,
  TestDevice,
  type TestJwks,
} from '@syncline/test-utils';
import { testSchema as schema } from '@syncline/test-utils/schema';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSyncServer, type SyncServer } from '../src/index.js';
import { clientSchema, quietLogger } from './stack.js';

let jwks: TestJwks;
const cleanup: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  jwks = await startTestJwks();
});
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
  await jwks.stop();
});

async function database(prefix: string): Promise<{ db: TestDatabase; pool: pg.Pool }> {
  const db = await createTestDatabase(prefix);
  await applySchema(db.url, schema);
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  cleanup.push(
    () => db.drop(),
    () => pool.end(),
  );
  return { db, pool };
}

async function serve(url: string, rules: string, port = 0): Promise<SyncServer> {
  const server = createSyncServer({
    databaseUrl: url,
    syncRules: rules,
    auth: { jwksUri: jwks.url, audience: jwks.audience },
    port,
    logger: quietLogger as never,
  });
  await server.start();
  return server;
}

async function device(name: string, server: () => SyncServer, user: string) {
  const d = await TestDevice.open({
    name,
    schema: clientSchema,
    credentials: async () => ({ endpoint: server().url, token: await jwks.sign(user) }),
  });
  cleanup.push(() => d.close());
  await d.connect();
  await d.db.waitForFirstSync();
  return d;
}

describe('sync rules', () => {
  it('changed rules rebuild storage with new bucket names; the client converges without checksum errors', async () => {
    const { db, pool } = await database('rules_change');
    await pool.query(`INSERT INTO documents (id, title, content, owner_id, device_id, deleted_at) VALUES
      ('d1', 'a', 'c', 'u1', 's', NULL), ('d2', 'b', 'c', 'u1', 's', now())`);
    let server = await serve(db.url, toSyncRules(schema));
    const d = await device('rules', () => server, 'u1');
    expect((await d.all('SELECT id FROM documents ORDER BY id')).map((r) => r.id)).toEqual(['d1', 'd2']);
    const before = (await pool.query('SELECT rules_version FROM syncline.sync_state')).rows[0].rules_version;
    await server.stop();
    // New rules: soft-deleted documents are no longer synced.
    const rules = toSyncRules(schema).replace(
      'FROM documents WHERE owner_id = bucket.user_id',
      'FROM documents WHERE owner_id = bucket.user_id AND deleted_at IS NULL',
    );
    server = await serve(db.url, rules, server.port); // the SDK caches the endpoint until a 401
    cleanup.push(() => server.stop());
    await d.until(async () => (await d.all('SELECT id FROM documents ORDER BY id')).length === 1, {
      message: 'rebuilt',
    });
    expect((await d.all('SELECT id FROM documents')).map((r) => r.id)).toEqual(['d1']);
    expect((await pool.query('SELECT rules_version FROM syncline.sync_state')).rows[0].rules_version).toBe(
      before + 1,
    );
    const { rows } = await pool.query('SELECT bucket FROM syncline.bucket_state');
    expect(rows.every((r: { bucket: string }) => r.bucket.startsWith(`${before + 1}#`))).toBe(true);
    expect(d.checksumFailures()).toEqual([]);
  });

  it('edition-3 sync streams (auto-subscribed and parameterised by the token) sync on Node 20', async () => {
    const { db, pool } = await database('edition3');
    await pool.query(
      `INSERT INTO documents (id, title, content, owner_id, device_id) VALUES ('e1', 'mine', 'c', 'u1', 's'), ('e2', 'theirs', 'c', 'u2', 's')`,
    );
    await pool.query(`INSERT INTO projects (id, name, owner_id) VALUES ('p1', 'P', 'u1')`);
    const rules = `config:
  edition: 3
streams:
  my_documents:
    auto_subscribe: true
    query: SELECT * FROM documents WHERE owner_id = auth.user_id()
  my_projects:
    auto_subscribe: true
    query: SELECT * FROM projects WHERE owner_id = auth.user_id()
`;
    const server = await serve(db.url, rules);
    cleanup.push(() => server.stop());
    const d = await device('edition3', () => server, 'u1');
    expect((await d.all('SELECT id FROM documents')).map((r) => r.id)).toEqual(['e1']);
    expect((await d.all('SELECT id FROM projects')).map((r) => r.id)).toEqual(['p1']);
    await pool.query(
      `INSERT INTO documents (id, title, content, owner_id, device_id) VALUES ('e3', 'new', 'c', 'u1', 's')`,
    );
    await d.until(async () => (await d.all('SELECT id FROM documents')).length === 2);
    expect(typeof (Object as unknown as { groupBy?: unknown }).groupBy).toBe('function');
    expect(d.checksumFailures()).toEqual([]);
  });

  it('refuses invalid rules at construction with SYNC_RULES_INVALID naming the problem', () => {
    expect(() =>
      createSyncServer({
        databaseUrl: 'postgres://x@127.0.0.1/x',
        syncRules: 'bucket_definitions:\n  b:\n    data:\n      - SELECT FROM\n',
        auth: { jwksUri: 'http://127.0.0.1/jwks', audience: 'a' },
      }),
    ).toThrow(expect.objectContaining({ code: 'SYNC_RULES_INVALID' }));
  });
});
