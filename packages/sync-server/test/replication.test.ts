/** Replication edge cases, checked through the official client: TRUNCATE, late tables, compaction, TOAST, restarts, readers. */

import { applySchema } from '@syncline/postgres/migrate';
import { startTestJwks, TestDevice, type TestJwks, useTestDatabase, waitFor } from '@syncline/test-utils';
import { testSchema as schema } from '@syncline/test-utils/schema';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSyncServer, type SyncServer, type SyncServerOptions } from '../src/index.js';
import { clientSchema, quietLogger, rulesWithMemberships } from './stack.js';

const db = useTestDatabase('replication');
let pool: pg.Pool;
let jwks: TestJwks;
let server: SyncServer;
const devices: TestDevice[] = [];
const USER = 'user-1';

function make(extra: Partial<SyncServerOptions> = {}): SyncServer {
  return createSyncServer({
    databaseUrl: db.url,
    syncRules: rulesWithMemberships,
    auth: { jwksUri: jwks.url, audience: jwks.audience },
    port: 0,
    managePublication: true,
    publicationCheckMs: 200,
    compaction: { minDeadOps: 200, deadToLiveRatio: 1 },
    logger: quietLogger as never,
    ...extra,
  });
}

async function open(name: string, target: () => SyncServer = () => server) {
  const d = await TestDevice.open({
    name,
    schema: clientSchema,
    credentials: async () => ({ endpoint: target().url, token: await jwks.sign(USER) }),
  });
  devices.push(d);
  await d.connect();
  await d.db.waitForFirstSync();
  return d;
}
const rows = (d: TestDevice, sql: string, p: unknown[] = []) => d.all<Record<string, unknown>>(sql, p);
const count = async (d: TestDevice, sql: string, p: unknown[] = []) =>
  Number((await d.all<{ n: number }>(sql, p))[0]!.n);

beforeAll(async () => {
  await applySchema(db.url, schema);
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
  await pool.query(
    'CREATE TABLE group_members (id text PRIMARY KEY, group_id text NOT NULL, user_id text NOT NULL)',
  );
  jwks = await startTestJwks();
  server = make();
  await server.start();
});

afterEach(() => {
  for (const d of devices) expect(d.checksumFailures(), d.name).toEqual([]);
});

afterAll(async () => {
  for (const d of devices) await d.close();
  await server?.stop();
  await jwks?.stop();
  await pool?.end();
});

describe('replication', () => {
  it('TRUNCATE removes every row of the table from the devices', async () => {
    const d = await open('truncate');
    await pool.query(
      `INSERT INTO document_versions (id, document_id, owner_id, content, version) SELECT 'v' || g, 'd', $1, 'c', g FROM generate_series(1, 50) g`,
      [USER],
    );
    await d.until(async () => (await count(d, 'SELECT count(*) AS n FROM document_versions')) === 50);
    await pool.query('TRUNCATE document_versions');
    await d.until(async () => (await count(d, 'SELECT count(*) AS n FROM document_versions')) === 0, {
      message: 'truncated',
    });
    await pool.query(
      `INSERT INTO document_versions (id, document_id, owner_id, content, version) VALUES ('v-after', 'd', $1, 'c', 1)`,
      [USER],
    );
    await d.until(async () => (await count(d, 'SELECT count(*) AS n FROM document_versions')) === 1);
  });

  it('a table added to the publication later is snapshotted and then streamed', async () => {
    const d = await open('late-table');
    await pool.query(`INSERT INTO groups (id, name, owner_id) VALUES ('g-gone', 'Gone', $1)`, [USER]);
    await d.until(async () => (await count(d, `SELECT count(*) AS n FROM groups WHERE id = 'g-gone'`)) === 1);
    await pool.query('ALTER PUBLICATION powersync DROP TABLE groups');
    await new Promise((r) => setTimeout(r, 400)); // the server notices the table left
    await pool.query(`DELETE FROM groups WHERE id = 'g-gone'`); // not streamed: the table is not published
    await pool.query(`INSERT INTO groups (id, name, owner_id) VALUES ('g-before', 'Before', $1)`, [USER]);
    await new Promise((r) => setTimeout(r, 300));
    expect(await count(d, `SELECT count(*) AS n FROM groups WHERE id = 'g-before'`)).toBe(0);
    await pool.query('ALTER PUBLICATION powersync ADD TABLE groups');
    await d.until(
      async () => (await count(d, `SELECT count(*) AS n FROM groups WHERE id = 'g-before'`)) === 1,
      { message: 'snapshotted' },
    );
    expect(await count(d, `SELECT count(*) AS n FROM groups WHERE id = 'g-gone'`)).toBe(0); // deleted while unpublished
    await pool.query(`INSERT INTO groups (id, name, owner_id) VALUES ('g-after', 'After', $1)`, [USER]);
    await d.until(
      async () => (await count(d, `SELECT count(*) AS n FROM groups WHERE id = 'g-after'`)) === 1,
      { message: 'streamed' },
    );
  });

  it('compaction keeps a hot row from growing storage without bound; connected and new devices stay correct', async () => {
    const d = await open('compaction-live');
    await pool.query(
      `INSERT INTO documents (id, title, content, owner_id, device_id) SELECT 'cold-' || g, 'cold', 'c', $1, 's' FROM generate_series(1, 20) g`,
      [USER],
    );
    await pool.query(
      `INSERT INTO documents (id, title, content, owner_id, device_id) VALUES ('hot', 'v0', 'c', $1, 's')`,
      [USER],
    );
    for (let i = 1; i <= 1200; i++)
      await pool.query(`UPDATE documents SET title = $1 WHERE id = 'hot'`, [`v${i}`]);
    await d.until(
      async () => (await rows(d, `SELECT title FROM documents WHERE id = 'hot'`))[0]?.title === 'v1200',
      { message: 'hot row', timeout: 30_000 },
    );
    const { rows: st } = await pool.query(
      `SELECT op_count::int, live_count::int, compacted_through::text FROM syncline.bucket_state WHERE bucket LIKE '%user_data%' AND bucket LIKE '%${USER}%'`,
    );
    expect(st[0].compacted_through).not.toBe('0');
    expect(st[0].op_count).toBeLessThan(st[0].live_count + 450); // bounded: ≤ live + threshold, not 1200+
    const { rows: ops } = await pool.query(
      `SELECT count(*)::int AS n FROM syncline.bucket_ops WHERE bucket = (SELECT bucket FROM syncline.bucket_state WHERE bucket LIKE '%user_data%' AND bucket LIKE '%${USER}%')`,
    );
    expect(ops[0].n).toBe(st[0].op_count);
    const fresh = await open('compaction-fresh');
    expect((await rows(fresh, `SELECT title FROM documents WHERE id = 'hot'`))[0]?.title).toBe('v1200');
    expect(await count(fresh, `SELECT count(*) AS n FROM documents WHERE id LIKE 'cold-%'`)).toBe(20);
  }, 60_000);

  it('unchanged TOASTed values survive updates with REPLICA IDENTITY DEFAULT and FULL', async () => {
    const d = await open('toast');
    const big = 'x'.repeat(20_000) + 'end'; // out-of-line (TOAST) storage
    await pool.query(
      `INSERT INTO documents (id, title, content, owner_id, device_id) VALUES ('toast', 't0', $1, $2, 's')`,
      [big, USER],
    );
    await d.until(
      async () =>
        (await rows(d, `SELECT length(content) AS n FROM documents WHERE id = 'toast'`))[0]?.n === big.length,
    );
    await pool.query(`UPDATE documents SET title = 't1' WHERE id = 'toast'`); // content unchanged: sent as "unchanged TOAST"
    await d.until(
      async () => (await rows(d, `SELECT title FROM documents WHERE id = 'toast'`))[0]?.title === 't1',
    );
    expect((await rows(d, `SELECT length(content) AS n FROM documents WHERE id = 'toast'`))[0]?.n).toBe(
      big.length,
    );
    await pool.query('ALTER TABLE documents REPLICA IDENTITY FULL');
    await pool.query(`UPDATE documents SET title = 't2' WHERE id = 'toast'`);
    await d.until(
      async () => (await rows(d, `SELECT title FROM documents WHERE id = 'toast'`))[0]?.title === 't2',
    );
    expect((await rows(d, `SELECT length(content) AS n FROM documents WHERE id = 'toast'`))[0]?.n).toBe(
      big.length,
    );
    await pool.query(`DELETE FROM documents WHERE id = 'toast'`);
    await d.until(
      async () => (await count(d, `SELECT count(*) AS n FROM documents WHERE id = 'toast'`)) === 0,
    );
    await pool.query('ALTER TABLE documents REPLICA IDENTITY DEFAULT');
  });

  it('a graceful restart resumes from the stored position without rebuilding or losing changes', async () => {
    const d = await open('restart');
    const version = (await pool.query(`SELECT rules_version FROM syncline.sync_state`)).rows[0].rules_version;
    const headBefore = BigInt((await pool.query(`SELECT head FROM syncline.sync_state`)).rows[0].head);
    await server.stop();
    await pool.query(
      `INSERT INTO documents (id, title, content, owner_id, device_id) VALUES ('while-stopped', 'x', 'c', $1, 's')`,
      [USER],
    );
    await pool.query(`UPDATE documents SET title = 'edited while stopped' WHERE id = 'cold-1'`);
    server = make({ port: 0 });
    await server.start();
    await d.db.disconnect();
    await d.connect();
    // Two source transactions: replication may store them in one commit or two, so wait for both.
    await d.until(
      async () =>
        (await count(d, `SELECT count(*) AS n FROM documents WHERE id = 'while-stopped'`)) === 1 &&
        (await rows(d, `SELECT title FROM documents WHERE id = 'cold-1'`))[0]?.title ===
          'edited while stopped',
      { message: 'resumed' },
    );
    const after = (await pool.query(`SELECT rules_version, head FROM syncline.sync_state`)).rows[0];
    expect(after.rules_version).toBe(version);
    expect(BigInt(after.head)).toBe(headBefore + 2n); // exactly the two new ops: nothing replayed twice
  });
});

describe('several server processes sharing storage', () => {
  it('a reader-only server (no replication) serves streams and gets live changes through NOTIFY', async () => {
    const reader = make({ replicate: false });
    await reader.start();
    try {
      const d = await open('reader', () => reader);
      await pool.query(
        `INSERT INTO documents (id, title, content, owner_id, device_id) VALUES ('via-reader', 'x', 'c', $1, 's')`,
        [USER],
      );
      await d.until(
        async () => (await count(d, `SELECT count(*) AS n FROM documents WHERE id = 'via-reader'`)) === 1,
        { message: 'live via reader' },
      );
      const token = await jwks.sign(USER);
      const wc = await fetch(`${reader.url}/write-checkpoint2.json?client_id=${await d.db.getClientId()}`, {
        headers: { authorization: `Token ${token}` },
      });
      expect(wc.status).toBe(200);
      await d.db.execute(`INSERT INTO preferences (id, key, value) VALUES ('p1', 'theme', 'dark')`);
      await waitFor(() => d.db.currentStatus.hasSynced === true);
    } finally {
      await reader.stop();
    }
  });
});
