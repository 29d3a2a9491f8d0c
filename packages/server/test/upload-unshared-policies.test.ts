/**
 * Conflict policies on a table that is not shared (`version` and a `serverOwned('increment')` counter, no
 * `sharing`): the facts query reads its rows like a shared table's, and only the owner may write them — another
 * user's write is refused as on a table without policies, and learns nothing of the row.
 */
import { applySchema } from '@syncline/postgres/migrate';
import { column, defineSchema, defineTable } from '@syncline/schema';
import { useTestDatabase } from '@syncline/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, signUp, startTestApi, type TestApi, type TestUser, testSchema, upload } from './helpers.js';

const notes = defineTable(
  'notes',
  {
    id: column.id(),
    ownerId: column.owner(),
    body: column.text(),
    version: column.integer().notNull().default(1),
    edits: column.integer().notNull().default(0).serverOwned('increment'),
  },
  { conflicts: { policy: 'version', column: 'version' } },
);
/** Last write wins, with a server-owned counter of writes. */
const tallies = defineTable('tallies', {
  id: column.id(),
  ownerId: column.owner(),
  label: column.text(),
  edits: column.integer().notNull().default(0).serverOwned('increment'),
});
const schema = defineSchema({ ...testSchema.definitions, notes, tallies });

const db = useTestDatabase('server_upload_unshared_policies');
let api: TestApi;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  await applySchema(db.url, schema);
  api = await startTestApi(db.url, { schema });
  alice = await signUp(api.url, 'alice');
  bob = await signUp(api.url, 'bob');
});
afterAll(async () => {
  await api?.stop();
});

let opId = 1;
const send = (who: TestUser, ...ops: unknown[]) =>
  upload(api.url, who.session, { client_id: 'device', transactions: [{ op_id: opId++, ops }] });
const note = async (id: string) => (await rows(api.pool, 'notes', 'id = $1', [id]))[0];

describe('a version-checked table without sharing', () => {
  it('the owner edits with the next version (the counter counts); a stale edit is a 409 with the row', async () => {
    expect(
      (await send(alice, { op: 'PUT', table: 'notes', id: 'n1', data: { body: 'a', version: 1 } })).status,
    ).toBe(200);
    const edit = await send(alice, {
      op: 'PATCH',
      table: 'notes',
      id: 'n1',
      data: { body: 'b', version: 2 },
    });
    expect(edit.status, JSON.stringify(edit.body)).toBe(200);
    expect(await note('n1')).toMatchObject({ body: 'b', version: 2, edits: 1 });
    const stale = await send(alice, { op: 'PUT', table: 'notes', id: 'n1', data: { body: 'c', version: 2 } });
    expect(stale.body.error).toMatchObject({
      code: 'UPLOAD_VERSION_CONFLICT',
      details: { serverVersion: 2 },
    });
  });

  it("another user's PUT, PATCH or DELETE of the row is refused as not theirs, without the row", async () => {
    expect(
      (await send(alice, { op: 'PUT', table: 'notes', id: 'n2', data: { body: 'mine', version: 1 } })).status,
    ).toBe(200);
    const before = await note('n2');
    for (const op of [
      { op: 'PUT', table: 'notes', id: 'n2', data: { body: 'bob', version: 2 } },
      { op: 'PUT', table: 'notes', id: 'n2', data: { body: 'bob', version: 1 } },
      { op: 'PATCH', table: 'notes', id: 'n2', data: { body: 'bob', version: 2 } },
      { op: 'PATCH', table: 'notes', id: 'n2', data: { body: 'bob' } },
      { op: 'DELETE', table: 'notes', id: 'n2' },
    ]) {
      const res = await send(bob, op);
      expect(res.body.error, JSON.stringify(res.body)).toMatchObject({
        code: 'UPLOAD_NOT_OWNER',
        details: { id: 'n2' },
      });
      expect(JSON.stringify(res.body)).not.toContain('mine');
    }
    expect(await note('n2')).toEqual(before);
  });
});

describe('a last-write-wins table with a server-owned counter', () => {
  it('two devices of one user creating the same row at once: the later one updates it, the counter counts it (SPEC.md U1)', async () => {
    for (let round = 0; round < 30; round++) {
      const id = `t-${round}`;
      // The DELETE of a row that does not exist keeps the request off the one-statement path for new rows.
      const body = (device: string) => ({
        client_id: device,
        transactions: [
          {
            op_id: round,
            ops: [
              { op: 'PUT', table: 'tallies', id, data: { label: device } },
              { op: 'DELETE', table: 'tallies', id: 'none' },
            ],
          },
        ],
      });
      const replies = await Promise.all(
        ['dev-a', 'dev-b'].map((d) => upload(api.url, alice.session, body(d))),
      );
      expect(replies.map((r) => r.status)).toEqual([200, 200]);
      const row = await rows(api.pool, 'tallies', 'id = $1', [id]);
      expect(row, `round ${round}`).toMatchObject([{ edits: 1 }]);
    }
  });
});
