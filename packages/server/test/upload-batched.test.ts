/**
 * The batched upload path (issue 14) over real HTTP: what it must keep from the per-op path in the cases
 * where batching could change the outcome. `upload-differential.test.ts` compares both paths on random
 * sequences; these are the cases it found or that matter most, spelled out.
 */
import { createLogger } from '@syncline/errors';
import { applySchema } from '@syncline/postgres';
import { useTestDatabase } from '@syncline/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TablePlan, UPLOAD_LOG_TABLE, uploadTables } from '../src/index.js';
import { patchRowsStatement } from '../src/upload/rows-sql.js';
import { rows, signUp, startTestApi, type TestApi, type TestUser, testSchema, upload } from './helpers.js';

const db = useTestDatabase('server_upload_batched');
const logLines: Record<string, unknown>[] = [];
let api: TestApi;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  await applySchema(db.url, testSchema);
  const logger = createLogger({ format: 'json', level: 'debug', write: (l) => logLines.push(JSON.parse(l)) });
  api = await startTestApi(db.url, { logger });
  alice = await signUp(api.url, 'alice');
  bob = await signUp(api.url, 'bob');
});
afterAll(async () => {
  await api?.stop();
});

const put = (id: string, content = 'text') => ({
  op: 'PUT',
  table: 'documents',
  id,
  data: { content, device_id: 'dev' },
});
const patch = (id: string, data: Record<string, unknown>) => ({ op: 'PATCH', table: 'documents', id, data });
const doc = async (id: string) => (await rows(api.pool, 'documents', 'id = $1', [id]))[0];
/** The path the last applied request took, from the handler's log line. */
const lastPath = () => logLines.filter((l) => l.msg === 'upload applied').at(-1)?.path;

describe('batched uploads', () => {
  it('writes a request of same-shaped ops in one statement, and answers its replay as replayed', async () => {
    const transactions = [1, 2, 3].map((t) => ({ op_id: t, ops: [put(`b1-${t}a`), put(`b1-${t}b`)] }));
    const res = await upload(api.url, alice.session, { client_id: 'dev-b1', transactions });
    expect(res).toEqual({ status: 200, body: { applied: [1, 2, 3], replayed: [] } });
    expect(lastPath()).toBe('one-statement');
    expect((await rows(api.pool, 'documents', "id LIKE 'b1-%'")).map((r) => r.owner_id)).toEqual(
      Array(6).fill(alice.userId),
    );
    const again = await upload(api.url, alice.session, { client_id: 'dev-b1', transactions });
    expect(again).toEqual({ status: 200, body: { applied: [], replayed: [1, 2, 3] } });
    const log = await api.pool.query(`SELECT op_id, ops FROM ${UPLOAD_LOG_TABLE} WHERE client_id = 'dev-b1'`);
    expect(log.rows.sort((a, b) => a.op_id.localeCompare(b.op_id))).toEqual([
      { op_id: '1', ops: 2 },
      { op_id: '2', ops: 2 },
      { op_id: '3', ops: 2 },
    ]);
  });

  it('applies ops on one row in order across transactions of one request', async () => {
    const res = await upload(api.url, alice.session, {
      client_id: 'dev-b2',
      transactions: [
        { op_id: 1, ops: [put('b2-x', 'first'), patch('b2-x', { title: 'T1' })] },
        { op_id: 2, ops: [patch('b2-x', { title: 'T2' }), put('b2-y')] },
        {
          op_id: 3,
          ops: [{ op: 'DELETE', table: 'documents', id: 'b2-x' }, patch('b2-x', { content: 'last' })],
        },
      ],
    });
    expect(res).toEqual({ status: 200, body: { applied: [1, 2, 3], replayed: [] } });
    expect(lastPath()).toBe('batched');
    expect(await doc('b2-x')).toMatchObject({ content: 'last', title: 'T2', deleted_at: expect.any(Date) });
  });

  it('names the first rejected op after applying the transactions before it', async () => {
    await upload(api.url, bob.session, {
      client_id: 'dev-bob',
      transactions: [{ op_id: 1, ops: [put('b3-bob')] }],
    });
    const res = await upload(api.url, alice.session, {
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
    expect((await rows(api.pool, 'documents', "id LIKE 'b3-%'")).map((r) => [r.id, r.content])).toEqual([
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
    const client = await api.pool.connect();
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
});
