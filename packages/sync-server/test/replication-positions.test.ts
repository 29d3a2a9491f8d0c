/**
 * SPEC.md R3 with the seed recipe's Postgres setup: a `FOR ALL TABLES` publication and bucket storage in the
 * same database, so every storage commit is itself decoded. Idle, the server must not write storage or
 * WAL (it used to feed itself: each storage commit came back as a transaction and caused another one).
 */

import { useTestDatabase, waitFor } from '@syncline/test-utils';
import type { TestApi } from '@syncline/test-utils/stack';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncServer } from '../src/index.js';
import { lsnToBigInt } from '../src/protocol/lsn.js';
import { prepareDatabase, startApi, startSync } from './stack.js';

const db = useTestDatabase('positions');
let pool: pg.Pool;
let api: TestApi;
let server: SyncServer;
const USER = 'user-positions';

const walLsn = async () =>
  lsnToBigInt((await pool.query<{ l: string }>('SELECT pg_current_wal_lsn()::text AS l')).rows[0]!.l);
beforeAll(async () => {
  pool = await prepareDatabase(db.url);
  await pool.query('DROP PUBLICATION IF EXISTS powersync');
  await pool.query('CREATE PUBLICATION powersync FOR ALL TABLES');
  api = await startApi(db.url);
  server = await startSync(db.url, api, { managePublication: false });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await api?.stop();
  await pool?.end();
});

describe('replication positions with storage inside a FOR ALL TABLES publication', () => {
  it('stays idle: no storage commits and no WAL growth without source changes', async () => {
    await pool.query(
      `INSERT INTO documents (id, title, content, owner_id, device_id) VALUES ('idle-1', 't', 'c', $1, 's')`,
      [USER],
    );
    const storedRow = async (id: string) =>
      (await pool.query(`SELECT 1 FROM syncline.current_rows WHERE row_key = $1`, [id])).rowCount === 1;
    await waitFor(() => storedRow('idle-1'), { timeout: 10_000, message: 'idle-1 stored' });
    await new Promise((r) => setTimeout(r, 500)); // let the commit's own WAL be decoded
    const stamp = async () =>
      (await pool.query<{ t: string }>('SELECT updated_at::text AS t FROM syncline.sync_state')).rows[0]!.t;
    const before = await stamp();
    const wal = await walLsn();
    await new Promise((r) => setTimeout(r, 3000));
    expect(await stamp(), 'storage state written while idle').toBe(before);
    // A few hundred bytes of WAL can come from Postgres itself (e.g. a running-xacts record).
    expect(Number((await walLsn()) - wal), 'WAL bytes written while idle').toBeLessThan(16 * 1024);
    // …and it still replicates.
    await pool.query(
      `INSERT INTO documents (id, title, content, owner_id, device_id) VALUES ('idle-2', 't', 'c', $1, 's')`,
      [USER],
    );
    await waitFor(() => storedRow('idle-2'), { timeout: 10_000, message: 'idle-2 stored' });
  });

  it('never replicates its own storage tables, even though they are published', async () => {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM syncline.current_rows WHERE source_table LIKE 'syncline.%'`,
    );
    expect(rows[0]!.n).toBe(0);
    const { rows: pub } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_publication_tables WHERE pubname = 'powersync' AND schemaname = 'syncline'`,
    );
    expect(pub[0]!.n).toBeGreaterThan(0); // the setup under test really publishes them
  });
});
