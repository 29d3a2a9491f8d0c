/**
 * Conformance: an official client (`@powersync/node`, or `@powersync/web` in Chromium) against Syncline's
 * sync server, with real Postgres and the test API (BetterAuth tokens, upload endpoint). Every test
 * also fails on any checksum mismatch the client reports. Run once per SDK × connection method.
 */

import {
  type ApiUser,
  type DeviceFactory,
  type SyncDevice,
  signUp,
  useTestDatabase,
} from '@syncline/test-utils';
import type { TestApi } from '@syncline/test-utils/stack';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SyncServer } from '../../src/index.js';
import {
  device,
  insertDocs,
  prepareDatabase,
  type StreamTransport,
  startApi,
  startSync,
  streamsByTransport,
} from '../stack.js';

/**
 * Registers the conformance suite for devices opened by `open`; `transport` is how their streams must reach
 * the server (checked from the server's metrics, so a silent fallback to another transport fails).
 */
export function conformanceSuite(open: DeviceFactory, transport: StreamTransport): void {
  const db = useTestDatabase('conformance');
  let pool: pg.Pool;
  let api: TestApi;
  let server: SyncServer;
  let alice: ApiUser;
  let bob: ApiUser;
  let a1: SyncDevice;
  let a2: SyncDevice;
  let b1: SyncDevice;
  const count = async (d: SyncDevice, sql = 'SELECT count(*) AS n FROM documents', params: unknown[] = []) =>
    Number((await d.all<{ n: number }>(sql, params))[0]!.n);

  beforeAll(async () => {
    pool = await prepareDatabase(db.url);
    api = await startApi(db.url);
    alice = await signUp(api.url, 'alice');
    bob = await signUp(api.url, 'bob');
    // Data that exists before the sync server starts goes through the initial snapshot.
    await insertDocs(pool, alice.id, 1500, 'a-');
    await insertDocs(pool, bob.id, 300, 'b-');
    server = await startSync(db.url, api);
    a1 = await device(open, 'alice-1', alice, api, () => server);
    a2 = await device(open, 'alice-2', alice, api, () => server);
    b1 = await device(open, 'bob-1', bob, api, () => server);
    await Promise.all([a1.db.waitForFirstSync(), a2.db.waitForFirstSync(), b1.db.waitForFirstSync()]);
  }, 120_000);

  afterEach(() => {
    for (const d of [a1, a2, b1])
      expect(d?.checksumFailures() ?? [], `${d?.name} reported checksum failures`).toEqual([]);
  });

  afterAll(async () => {
    await Promise.all([a1, a2, b1].map((d) => d?.close()));
    await server?.stop();
    await api?.stop();
    await pool?.end();
  });

  describe('initial sync', () => {
    it('delivers all of the user’s rows and none of anyone else’s', async () => {
      expect(await count(a1)).toBe(1500);
      expect(await count(a2)).toBe(1500);
      expect(await count(b1)).toBe(300);
      expect(await count(a1, 'SELECT count(*) AS n FROM documents WHERE owner_id <> ?', [alice.id])).toBe(0);
      expect(await count(b1, 'SELECT count(*) AS n FROM documents WHERE owner_id <> ?', [bob.id])).toBe(0);
    });

    it('keeps values as the client writes them: ISO timestamps, 0/1 booleans', async () => {
      await pool.query(
        `INSERT INTO projects (id, name, owner_id, is_default, created_at) VALUES ('p-types', 'Types', $1, true, '2024-05-06T07:08:09.123Z')`,
        [alice.id],
      );
      await a1.until(
        async () => (await count(a1, `SELECT count(*) AS n FROM projects WHERE id = 'p-types'`)) === 1,
      );
      const [p] = await a1.all<{ is_default: number; created_at: string }>(
        `SELECT is_default, created_at FROM projects WHERE id = 'p-types'`,
      );
      expect(p).toEqual({ is_default: 1, created_at: '2024-05-06T07:08:09.123Z' });
    });
  });

  describe('live changes from Postgres', () => {
    it('INSERT, UPDATE and DELETE reach the owner’s devices only', async () => {
      await pool.query(
        `INSERT INTO documents (id, title, content, owner_id, device_id) VALUES ('live-1', 'Live', 'c', $1, 'server')`,
        [alice.id],
      );
      await a1.until(
        async () => (await count(a1, `SELECT count(*) AS n FROM documents WHERE id = 'live-1'`)) === 1,
        { message: 'insert' },
      );
      await pool.query(`UPDATE documents SET title = 'Edited' WHERE id = 'live-1'`);
      await a2.until(
        async () =>
          (await a2.all<{ title: string }>(`SELECT title FROM documents WHERE id = 'live-1'`))[0]?.title ===
          'Edited',
        { message: 'update' },
      );
      await pool.query(`DELETE FROM documents WHERE id = 'live-1'`);
      await a1.until(
        async () => (await count(a1, `SELECT count(*) AS n FROM documents WHERE id = 'live-1'`)) === 0,
        { message: 'delete' },
      );
      expect(await count(b1, `SELECT count(*) AS n FROM documents WHERE id = 'live-1'`)).toBe(0);
    });

    it('a row whose owner changes leaves the old owner’s device and appears on the new owner’s', async () => {
      await pool.query(`UPDATE documents SET owner_id = $1 WHERE id = 'a-7'`, [bob.id]);
      await a1.until(
        async () => (await count(a1, `SELECT count(*) AS n FROM documents WHERE id = 'a-7'`)) === 0,
        { message: 'gone from alice' },
      );
      await b1.until(
        async () => (await count(b1, `SELECT count(*) AS n FROM documents WHERE id = 'a-7'`)) === 1,
        { message: 'on bob' },
      );
      await pool.query(`UPDATE documents SET owner_id = $1 WHERE id = 'a-7'`, [alice.id]);
      await b1.until(
        async () => (await count(b1, `SELECT count(*) AS n FROM documents WHERE id = 'a-7'`)) === 0,
        { message: 'back' },
      );
      await a2.until(
        async () => (await count(a2, `SELECT count(*) AS n FROM documents WHERE id = 'a-7'`)) === 1,
      );
    });

    it('many changes in one transaction arrive together', async () => {
      await pool.query('BEGIN');
      await insertDocs(pool, alice.id, 3000, 'tx-');
      await pool.query(`UPDATE documents SET title = 'tx' WHERE id LIKE 'a-1%'`);
      await pool.query('COMMIT');
      await a1.until(
        async () => (await count(a1, `SELECT count(*) AS n FROM documents WHERE id LIKE 'tx-%'`)) === 3000,
        { message: 'big tx' },
      );
      expect(await count(a1, `SELECT count(*) AS n FROM documents WHERE title = 'tx'`)).toBeGreaterThan(100);
    });
  });

  describe('uploads and write checkpoints', () => {
    it('a local write is uploaded through the API, the pending state clears, and the server’s version is what the device holds', async () => {
      await a1.db.execute(
        `INSERT INTO documents (id, title, content, device_id, created_at, updated_at) VALUES ('up-1', 'shout:hello', 'c', 'dev-a1', ?, ?)`,
        [new Date().toISOString(), new Date().toISOString()],
      );
      await a1.until(
        async () =>
          (await a1.all<{ title: string }>(`SELECT title FROM documents WHERE id = 'up-1'`))[0]?.title ===
          'HELLO',
        {
          message: 'server version on the writing device',
        },
      );
      expect((await a1.db.getUploadQueueStats()).count).toBe(0);
      const [row] = (await pool.query(`SELECT owner_id, title FROM documents WHERE id = 'up-1'`)).rows;
      expect(row).toEqual({ owner_id: alice.id, title: 'HELLO' });
      await a2.until(
        async () => (await count(a2, `SELECT count(*) AS n FROM documents WHERE id = 'up-1'`)) === 1,
        { message: 'other device' },
      );
      expect(await count(b1, `SELECT count(*) AS n FROM documents WHERE id = 'up-1'`)).toBe(0);
      await a1.until(
        () =>
          a1.db.currentStatus.dataFlowStatus.uploading === false && a1.db.currentStatus.hasSynced === true,
      );
    });
  });

  describe('buckets from parameter queries', () => {
    it('a group shared through a membership row appears, and disappears when the membership is deleted', async () => {
      await pool.query(`INSERT INTO groups (id, name, owner_id) VALUES ('g-shared', 'Shared', $1)`, [
        alice.id,
      ]);
      await a1.until(
        async () => (await count(a1, `SELECT count(*) AS n FROM groups WHERE id = 'g-shared'`)) === 1,
      );
      expect(await count(b1, `SELECT count(*) AS n FROM groups WHERE id = 'g-shared'`)).toBe(0);
      await pool.query(`INSERT INTO group_members (id, group_id, user_id) VALUES ('m1', 'g-shared', $1)`, [
        bob.id,
      ]);
      await b1.until(
        async () => (await count(b1, `SELECT count(*) AS n FROM groups WHERE id = 'g-shared'`)) === 1,
        { message: 'bucket added' },
      );
      await pool.query(`UPDATE groups SET name = 'Renamed' WHERE id = 'g-shared'`);
      await b1.until(
        async () =>
          (await b1.all<{ name: string }>(`SELECT name FROM groups WHERE id = 'g-shared'`))[0]?.name ===
          'Renamed',
      );
      await pool.query(`DELETE FROM group_members WHERE id = 'm1'`);
      await b1.until(
        async () => (await count(b1, `SELECT count(*) AS n FROM groups WHERE id = 'g-shared'`)) === 0,
        { message: 'bucket removed' },
      );
      expect(await count(a1, `SELECT count(*) AS n FROM groups WHERE id = 'g-shared'`)).toBe(1);
    });
  });

  describe('authentication', () => {
    it('a bad or missing token gets 401 with an error code', async () => {
      const res = await fetch(`${server.url}/sync/stream`, {
        method: 'POST',
        headers: { authorization: 'Token not.a.jwt', 'content-type': 'application/json' },
        body: '{}',
      });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('AUTH_MALFORMED_TOKEN');
      const none = await fetch(`${server.url}/write-checkpoint2.json?client_id=x`);
      expect(none.status).toBe(401);
      expect(((await none.json()) as { error: { code: string } }).error.code).toBe('AUTH_MISSING_TOKEN');
    });
  });

  describe('transport', () => {
    it(`every stream of the suite was served over ${transport}`, async () => {
      const counts = await streamsByTransport(server);
      expect(counts[transport]).toBeGreaterThanOrEqual(3);
      for (const [t, n] of Object.entries(counts)) if (t !== transport) expect(n, t).toBe(0);
    });
  });
}
