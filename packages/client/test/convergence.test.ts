/**
 * Devices converge through the real stack: Postgres, the test API (behind a fault proxy), the sync
 * server, and @powersync/node devices built by @syncline/client — two of user A, one of user B.
 */

import { type ApiUser, signUp, waitFor, useTestDatabase as withTestDatabase } from '@syncline/test-utils';
import { documents } from '@syncline/test-utils/schema';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type Device,
  newDoc,
  openDevice,
  pgDocs,
  prepareDatabase,
  type Stack,
  startStack,
  subOf,
} from './stack.js';

// Aliased: biome's React rules (react is a dependency here) read `use…` as a hook.
const db = withTestDatabase('client_converge');
let pool: pg.Pool;
let stack: Stack;
let alice: ApiUser;
let bob: ApiUser;
let a1: Device;
let a2: Device;
let b1: Device;
const UPLOAD = '/api/powersync/upload';

const ids = async (d: Device, prefix: string) =>
  (await d.all<{ id: string }>('SELECT id FROM documents WHERE id LIKE ? ORDER BY id', [`${prefix}%`])).map(
    (r) => r.id,
  );
const synced = (d: Device) =>
  d.until(() => d.client.status.getSnapshot().state === 'synced', { message: 'synced' });

beforeAll(async () => {
  pool = await prepareDatabase(db.url);
  stack = await startStack(db.url, pool);
  alice = await signUp(stack.api.url, 'alice');
  bob = await signUp(stack.api.url, 'bob');
  a1 = await openDevice('alice-1', stack, alice.sessionToken);
  a2 = await openDevice('alice-2', stack, alice.sessionToken);
  b1 = await openDevice('bob-1', stack, bob.sessionToken);
  await Promise.all([synced(a1), synced(a2), synced(b1)]);
}, 120_000);

afterEach(() => {
  for (const d of [a1, a2, b1])
    expect(d?.checksumFailures() ?? [], `${d?.name}: checksum failures`).toEqual([]);
});

afterAll(async () => {
  await Promise.all([a1, a2, b1].map((d) => d?.close()));
  await stack?.stop();
  await pool?.end();
});

describe('convergence through the real stack', () => {
  it("a write on A's device 1 reaches A's device 2 and Postgres with the owner from the token, never B's device", async () => {
    // The client claims the row belongs to Bob: the API must take the owner from the token instead.
    await a1.client.db.insert(documents.sqlite).values(newDoc('w1', 'hello', { ownerId: bob.id }));
    await waitFor(async () => (await pgDocs(pool, ['w1'])).length === 1, { message: 'w1 in Postgres' });
    expect(await pgDocs(pool, ['w1'])).toEqual([{ id: 'w1', title: 'hello', owner_id: alice.id }]);
    await a2.until(async () => (await ids(a2, 'w1')).length === 1, { message: 'w1 on alice-2' });
    const [onA2] = await a2.all<{ owner_id: string }>(`SELECT owner_id FROM documents WHERE id = 'w1'`);
    expect(onA2?.owner_id).toBe(alice.id);
    // Device 1 ends up with the server's version of its own write.
    await a1.until(
      async () =>
        (await a1.all<{ o: string }>(`SELECT owner_id AS o FROM documents WHERE id = 'w1'`))[0]?.o ===
        alice.id,
      { message: 'server version on alice-1' },
    );
    // Bob's device has moved past Alice's write (it sees its own later write) and never got it.
    await b1.client.db.insert(documents.sqlite).values(newDoc('w1-bob', 'bob later'));
    await b1.until(
      async () =>
        (await ids(b1, 'w1-bob')).length === 1 && b1.client.status.getSnapshot().pendingUploads === 0,
    );
    await b1.until(async () => (await pgDocs(pool, ['w1-bob'])).length === 1);
    await synced(b1);
    expect(await b1.all(`SELECT id FROM documents WHERE owner_id <> ? OR id = 'w1'`, [bob.id])).toEqual([]);
    // Every upload carried its device's PowerSync client id and the uploader's own token.
    const uploads = stack.proxy.requests.filter((r) => r.method === 'PUT' && r.path === UPLOAD);
    const w1Upload = uploads.find((r) => r.body.includes('"w1"'));
    expect(subOf(w1Upload?.bearer ?? null)).toBe(alice.id);
    expect(JSON.parse(w1Upload!.body).client_id).toBe(await a1.client.powersync.getClientId());
  });

  it('a write made while the API and the sync server are down is kept, and every device converges after both return', async () => {
    const before = stack.proxy.requests.length;
    // The API goes first: the stream stays up, so the device really tries to upload and hits a dead API.
    await stack.stopApi();
    await a1.client.db.insert(documents.sqlite).values(newDoc('down-1', 'written offline'));
    await waitFor(
      () =>
        stack.proxy.requests
          .slice(before)
          .filter((r) => r.path === UPLOAD && r.body.includes('down-1') && r.status === null).length >= 1,
      { message: 'upload attempts against the dead API' },
    );
    await stack.stopSync();
    await a2.client.db.insert(documents.sqlite).values(newDoc('down-2', 'also offline'));
    await a1.until(
      () => {
        const s = a1.client.status.getSnapshot();
        return s.state === 'offline' && s.pendingUploads === 1;
      },
      { message: 'offline with one pending upload' },
    );
    expect(a1.client.status.getSnapshot().error?.code).toBe('CLIENT_NETWORK');
    // Still offline a while later: the write stays queued and nothing was lost.
    await new Promise((r) => setTimeout(r, 1000));
    expect(await ids(a1, 'down-')).toEqual(['down-1']);
    expect((await a1.client.powersync.getUploadQueueStats()).count).toBe(1);
    await stack.startApi();
    await stack.startSync();
    await waitFor(async () => (await pgDocs(pool, ['down-1', 'down-2'])).length === 2, {
      timeout: 30_000,
      message: 'both offline writes in Postgres',
    });
    for (const d of [a1, a2]) {
      await d.until(async () => (await ids(d, 'down-')).join() === 'down-1,down-2', {
        timeout: 30_000,
        message: 'converged',
      });
      await synced(d);
      expect(d.client.status.getSnapshot().pendingUploads).toBe(0);
    }
    await synced(b1);
    expect(await ids(b1, 'down-')).toEqual([]);
    expect((await pgDocs(pool, ['down-1', 'down-2'])).map((r) => r.owner_id)).toEqual([alice.id, alice.id]);
  }, 90_000);

  it('injected transient upload failures (5xx, dropped connections) lose no row and apply none twice', async () => {
    const faults = ['status-503', 'reset-before', 'reset-after', 'status-500', 'reset-after'] as const;
    stack.proxy.inject('PUT', UPLOAD, [...faults]);
    const before = stack.proxy.requests.length;
    for (let i = 0; i < 10; i++) {
      await a1.client.db.transaction(async (tx) => {
        await tx.insert(documents.sqlite).values(newDoc(`tf-${i}-a`, `a${i}`));
        await tx.insert(documents.sqlite).values(newDoc(`tf-${i}-b`, `b${i}`));
      });
    }
    for (let i = 0; i < 10; i++) {
      await a1.client.powersync.execute(
        `UPDATE documents SET title = ?, version = version + 1 WHERE id = ?`,
        [`a${i}-v2`, `tf-${i}-a`],
      );
    }
    await waitFor(
      async () => {
        const { rows } = await pool.query(
          `SELECT count(*)::int AS n FROM documents WHERE id LIKE 'tf-%' AND (title LIKE '%-v2' OR id LIKE '%-b')`,
        );
        return rows[0].n === 20;
      },
      { timeout: 40_000, message: 'all 20 rows with their final titles in Postgres' },
    );
    await a1.until(() => a1.client.status.getSnapshot().pendingUploads === 0);
    // Exactly one application per op: an insert for every row and one update for each "a" row.
    const { rows } = await pool.query<{ id: string; ops: string }>(
      `SELECT id, string_agg(op, ',' ORDER BY n) AS ops FROM apply_log WHERE id LIKE 'tf-%' GROUP BY id ORDER BY id`,
    );
    expect(rows).toHaveLength(20);
    for (const r of rows) expect(r.ops, r.id).toBe(r.id.endsWith('-a') ? 'INSERT,UPDATE' : 'INSERT');
    const uploads = stack.proxy.requests.slice(before).filter((r) => r.method === 'PUT' && r.path === UPLOAD);
    expect(uploads.map((r) => r.fault).filter(Boolean)).toEqual([...faults]);
    // No hot loop: after each failure the next attempt waited at least ~retryDelayMs (200 ms).
    for (let i = 1; i < uploads.length; i++) {
      if (uploads[i - 1]!.fault) expect(uploads[i]!.at - uploads[i - 1]!.at).toBeGreaterThanOrEqual(150);
    }
    expect(uploads.length).toBeLessThan(40);
    // The replayed transactions were recognised by the API (same client_id and op_id on retry).
    const { rows: log } = await pool.query(
      'SELECT count(*)::int AS n FROM syncline.upload_transactions WHERE client_id = $1',
      [await a1.client.powersync.getClientId()],
    );
    expect(log[0].n).toBeGreaterThanOrEqual(20);
    await a2.until(async () => (await ids(a2, 'tf-')).length === 20, { message: 'alice-2 has all 20' });
    expect(a1.client.status.getSnapshot().rejected).toBe(0);
  }, 90_000);

  it('a rejected write is completed and recorded in sync_rejections, and the writes after it still go through', async () => {
    await a1.client.disconnect();
    const now = new Date().toISOString();
    await a1.client.db.insert(documents.sqlite).values(newDoc('rj-ok-1', 'first'));
    // content is NOT NULL on the server; the client view accepts NULL, the API refuses it (400).
    await a1.client.powersync.execute(
      `INSERT INTO documents (id, title, content, device_id, created_at, updated_at) VALUES ('rj-bad', 'no content', NULL, 'test', ?, ?)`,
      [now, now],
    );
    await a1.client.db.insert(documents.sqlite).values(newDoc('rj-ok-2', 'third'));
    const before = stack.proxy.requests.length;
    await a1.client.connect();
    await waitFor(async () => (await pgDocs(pool, ['rj-ok-1', 'rj-ok-2'])).length === 2, {
      message: 'the writes around the rejected one reached Postgres',
    });
    expect(await pgDocs(pool, ['rj-bad'])).toEqual([]);
    const uploads = stack.proxy.requests.slice(before).filter((r) => r.method === 'PUT' && r.path === UPLOAD);
    // One request carried all three transactions; the API applied the first and rejected the second.
    expect(JSON.parse(uploads[0]!.body).transactions).toHaveLength(3);
    expect(uploads[0]!.status).toBe(400);
    await a1.until(() => a1.client.status.getSnapshot().rejected === 1, {
      message: 'status counts the rejection',
    });
    const [rejection] = await a1.client.rejections.list();
    expect(rejection).toMatchObject({
      tableName: 'documents',
      rowId: 'rj-bad',
      op: 'PUT',
      code: 'UPLOAD_MISSING_VALUE',
      userId: alice.id,
    });
    expect(rejection!.message).toMatch(/content/);
    expect(rejection!.data).toMatchObject({ title: 'no content' });
    expect(rejection!.details).toMatchObject({ offending: true, opIndex: 0 });
    expect(Date.parse(rejection!.rejectedAt)).toBeGreaterThan(Date.now() - 60_000);
    // Later writes still go through, and the queue is empty: nothing blocks behind the rejection.
    await a1.client.db.insert(documents.sqlite).values(newDoc('rj-after', 'after'));
    await waitFor(async () => (await pgDocs(pool, ['rj-after'])).length === 1);
    await a1.until(() => a1.client.status.getSnapshot().pendingUploads === 0);
    // The rejected row is gone locally once the server state is applied.
    await a1.until(async () => (await ids(a1, 'rj-bad')).length === 0, { message: 'rejected row reverted' });
    // Retry with a fix: re-applied as a new write, uploaded, and the rejection is gone.
    expect(await a1.client.rejections.retry(rejection!.id, { content: 'fixed' })).toBe(true);
    await waitFor(async () => (await pgDocs(pool, ['rj-bad'])).length === 1, {
      message: 'fixed write uploaded',
    });
    await a1.until(() => a1.client.status.getSnapshot().rejected === 0);
    // Discard drops one for good.
    await a1.client.powersync.execute(
      `INSERT INTO documents (id, title, content, device_id, created_at, updated_at) VALUES ('rj-bad-2', 'x', NULL, 'test', ?, ?)`,
      [now, now],
    );
    await a1.until(() => a1.client.status.getSnapshot().rejected === 1, { message: 'second rejection' });
    await a1.client.rejections.discard((await a1.client.rejections.list()).map((r) => r.id));
    await a1.until(() => a1.client.status.getSnapshot().rejected === 0);
    expect(await pgDocs(pool, ['rj-bad-2'])).toEqual([]);
  }, 60_000);
});
