/**
 * Ids, uniqueness and references (issue 12, gaps 1–3). Invariants:
 * - a client-caused problem is a 4xx with a registry code naming the table and op, never a 5xx;
 * - an id outside the table's format is never stored;
 * - unique indexes are unique per owner: another user's rows neither block nor reveal anything;
 * - no row points at a row owned by someone else.
 */
import { applySchema } from '@syncline/postgres/migrate';
import { useTestDatabase } from '@syncline/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, signUp, startTestApi, type TestApi, type TestUser, testSchema, upload } from './helpers.js';

const db = useTestDatabase('server_upload_keys');
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
const doc = (id: string, data: Record<string, unknown> = {}) => ({
  op: 'PUT',
  table: 'documents',
  id,
  data: { content: 'c', device_id: 'dev', ...data },
});
const group = (id: string) => ({ op: 'PUT', table: 'groups', id, data: { name: `g ${id}` } });
const link = (id: string, documentId: string, groupId: string) => ({
  op: 'PUT',
  table: 'document_groups',
  id,
  data: { document_id: documentId, group_id: groupId },
});
const count = async (table: string) => (await rows(api.pool, table)).length;

describe('ids', () => {
  it('refuses ids that are too long or carry characters no client generates, with a 4xx naming table and op', async () => {
    const bad = [
      'x'.repeat(3000),
      'y'.repeat(2000),
      'z'.repeat(10_000),
      '📝note',
      'trailing ',
      ' lead',
      'a\tb',
    ];
    const before = await count('documents');
    for (const id of bad) {
      const res = await upload(api.url, alice.session, tx(doc('ok-before'), doc(id)));
      expect(res.status, `id ${JSON.stringify(id.slice(0, 20))} (${id.length})`).toBe(400);
      expect(res.body.error.code).toBe('UPLOAD_INVALID_ID');
      expect(res.body.error.details).toMatchObject({ table: 'documents', op: 1, opType: 'PUT' });
    }
    expect(await count('documents')).toBe(before);
    // PATCH and DELETE ids are checked too (nothing to find, but a 4xx rather than a silent no-op).
    for (const op of ['PATCH', 'DELETE']) {
      const res = await upload(api.url, alice.session, tx({ op, table: 'documents', id: 'q'.repeat(500) }));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('UPLOAD_INVALID_ID');
    }
  });

  it('accepts UUIDs and usual app ids', async () => {
    const good = [
      crypto.randomUUID(),
      crypto.randomUUID().toUpperCase(),
      'web-1a2b3c4d',
      'user:42:note',
      'a',
    ];
    const res = await upload(api.url, alice.session, tx(...good.map((id) => doc(id))));
    expect(res.status).toBe(200);
    expect((await rows(api.pool, 'documents', 'id = ANY($1)', [good])).length).toBe(good.length);
  });

  it('answers a value too large to index with a 4xx, not a 500', async () => {
    // group_id is indexed; a 3,000-character value exceeds the btree row limit (Postgres error 54000).
    const res = await upload(api.url, alice.session, tx(link('big-link', 'big-doc', 'g'.repeat(3000))));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.error.code).toBe('UPLOAD_INVALID_VALUE');
  });
});

describe('unique indexes are per owner', () => {
  it("another user's identical pair neither blocks nor reveals anything; one owner's duplicate is refused", async () => {
    // Pairs of ids that are rows of no one (references to missing rows are accepted: offline order).
    expect((await upload(api.url, alice.session, tx(link('ua-link', 'u-doc', 'u-group')))).status).toBe(200);
    // B re-creating the same pair gets 200 like for any new pair: no 409 revealing that A has it.
    expect((await upload(api.url, bob.session, tx(link('ub-link', 'u-doc', 'u-group')))).status).toBe(200);
    // B first, A later: A is not blocked either.
    expect((await upload(api.url, bob.session, tx(link('ub-link-2', 'u-doc-2', 'u-group')))).status).toBe(
      200,
    );
    expect((await upload(api.url, alice.session, tx(link('ua-link-2', 'u-doc-2', 'u-group')))).status).toBe(
      200,
    );
    // A duplicate within one owner is still refused.
    const dup = await upload(api.url, alice.session, tx(link('ua-link-3', 'u-doc', 'u-group')));
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('UPLOAD_CONSTRAINT_VIOLATION');
  });

  it('two users may both hold the same pair of values in a uniquely indexed table', async () => {
    // group_hierarchy(parent, child) is unique: each user has their own "root → inbox" link.
    const edge = (id: string) => ({
      op: 'PUT',
      table: 'group_hierarchy',
      id,
      data: { parent_group_id: 'root', child_group_id: 'inbox' },
    });
    expect((await upload(api.url, alice.session, tx(edge('edge-a')))).status).toBe(200);
    const b = await upload(api.url, bob.session, tx(edge('edge-b')));
    expect(b.status).toBe(200);
  });
});

describe('references', () => {
  it("refuses a row pointing at another user's row, with a code naming table, column and op", async () => {
    expect((await upload(api.url, alice.session, tx(doc('ra-doc'), group('ra-group')))).status).toBe(200);
    const before = await count('document_groups');
    // B pairs A's document and A's group: refused, nothing written.
    const res = await upload(api.url, bob.session, tx(link('rb-link', 'ra-doc', 'ra-group')));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('UPLOAD_FOREIGN_REFERENCE');
    expect(res.body.error.details).toMatchObject({ table: 'document_groups', op: 0 });
    expect(['document_id', 'group_id']).toContain(res.body.error.details?.column);
    expect(await count('document_groups')).toBe(before);
    // …so A can still link them.
    expect((await upload(api.url, alice.session, tx(link('ra-link', 'ra-doc', 'ra-group')))).status).toBe(
      200,
    );
    // Every kind of reference in the test schema is checked, PATCH included.
    const attempts = [
      doc('rb-doc', { project_id: 'ra-project' }),
      {
        op: 'PUT',
        table: 'document_versions',
        id: 'rb-v',
        data: { document_id: 'ra-doc', content: 'x', version: 1 },
      },
      {
        op: 'PUT',
        table: 'group_hierarchy',
        id: 'rb-edge',
        data: { parent_group_id: 'ra-group', child_group_id: 'rb-own' },
      },
      { op: 'PATCH', table: 'documents', id: 'rb-own-doc', data: { project_id: 'ra-project' } },
    ];
    const project = { op: 'PUT', table: 'projects', id: 'ra-project', data: { name: 'A' } };
    expect((await upload(api.url, alice.session, tx(project))).status).toBe(200);
    expect((await upload(api.url, bob.session, tx(doc('rb-own-doc')))).status).toBe(200);
    for (const op of attempts) {
      const r = await upload(api.url, bob.session, tx(op));
      expect(r.status, JSON.stringify(op)).toBe(403);
      expect(r.body.error.code).toBe('UPLOAD_FOREIGN_REFERENCE');
    }
    expect((await rows(api.pool, 'documents', 'id = $1', ['rb-own-doc']))[0]?.project_id).toBeNull();
  });

  it('accepts a reference to a row that does not exist (yet), and to own rows created in the same transaction', async () => {
    const later = await upload(api.url, bob.session, tx(link('rb-later', 'not-yet-doc', 'not-yet-group')));
    expect(later.status).toBe(200);
    const same = await upload(
      api.url,
      bob.session,
      tx(doc('rb-new-doc'), group('rb-new-g'), link('rb-new-link', 'rb-new-doc', 'rb-new-g')),
    );
    expect(same.status).toBe(200);
  });
});
