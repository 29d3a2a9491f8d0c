/**
 * Sharing and conflicts with official clients (issue 18): `@powersync/node` devices built by `@syncline/client`
 * against the real test API and sync server, with the sync rules generated from the test schema. Alice
 * has two devices, Bob two. Invariants: a member's devices hold exactly what is shared with them (and lose it on
 * revoke); a write the share does not allow is rejected, listed in `sync_rejections` and never applied; with
 * `version` a stale edit is rejected with the server's row and can be re-applied on top of it; with `lww` the
 * later upload wins, field by field.
 */

import { type ApiUser, signUp, waitFor, useTestDatabase as withTestDatabase } from '@syncline/test-utils';
import { documents, groups, projectMembers, projects } from '@syncline/test-utils/schema';
import { eq } from 'drizzle-orm';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Device, newDoc, openDevice, prepareDatabase, type Stack, startStack } from './stack.js';

const db = withTestDatabase('client_sharing');
let pool: pg.Pool;
let stack: Stack;
let alice: ApiUser;
let bob: ApiUser;
let a1: Device;
let a2: Device;
let b1: Device;
let b2: Device;

const synced = (d: Device) =>
  d.until(
    () => {
      const s = d.client.status.getSnapshot();
      return s.state === 'synced' && s.pendingUploads === 0;
    },
    { message: 'synced, nothing pending' },
  );
const has = async (d: Device, table: string, id: string) =>
  (await d.all(`SELECT id FROM ${table} WHERE id = ?`, [id])).length === 1;
const contentOn = async (d: Device, id: string) =>
  (await d.all<{ content: string }>('SELECT content FROM documents WHERE id = ?', [id]))[0]?.content;
const pgDoc = async (id: string) =>
  (await pool.query('SELECT content, owner_id, version, project_id FROM documents WHERE id = $1', [id]))
    .rows[0];
/** An edit as an app makes it: new text and the next version, in one local write. */
const edit = (d: Device, id: string, content: string) =>
  d.client.powersync.execute('UPDATE documents SET content = ?, version = version + 1 WHERE id = ?', [
    content,
    id,
  ]);

beforeAll(async () => {
  pool = await prepareDatabase(db.url);
  stack = await startStack(db.url, pool);
  alice = await signUp(stack.api.url, 'alice');
  bob = await signUp(stack.api.url, 'bob');
  a1 = await openDevice('alice-1', stack, alice.sessionToken);
  a2 = await openDevice('alice-2', stack, alice.sessionToken);
  b1 = await openDevice('bob-1', stack, bob.sessionToken);
  b2 = await openDevice('bob-2', stack, bob.sessionToken);
  await Promise.all([a1, a2, b1, b2].map(synced));
}, 120_000);

afterEach(() => {
  for (const d of [a1, a2, b1, b2])
    expect(d?.checksumFailures() ?? [], `${d?.name}: checksum failures`).toEqual([]);
});

afterAll(async () => {
  await Promise.all([a1, a2, b1, b2].map((d) => d?.close()));
  await stack?.stop();
  await pool?.end();
});

describe('a project shared between two users, each with two devices', () => {
  const P = 'proj-shared';
  const D = 'doc-shared';
  const memberId = () => `${P}.${bob.id}`;

  it('viewer: Bob sees the project on both devices; his edit is rejected, listed, and never applied', async () => {
    await a1.client.db.insert(projects.sqlite).values({ id: P, name: 'Household' });
    await a1.client.db
      .insert(documents.sqlite)
      .values(newDoc(D, 'Groceries', { projectId: P, content: 'milk' }));
    await a1.client.db.insert(documents.sqlite).values(newDoc('doc-private', 'Diary'));
    const found = await a1.client.sharing.findUser(bob.email.toUpperCase());
    expect(found).toMatchObject({ id: bob.id, email: bob.email });
    expect(await a1.client.sharing.findUser('nobody@example.test')).toBeNull();
    await a1.client.db
      .insert(projectMembers.sqlite)
      .values({ id: memberId(), projectId: P, userId: found!.id, email: bob.email, role: 'viewer' });
    for (const d of [b1, b2]) {
      await d.until(async () => (await has(d, 'documents', D)) && (await has(d, 'projects', P)), {
        message: 'shared project and document arrive',
      });
      expect(await has(d, 'project_members', memberId())).toBe(true);
      expect(await has(d, 'documents', 'doc-private')).toBe(false);
    }
    await edit(b1, D, 'bob was here');
    await b1.until(async () => (await b1.client.rejections.list()).length === 1, {
      message: 'rejection listed',
    });
    const [rejection] = await b1.client.rejections.list();
    expect(rejection).toMatchObject({
      tableName: 'documents',
      rowId: D,
      op: 'PATCH',
      code: 'UPLOAD_READ_ONLY_SHARE',
    });
    expect(rejection!.data).toMatchObject({ content: 'bob was here' });
    expect((await pgDoc(D))?.content).toBe('milk');
    // Bob's device goes back to the server's text; the other devices never saw his edit.
    await b1.until(async () => (await contentOn(b1, D)) === 'milk', { message: 'rejected edit reverted' });
    await b1.client.rejections.discard(rejection!.id);
    for (const d of [a1, a2, b2]) expect(await contentOn(d, D)).toBe('milk');
  }, 60_000);

  it("editor: Bob's edit lands in Postgres and on every device; Alice still owns the document", async () => {
    await a1.client.db
      .update(projectMembers.sqlite)
      .set({ role: 'editor' })
      .where(eq(projectMembers.sqlite.id, memberId()));
    await b1.until(
      async () =>
        (await b1.all<{ role: string }>('SELECT role FROM project_members WHERE id = ?', [memberId()]))[0]
          ?.role === 'editor',
      { message: 'upgrade reaches Bob' },
    );
    await edit(b1, D, 'milk, eggs');
    await waitFor(async () => (await pgDoc(D))?.content === 'milk, eggs', {
      message: "Bob's edit in Postgres",
    });
    expect(await pgDoc(D)).toMatchObject({ owner_id: alice.id, version: 2 });
    for (const d of [a1, a2, b2]) {
      await d.until(async () => (await contentOn(d, D)) === 'milk, eggs', { message: "Bob's edit arrives" });
    }
    // Bob adds a document to the shared project: his own row, visible to Alice through the project.
    await b2.client.db.insert(documents.sqlite).values(newDoc('doc-by-bob', 'Bob adds', { projectId: P }));
    await a2.until(() => has(a2, 'documents', 'doc-by-bob'), { message: "Bob's new document reaches Alice" });
    expect((await pgDoc('doc-by-bob'))?.owner_id).toBe(bob.id);
    expect(await b1.client.rejections.list()).toEqual([]);
    expect(await b2.client.rejections.list()).toEqual([]);
  }, 60_000);

  it("revoked: the rows leave Bob's devices; his pending offline edit is rejected, not applied", async () => {
    await synced(b2);
    await b2.client.disconnect();
    await edit(b2, D, 'edited offline before the revoke');
    await a1.client.db.delete(projectMembers.sqlite).where(eq(projectMembers.sqlite.id, memberId()));
    await b1.until(async () => !(await has(b1, 'documents', D)) && !(await has(b1, 'projects', P)), {
      message: 'shared rows leave the online device',
    });
    expect(await has(b1, 'project_members', memberId())).toBe(false);
    // Bob keeps what he owns.
    expect(await has(b1, 'documents', 'doc-by-bob')).toBe(true);
    await b2.client.connect();
    await b2.until(async () => (await b2.client.rejections.list()).length === 1, {
      message: 'offline edit rejected',
    });
    const [rejection] = await b2.client.rejections.list();
    expect(rejection).toMatchObject({ rowId: D, code: 'UPLOAD_NOT_OWNER' });
    await b2.until(async () => !(await has(b2, 'documents', D)), {
      message: 'shared rows leave the offline device',
    });
    expect(await pgDoc(D)).toMatchObject({ content: 'milk, eggs', version: 2 });
    await a1.until(async () => (await contentOn(a1, D)) === 'milk, eggs');
  }, 60_000);
});

describe('two devices edit the same row offline, then both reconnect', () => {
  it('version: the second upload is rejected with the server row attached; "keep mine" re-applies it on top', async () => {
    await a1.client.db.insert(documents.sqlite).values(newDoc('doc-conflict', 'Plan', { content: 'draft' }));
    await a2.until(() => has(a2, 'documents', 'doc-conflict'));
    await Promise.all([synced(a1), synced(a2)]);
    await a1.client.disconnect();
    await a2.client.disconnect();
    await edit(a1, 'doc-conflict', 'laptop text');
    await edit(a2, 'doc-conflict', 'phone text');
    await a1.client.connect();
    await waitFor(async () => (await pgDoc('doc-conflict'))?.content === 'laptop text', {
      message: 'first upload lands',
    });
    await a2.client.connect();
    await a2.until(async () => (await a2.client.rejections.list()).length === 1, {
      message: 'second upload rejected',
    });
    const [rejection] = await a2.client.rejections.list();
    expect(rejection).toMatchObject({ rowId: 'doc-conflict', op: 'PATCH', code: 'UPLOAD_VERSION_CONFLICT' });
    expect(rejection!.data).toMatchObject({ content: 'phone text', version: 2 }); // mine
    expect(rejection!.serverRow).toMatchObject({ id: 'doc-conflict', content: 'laptop text', version: 2 }); // theirs
    expect(await pgDoc('doc-conflict')).toMatchObject({ content: 'laptop text', version: 2 });
    await a2.until(async () => (await contentOn(a2, 'doc-conflict')) === 'laptop text', {
      message: 'phone shows theirs',
    });
    // The user keeps the phone's text: a new write on top of the server's version.
    expect(await a2.client.rejections.retry(rejection!.id)).toBe(true);
    await waitFor(async () => (await pgDoc('doc-conflict'))?.content === 'phone text', {
      message: 'mine on top',
    });
    expect((await pgDoc('doc-conflict'))?.version).toBe(3);
    await a1.until(async () => (await contentOn(a1, 'doc-conflict')) === 'phone text', {
      message: 'laptop gets it',
    });
    expect(await a2.client.rejections.list()).toEqual([]);
  }, 60_000);

  it('lww: the later upload wins, field by field', async () => {
    await a1.client.db.insert(groups.sqlite).values({ id: 'grp-lww', name: 'start', color: 'grey' });
    await a2.until(() => has(a2, 'groups', 'grp-lww'));
    await Promise.all([synced(a1), synced(a2)]);
    await a1.client.disconnect();
    await a2.client.disconnect();
    await a1.client.db
      .update(groups.sqlite)
      .set({ name: 'from laptop', color: 'red' })
      .where(eq(groups.sqlite.id, 'grp-lww'));
    await a2.client.db
      .update(groups.sqlite)
      .set({ name: 'from phone' })
      .where(eq(groups.sqlite.id, 'grp-lww'));
    await a1.client.connect();
    await synced(a1);
    await a2.client.connect();
    await synced(a2);
    const row = async () =>
      (await pool.query('SELECT name, color FROM groups WHERE id = $1', ['grp-lww'])).rows[0];
    await waitFor(async () => (await row())?.name === 'from phone', {
      message: 'the later upload wins the name',
    });
    expect(await row()).toEqual({ name: 'from phone', color: 'red' }); // the colour only the laptop changed stays
    for (const d of [a1, a2]) {
      await d.until(
        async () =>
          JSON.stringify(await d.all('SELECT name, color FROM groups WHERE id = ?', ['grp-lww'])) ===
          JSON.stringify([{ name: 'from phone', color: 'red' }]),
        { message: 'both devices converge' },
      );
    }
    expect(await a2.client.rejections.list()).toEqual([]);
  }, 60_000);
});
