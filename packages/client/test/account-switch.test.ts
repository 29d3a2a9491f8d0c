/**
 * Account switching on one device through the real stack: A → B wipes A's synced rows, brings B's, keeps
 * local-only data, and never uploads A's pending write with B's token; B → A brings A's rows back and
 * lets A restore the quarantined write.
 */

import { type ApiUser, signUp, waitFor, useTestDatabase as withTestDatabase } from '@syncline/test-utils';
import { documents, preferences } from '@syncline/test-utils/schema';
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
const db = withTestDatabase('client_switch');
let pool: pg.Pool;
let stack: Stack;
let alice: ApiUser;
let bob: ApiUser;
let shared: Device;
const UPLOAD = '/api/powersync/upload';

const docIds = async (d: Device) =>
  (await d.all<{ id: string }>('SELECT id FROM documents ORDER BY id')).map((r) => r.id);
const owners = async (d: Device) =>
  (await d.all<{ o: string | null }>('SELECT DISTINCT owner_id AS o FROM documents')).map((r) => r.o);
/** Upload requests whose bearer is `user`'s token and whose body mentions `id`. */
const uploadsOf = (user: ApiUser, id: string) =>
  stack.proxy.requests.filter(
    (r) =>
      r.method === 'PUT' && r.path === UPLOAD && subOf(r.bearer) === user.id && r.body.includes(`"${id}"`),
  );

beforeAll(async () => {
  pool = await prepareDatabase(db.url);
  stack = await startStack(db.url, pool);
  alice = await signUp(stack.api.url, 'alice');
  bob = await signUp(stack.api.url, 'bob');
  for (let i = 1; i <= 5; i++)
    await pool.query(
      `INSERT INTO documents (id, title, content, owner_id, device_id) VALUES ($1, 'A doc', 'c', $2, 'server')`,
      [`a-${i}`, alice.id],
    );
  for (let i = 1; i <= 3; i++)
    await pool.query(
      `INSERT INTO documents (id, title, content, owner_id, device_id) VALUES ($1, 'B doc', 'c', $2, 'server')`,
      [`b-${i}`, bob.id],
    );
  shared = await openDevice('shared', stack, alice.sessionToken);
  await shared.until(async () => (await docIds(shared)).length === 5, { message: "alice's rows" });
}, 120_000);

afterEach(() => {
  expect(shared?.checksumFailures() ?? []).toEqual([]);
});

afterAll(async () => {
  await shared?.close();
  await stack?.stop();
  await pool?.end();
});

describe('account switching on one device', () => {
  it("A → B: A's rows are gone, B's arrive, local-only data stays, A's pending write is never uploaded under B", async () => {
    const versions: number[] = [];
    const off = shared.client.status.subscribe(() => {
      const v = shared.client.status.getSnapshot().databaseVersion;
      if (versions.at(-1) !== v) versions.push(v);
    });
    const versionBefore = shared.client.status.getSnapshot().databaseVersion;
    await shared.client.db.insert(preferences.sqlite).values({ id: 'theme', key: 'theme', value: 'dark' });
    await shared.client.disconnect();
    await shared.client.db
      .insert(documents.sqlite)
      .values(newDoc('a-pending', 'written by A, not uploaded yet'));
    expect(shared.client.status.getSnapshot().userId).toBe(alice.id);

    shared.session.token = bob.sessionToken; // Bob signs in on the same device
    await shared.client.connect();

    // Right after the switch, nothing of Alice's is visible; Bob's rows arrive.
    expect(await docIds(shared)).toEqual([]);
    await shared.until(async () => (await docIds(shared)).join() === 'b-1,b-2,b-3', {
      message: "bob's rows",
    });
    expect(await owners(shared)).toEqual([bob.id]);
    const [pref] = await shared.all<{ value: string }>(`SELECT value FROM preferences WHERE id = 'theme'`);
    expect(pref?.value).toBe('dark');
    const status = shared.client.status.getSnapshot();
    expect(status.userId).toBe(bob.id);
    expect(status.databaseVersion).toBe(versionBefore + 1);
    expect(versions).toContain(versionBefore + 1);
    expect(status.pendingUploads).toBe(0);
    // Alice's pending write was quarantined for her, is not listed for Bob, and never reached Postgres.
    const q = await shared.all<{ user_id: string; row_id: string; op: string }>(
      'SELECT user_id, row_id, op FROM sync_quarantine',
    );
    expect(q).toEqual([{ user_id: alice.id, row_id: 'a-pending', op: 'PUT' }]);
    expect(await shared.client.quarantine.list()).toEqual([]);
    await shared.until(() => shared.client.status.getSnapshot().state === 'synced');
    expect(await pgDocs(pool, ['a-pending'])).toEqual([]);
    expect(uploadsOf(bob, 'a-pending')).toEqual([]);
    off();
  });

  it("B → A: A's rows come back, B's are gone, and A restores the quarantined write", async () => {
    await shared.client.db.insert(documents.sqlite).values(newDoc('b-new', 'by bob on the shared device'));
    await waitFor(async () => (await pgDocs(pool, ['b-new']))[0]?.owner_id === bob.id);
    shared.session.token = alice.sessionToken;
    await shared.client.connect();
    expect(await owners(shared)).toEqual([]);
    await shared.until(async () => (await docIds(shared)).join() === 'a-1,a-2,a-3,a-4,a-5', {
      message: "alice's rows re-synced",
    });
    expect(shared.client.status.getSnapshot().userId).toBe(alice.id);
    await shared.until(() => shared.client.status.getSnapshot().quarantined === 1);
    const [write] = await shared.client.quarantine.list();
    expect(write).toMatchObject({ userId: alice.id, rowId: 'a-pending', op: 'PUT' });
    expect(await shared.client.quarantine.restore()).toEqual({ restored: 1, skipped: [] });
    await waitFor(async () => (await pgDocs(pool, ['a-pending'])).length === 1, {
      message: 'restored write uploaded',
    });
    expect((await pgDocs(pool, ['a-pending']))[0]?.owner_id).toBe(alice.id);
    expect(uploadsOf(bob, 'a-pending')).toEqual([]);
    await shared.until(() => shared.client.status.getSnapshot().quarantined === 0);
  });

  it("an upload retrying when the session changes to B is stopped: A's write is never sent with B's token", async () => {
    // Alice's write keeps failing (503) so it is still queued — and retrying — when Bob signs in.
    stack.proxy.inject('PUT', UPLOAD, Array(100).fill('status-503'));
    await shared.client.db.insert(documents.sqlite).values(newDoc('a-race', 'in flight during the switch'));
    await waitFor(() => uploadsOf(alice, 'a-race').length >= 1, { message: 'alice uploading' });
    // Bob signs in without telling the client; the next credentials refresh (a 401 here) reveals him.
    shared.session.token = bob.sessionToken;
    // Replace the remaining 503s by one 401: the uploader refreshes its credentials and gets Bob's.
    stack.proxy.clear();
    stack.proxy.inject('PUT', UPLOAD, ['status-401']);
    await waitFor(
      () => shared.client.status.getSnapshot().userId === bob.id || uploadsOf(bob, 'a-race').length > 0,
      { message: 'switched to bob, or sent the write with his token' },
    );
    expect(uploadsOf(bob, 'a-race'), "Alice's write sent with Bob's token").toEqual([]);
    await shared.until(() => shared.client.status.getSnapshot().userId === bob.id, {
      message: 'switched to bob automatically',
    });
    await shared.until(async () => (await docIds(shared)).includes('b-new'), { message: "bob's rows" });
    await shared.until(() => shared.client.status.getSnapshot().state === 'synced');
    expect(uploadsOf(bob, 'a-race')).toEqual([]);
    expect(await pgDocs(pool, ['a-race'])).toEqual([]);
    expect(await shared.all(`SELECT id FROM documents WHERE id = 'a-race'`)).toEqual([]);
    const q = await shared.all<{ user_id: string }>(
      `SELECT user_id FROM sync_quarantine WHERE row_id = 'a-race'`,
    );
    expect(q).toEqual([{ user_id: alice.id }]);
    expect(stack.proxy.requests.some((r) => r.fault === 'status-401')).toBe(true);
    expect(shared.logs.some((l) => l.msg.includes('switching'))).toBe(true);
  });
  it('signing out shows signed-out and keeps the data; the same user signing in again resumes without a clear', async () => {
    const version = shared.client.status.getSnapshot().databaseVersion;
    shared.session.token = null;
    await shared.client.signOut();
    expect(shared.client.status.getSnapshot()).toMatchObject({ state: 'signed-out', userId: bob.id });
    await shared.client.db.insert(documents.sqlite).values(newDoc('b-offline', 'written while signed out'));
    await shared.until(() => shared.client.status.getSnapshot().pendingUploads === 1);
    expect(await docIds(shared)).toContain('b-new');
    await shared.client.connect(); // still no session: stays signed out, nothing is sent
    expect(shared.client.status.getSnapshot().state).toBe('signed-out');
    shared.session.token = bob.sessionToken;
    await shared.client.connect();
    await waitFor(async () => (await pgDocs(pool, ['b-offline']))[0]?.owner_id === bob.id, {
      message: 'the signed-out write uploaded for bob',
    });
    await shared.until(() => shared.client.status.getSnapshot().state === 'synced');
    expect(shared.client.status.getSnapshot().databaseVersion).toBe(version);
  });
  it('signing out, then straight back in as the same user, syncs again', async () => {
    await shared.client.signOut();
    expect(shared.client.status.getSnapshot().state).toBe('signed-out');
    await shared.client.connect(); // the session source still has Bob's token
    await shared.until(() => shared.client.status.getSnapshot().state === 'synced', {
      message: 'synced again',
    });
  });
});
