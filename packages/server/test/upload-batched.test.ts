/**
 * The batched upload path (issue 14) over real HTTP: what it must keep from the per-op path in the cases
 * where batching could change the outcome. `upload-differential.test.ts` compares both paths on random
 * sequences; these are the cases it found or that matter most, spelled out.
 */
import { SyncError } from '@syncline/errors';
import { applySchema } from '@syncline/postgres/migrate';
import { column, defineSchema, defineTable } from '@syncline/schema';
import { describe, expect, it } from 'vitest';
import { parseUploadBody, type TablePlan, UPLOAD_LOG_TABLE, uploadTables } from '../src/index.js';
import { patchRowsStatement } from '../src/upload/rows-sql.js';
import { runUpload } from '../src/upload/run.js';
import { rows, testSchema, upload, useUploadApi } from './helpers.js';

const t = useUploadApi('server_upload_batched');
const { db, logLines } = t;

const put = (id: string, content = 'text') => ({
  op: 'PUT',
  table: 'documents',
  id,
  data: { content, device_id: 'dev' },
});
const patch = (id: string, data: Record<string, unknown>) => ({ op: 'PATCH', table: 'documents', id, data });
/** `samples` has no sharing or conflict policy; `documents` has both. */
const sample = (id: string, title = 'text') => ({ op: 'PUT', table: 'samples', id, data: { title } });
const doc = async (id: string) => (await rows(t.api.pool, 'documents', 'id = $1', [id]))[0];
/** The path the last applied request took, from the handler's log line. */
const lastPath = () => logLines.filter((l) => l.msg === 'upload applied').at(-1)?.path;

describe('batched uploads', () => {
  it('writes a request of same-shaped ops in one statement, and answers its replay as replayed', async () => {
    const transactions = [1, 2, 3].map((n) => ({ op_id: n, ops: [sample(`b1-${n}a`), sample(`b1-${n}b`)] }));
    const res = await upload(t.api.url, t.alice.session, { client_id: 'dev-b1', transactions });
    expect(res).toEqual({ status: 200, body: { applied: [1, 2, 3], replayed: [] } });
    expect(lastPath()).toBe('one-statement');
    expect((await rows(t.api.pool, 'samples', "id LIKE 'b1-%'")).map((r) => r.owner_id)).toEqual(
      Array(6).fill(t.alice.userId),
    );
    const again = await upload(t.api.url, t.alice.session, { client_id: 'dev-b1', transactions });
    expect(again).toEqual({ status: 200, body: { applied: [], replayed: [1, 2, 3] } });
    const log = await t.api.pool.query(
      `SELECT op_id, ops FROM ${UPLOAD_LOG_TABLE} WHERE client_id = 'dev-b1'`,
    );
    expect(log.rows.sort((a, b) => a.op_id.localeCompare(b.op_id))).toEqual([
      { op_id: '1', ops: 2 },
      { op_id: '2', ops: 2 },
      { op_id: '3', ops: 2 },
    ]);
  });

  it('applies ops on one row in order across transactions of one request, under the version policy', async () => {
    // documents has sharing and a version policy: still one Postgres transaction (not per op), the policy
    // checks of each transaction reading the rows the ones before it wrote.
    const res = await upload(t.api.url, t.alice.session, {
      client_id: 'dev-b2',
      transactions: [
        {
          op_id: 1,
          ops: [
            { ...put('b2-x', 'first'), data: { content: 'first', device_id: 'dev', version: 1 } },
            patch('b2-x', { title: 'T1', version: 2 }),
          ],
        },
        { op_id: 2, ops: [patch('b2-x', { title: 'T2', version: 3 }), put('b2-y')] },
        {
          op_id: 3,
          ops: [
            { op: 'DELETE', table: 'documents', id: 'b2-x' },
            patch('b2-x', { content: 'last', version: 4 }),
          ],
        },
      ],
    });
    expect(res, JSON.stringify(res.body)).toEqual({
      status: 200,
      body: { applied: [1, 2, 3], replayed: [] },
    });
    expect(lastPath()).toBe('batched');
    expect(await doc('b2-x')).toMatchObject({
      content: 'last',
      title: 'T2',
      version: 4,
      deleted_at: expect.any(Date),
    });
    // A stale version in the third transaction: the first two stay applied, the op is named.
    const stale = await upload(t.api.url, t.alice.session, {
      client_id: 'dev-b2',
      transactions: [
        { op_id: 4, ops: [patch('b2-y', { title: 'Y', version: 2 })] }, // b2-y: version 1 (the default)
        { op_id: 5, ops: [patch('b2-y', { title: 'Y2', version: 3 })] },
        { op_id: 6, ops: [put('b2-z'), patch('b2-y', { title: 'old', version: 3 })] },
      ],
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({
      code: 'UPLOAD_VERSION_CONFLICT',
      details: { transaction: 6, op: 1, id: 'b2-y', serverVersion: 3, applied: [4, 5] },
    });
    expect(await doc('b2-y')).toMatchObject({ title: 'Y2', version: 3 });
    expect(await doc('b2-z')).toBeUndefined();
  });

  it('names the first rejected op after applying the transactions before it', async () => {
    await upload(t.api.url, t.bob.session, {
      client_id: 'dev-bob',
      transactions: [{ op_id: 1, ops: [put('b3-bob')] }],
    });
    const res = await upload(t.api.url, t.alice.session, {
      client_id: 'dev-b3',
      transactions: [
        { op_id: 1, ops: [put('b3-1')] },
        { op_id: 2, ops: [put('b3-2')] },
        { op_id: 3, ops: [put('b3-3'), put('b3-bob', 'hijack')] },
        { op_id: 4, ops: [put('b3-4')] },
      ],
    });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({
      code: 'UPLOAD_NOT_OWNER',
      details: { transaction: 3, transactionIndex: 2, op: 1, id: 'b3-bob', applied: [1, 2] },
    });
    expect((await rows(t.api.pool, 'documents', "id LIKE 'b3-%'")).map((r) => [r.id, r.content])).toEqual([
      ['b3-1', 'text'],
      ['b3-2', 'text'],
      ['b3-bob', 'text'],
    ]);
  });

  it('converts every value of a batched PATCH even when no row matches, whatever plan Postgres picks', async () => {
    // Found by the differential test: a PATCH batched through json_populate_recordset converted values only
    // for rows it joined, so with nothing to join (a user owning no rows) a NUL byte went through unrefused,
    // where a single PATCH's parameter is refused whether or not its row exists.
    const documents = uploadTables(testSchema).get('documents') as TablePlan;
    const statement = patchRowsStatement(
      documents,
      'owns-nothing',
      ['title'],
      [
        { id: 'b4-a', values: { title: 'fine' } },
        { id: 'b4-b', values: { title: 'nul\u0000byte' } },
      ],
    );
    const plans = [
      [],
      ['enable_nestloop', 'enable_mergejoin'],
      ['enable_hashjoin', 'enable_mergejoin'],
      ['enable_hashjoin', 'enable_nestloop'],
    ];
    const client = await t.api.pool.connect();
    try {
      for (const off of plans) {
        await client.query('BEGIN');
        for (const setting of off) await client.query(`SET LOCAL ${setting} = off`);
        const error = await client.query(statement).then(
          () => 'no error',
          (e: { code?: string }) => e.code,
        );
        expect(error, `with ${off.join(', ') || 'nothing'} off`).toMatch(/^22/); // a data exception
        await client.query('ROLLBACK');
      }
    } finally {
      client.release();
    }
  });

  it('reads the policy facts of a transaction after an earlier one deleted a shared row for good', async () => {
    // A shared resource without soft delete and a strict link to it: deleting the team in one transaction
    // makes a note linked to it in the next one a missing reference, as when they come one at a time.
    const teams = defineTable('b5_teams', { id: column.id(), ownerId: column.owner(), name: column.text() });
    const members = defineTable(
      'b5_members',
      {
        id: column.id(),
        ownerId: column.owner(),
        teamId: column
          .text()
          .notNull()
          .ref(() => teams),
        userId: column.text().notNull(),
        role: column.text().notNull(),
      },
      { membership: { resource: 'teamId', user: 'userId', role: 'role' } },
    );
    const notes = defineTable(
      'b5_notes',
      {
        id: column.id(),
        ownerId: column.owner(),
        teamId: column.text().ref(() => teams, { strict: true }),
        body: column.text(),
      },
      { sharing: { via: 'teamId' } },
    );
    const schema = defineSchema({ ...testSchema.definitions, teams, members, notes });
    await applySchema(db.url, schema);
    const tables = uploadTables(schema);
    const body = parseUploadBody(
      JSON.stringify({
        client_id: 'dev-b5',
        transactions: [
          { op_id: 2, ops: [{ op: 'DELETE', table: 'b5_teams', id: 't1' }] },
          { op_id: 3, ops: [{ op: 'PUT', table: 'b5_notes', id: 'n1', data: { team_id: 't1', body: 'x' } }] },
        ],
      }),
      { maxOps: 1000 },
    );
    const create = parseUploadBody(
      JSON.stringify({
        client_id: 'dev-b5',
        transactions: [{ op_id: 1, ops: [{ op: 'PUT', table: 'b5_teams', id: 't1', data: { name: 'T' } }] }],
      }),
      { maxOps: 1000 },
    );
    await runUpload(t.api.pool, tables, create, t.alice.userId, { batched: true });
    const error = await runUpload(t.api.pool, tables, body, t.alice.userId, { batched: true }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(SyncError.is(error) && error.code).toBe('UPLOAD_MISSING_REFERENCE');
    expect(SyncError.is(error) && error.details).toMatchObject({ transaction: 3, applied: [2] });
    expect(await rows(t.api.pool, 'b5_notes')).toEqual([]);
    expect(await rows(t.api.pool, 'b5_teams')).toEqual([]);
  });
});
