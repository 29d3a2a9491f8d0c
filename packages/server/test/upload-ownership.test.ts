import { applySchema } from '@syncline/postgres/migrate';
import { useTestDatabase } from '@syncline/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, signUp, startTestApi, type TestApi, type TestUser, testSchema, upload } from './helpers.js';

const db = useTestDatabase('server_upload_ownership');
let api: TestApi;
let alice: TestUser;
let bob: TestUser;
let opId = 1;

beforeAll(async () => {
  await applySchema(db.url, testSchema);
  api = await startTestApi(db.url);
  alice = await signUp(api.url, 'alice');
  bob = await signUp(api.url, 'bob');
});
afterAll(async () => {
  await api?.stop();
});

const tx = (...ops: unknown[]) => ({ client_id: 'device', transactions: [{ op_id: opId++, ops }] });
const put = (id: string, data: Record<string, unknown> = {}, table = 'documents') => ({
  op: 'PUT',
  table,
  id,
  data: { content: 'original', device_id: 'dev', ...data },
});
const version = (id: string) => ({
  op: 'PUT',
  table: 'document_versions',
  id,
  data: { document_id: 'd', content: 'v1', version: 1 },
});
const one = async (table: string, id: string) => (await rows(api.pool, table, 'id = $1', [id]))[0];

describe('ownership', () => {
  it('sets the owner from the token and ignores a spoofed owner (both spellings, PUT and PATCH)', async () => {
    expect((await upload(api.url, alice.session, tx(put('o-1', { owner_id: bob.userId })))).status).toBe(200);
    expect((await upload(api.url, alice.session, tx(put('o-2', { ownerId: bob.userId })))).status).toBe(200);
    expect((await one('documents', 'o-1'))?.owner_id).toBe(alice.userId);
    expect((await one('documents', 'o-2'))?.owner_id).toBe(alice.userId);
    const patch = {
      op: 'PATCH',
      table: 'documents',
      id: 'o-1',
      data: { title: 'renamed', owner_id: bob.userId, version: 2 }, // documents are version-checked
    };
    expect((await upload(api.url, alice.session, tx(patch))).status).toBe(200);
    expect(await one('documents', 'o-1')).toMatchObject({ title: 'renamed', owner_id: alice.userId });
  });

  it("B's PUT with A's row id is refused with UPLOAD_NOT_OWNER and leaves A's row unchanged", async () => {
    await upload(api.url, alice.session, tx(put('o-3', { title: 'mine' })));
    const before = await one('documents', 'o-3');
    const res = await upload(
      api.url,
      bob.session,
      tx(put('o-3', { title: 'stolen', content: 'pwned', owner_id: bob.userId })),
    );
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({
      code: 'UPLOAD_NOT_OWNER',
      details: { table: 'documents', id: 'o-3', op: 0, opType: 'PUT', applied: [] },
    });
    expect(await one('documents', 'o-3')).toEqual(before);
    expect(before).toMatchObject({ title: 'mine', content: 'original', owner_id: alice.userId });
  });

  it("B's PATCH and DELETE of A's rows change nothing (soft- and hard-delete tables)", async () => {
    await upload(api.url, alice.session, tx(put('o-4'), version('ov-4')));
    const doc = await one('documents', 'o-4');
    const ver = await one('document_versions', 'ov-4');
    for (const op of [
      { op: 'PATCH', table: 'documents', id: 'o-4', data: { content: 'pwned' } },
      { op: 'DELETE', table: 'documents', id: 'o-4' },
      { op: 'PATCH', table: 'document_versions', id: 'ov-4', data: { content: 'pwned' } },
      { op: 'DELETE', table: 'document_versions', id: 'ov-4' },
    ]) {
      const res = await upload(api.url, bob.session, tx(op));
      expect(res.status, JSON.stringify(op)).toBe(403);
      expect(res.body.error.code).toBe('UPLOAD_NOT_OWNER');
    }
    expect(await one('documents', 'o-4')).toEqual(doc);
    expect(await one('document_versions', 'ov-4')).toEqual(ver);
  });

  it('lets the owner update with PUT and PATCH', async () => {
    await upload(api.url, alice.session, tx(put('o-5', { title: 'v1' })));
    expect(
      (await upload(api.url, alice.session, tx(put('o-5', { title: 'v2', content: 'new', version: 2 }))))
        .status,
    ).toBe(200);
    expect(await one('documents', 'o-5')).toMatchObject({
      title: 'v2',
      content: 'new',
      owner_id: alice.userId,
    });
  });

  it('soft-deletes on tables with deleted_at (once) and hard-deletes otherwise', async () => {
    await upload(api.url, alice.session, tx(put('o-6'), version('ov-6')));
    const del = (table: string, id: string) => ({ op: 'DELETE', table, id });
    expect(
      (await upload(api.url, alice.session, tx(del('documents', 'o-6'), del('document_versions', 'ov-6'))))
        .status,
    ).toBe(200);
    const deleted = await one('documents', 'o-6');
    expect(deleted?.deleted_at).toBeInstanceOf(Date);
    expect(deleted?.content).toBe('original');
    expect(await one('document_versions', 'ov-6')).toBeUndefined();
    await new Promise((r) => setTimeout(r, 20));
    await upload(api.url, alice.session, tx(del('documents', 'o-6')));
    expect((await one('documents', 'o-6'))?.deleted_at).toEqual(deleted?.deleted_at);
  });

  it('treats PATCH and DELETE of rows that do not exist as no-ops', async () => {
    const res = await upload(
      api.url,
      alice.session,
      tx(
        { op: 'PATCH', table: 'documents', id: 'never-existed', data: { title: 'x' } },
        { op: 'DELETE', table: 'document_versions', id: 'never-existed' },
      ),
    );
    expect(res.status).toBe(200);
    expect(await one('documents', 'never-existed')).toBeUndefined();
  });
});
