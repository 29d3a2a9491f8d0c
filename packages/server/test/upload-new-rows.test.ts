/**
 * The one-statement path for requests that only create rows (issue 14, `src/upload/new-rows.ts`), over real
 * HTTP: it assumes every row is new and every transaction unrecorded, and must fall back to the locking path
 * whenever that is wrong — keeping owner checks, scoped uniqueness, idempotency, atomicity and the first
 * rejected op named, also when two requests race to create the same row.
 */
import { describe, expect, it } from 'vitest';
import { UPLOAD_LOG_TABLE } from '../src/index.js';
import { rows, upload, useUploadApi } from './helpers.js';

const t = useUploadApi('server_upload_new_rows', 'info');
const { logLines } = t;

/** A new document (`documents` is shared via projects, has a version policy and a server-stamped column). */
const doc = (id: string, data: Record<string, unknown> = {}) => ({
  op: 'PUT',
  table: 'documents',
  id,
  data: { content: `text of ${id}`, device_id: 'dev', ...data },
});
const project = (id: string) => ({ op: 'PUT', table: 'projects', id, data: { name: id } });
/** The path the last applied request took, from the handler's log line. */
const lastPath = () => logLines.filter((l) => l.msg === 'upload applied').at(-1)?.path;
const docs = (prefix: string) => rows(t.api.pool, 'documents', 'starts_with(id, $1)', [prefix]);
const logged = async (clientId: string) =>
  (
    await t.api.pool.query(`SELECT op_id FROM ${UPLOAD_LOG_TABLE} WHERE client_id = $1 ORDER BY op_id`, [
      clientId,
    ])
  ).rows.map((r) => r.op_id);

describe('uploads that only create rows', () => {
  it('are one statement: rows, owner, stamped time and idempotency records written together', async () => {
    const transactions = [1, 2, 3].map((n) => ({
      op_id: n,
      ops: [doc(`n1-${n}a`), doc(`n1-${n}b`)] as object[],
    }));
    transactions[2]!.ops.push(project('n1-p'), doc('n1-linked', { project_id: 'n1-p' }));
    const res = await upload(t.api.url, t.alice.session, { client_id: 'n1', transactions });
    expect(res).toEqual({ status: 200, body: { applied: [1, 2, 3], replayed: [] } });
    expect(lastPath()).toBe('one-statement');
    const written = await docs('n1-');
    expect(written).toHaveLength(7);
    expect(new Set(written.map((r) => r.owner_id))).toEqual(new Set([t.alice.userId]));
    expect(written.find((r) => r.id === 'n1-linked')?.project_id).toBe('n1-p');
    const { rows: log } = await t.api.pool.query(
      `SELECT op_id, ops, applied_at FROM ${UPLOAD_LOG_TABLE} WHERE client_id = 'n1' ORDER BY op_id`,
    );
    expect(log.map((r) => [r.op_id, r.ops])).toEqual([
      ['1', 2],
      ['2', 2],
      ['3', 4],
    ]);
    // serverOwned('now'): the transaction time, the same as the records' applied_at.
    for (const row of written) expect(row.updated_at).toEqual(log[0].applied_at);
  });

  it('answers a replay of the same request as replayed and writes nothing again', async () => {
    const transactions = [{ op_id: 1, ops: [doc('n2-a'), doc('n2-b')] }];
    expect((await upload(t.api.url, t.alice.session, { client_id: 'n2', transactions })).status).toBe(200);
    const before = await docs('n2-');
    const again = await upload(t.api.url, t.alice.session, { client_id: 'n2', transactions });
    expect(again).toEqual({ status: 200, body: { applied: [], replayed: [1] } });
    expect(await docs('n2-')).toEqual(before);
    expect(await logged('n2')).toEqual(['1']);
  });

  it('keeps the order of ops on an id repeated within a request (not one statement)', async () => {
    const res = await upload(t.api.url, t.alice.session, {
      client_id: 'n3',
      transactions: [
        { op_id: 1, ops: [doc('n3-x', { title: 'first' })] },
        { op_id: 2, ops: [doc('n3-x', { title: 'second', version: 2 }), doc('n3-y')] },
      ],
    });
    expect(res).toEqual({ status: 200, body: { applied: [1, 2], replayed: [] } });
    expect(lastPath()).not.toBe('one-statement');
    expect((await docs('n3-')).map((r) => [r.id, r.title, r.version])).toEqual([
      ['n3-x', 'second', 2],
      ['n3-y', null, 1],
    ]);
  });

  it("refuses a PUT of someone else's row with its code, naming the op, writing nothing of its transaction", async () => {
    expect(
      (
        await upload(t.api.url, t.bob.session, {
          client_id: 'n4-bob',
          transactions: [{ op_id: 1, ops: [doc('n4-bob')] }],
        })
      ).status,
    ).toBe(200);
    const res = await upload(t.api.url, t.alice.session, {
      client_id: 'n4',
      transactions: [
        { op_id: 1, ops: [doc('n4-a')] },
        { op_id: 2, ops: [doc('n4-b'), doc('n4-bob', { content: 'mine now' }), doc('n4-c')] },
        { op_id: 3, ops: [doc('n4-d')] },
      ],
    });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({
      code: 'UPLOAD_NOT_OWNER',
      details: { transaction: 2, op: 1, id: 'n4-bob', applied: [1] },
    });
    // The transaction before the rejected one stays applied; nothing of the rejected one or after it.
    expect((await docs('n4-')).map((r) => [r.id, r.owner_id, r.content])).toEqual([
      ['n4-a', t.alice.userId, 'text of n4-a'],
      ['n4-bob', t.bob.userId, 'text of n4-bob'],
    ]);
    expect(await logged('n4')).toEqual(['1']);
  });

  it('refuses a new row breaking a unique index (scoped uniqueness) as the locking path does', async () => {
    const group = (id: string) => ({ op: 'PUT', table: 'groups', id, data: { name: id } });
    const pair = (id: string) => ({
      op: 'PUT',
      table: 'group_hierarchy',
      id,
      data: { parent_group_id: 'n5-g1', child_group_id: 'n5-g2' },
    });
    const first = await upload(t.api.url, t.alice.session, {
      client_id: 'n5',
      transactions: [{ op_id: 1, ops: [group('n5-g1'), group('n5-g2'), pair('n5-h1')] }],
    });
    expect(first.status).toBe(200);
    const res = await upload(t.api.url, t.alice.session, {
      client_id: 'n5',
      transactions: [{ op_id: 2, ops: [group('n5-g3'), pair('n5-h2')] }],
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: 'UPLOAD_CONSTRAINT_VIOLATION',
      details: { transaction: 2, op: 1, id: 'n5-h2', applied: [] },
    });
    expect(await rows(t.api.pool, 'groups', "id = 'n5-g3'")).toEqual([]);
    expect(await logged('n5')).toEqual(['1']);
  });

  it('two requests racing to create the same rows: exactly one wins, the other is refused and writes nothing', async () => {
    for (let round = 0; round < 10; round++) {
      const p = `n6-${round}-`;
      const body = (who: string) => ({
        client_id: `n6-${who}`,
        transactions: [{ op_id: round, ops: [doc(`${p}shared`), doc(`${p}${who}`)] }],
      });
      const [a, b] = await Promise.all([
        upload(t.api.url, t.alice.session, body('alice')),
        upload(t.api.url, t.bob.session, body('bob')),
      ]);
      const results = [a, b].map((r) => r.body?.error?.code ?? r.status);
      expect(results.sort(), JSON.stringify(results)).toEqual([200, 'UPLOAD_NOT_OWNER']);
      const [winner, loser] = a.status === 200 ? (['alice', 'bob'] as const) : (['bob', 'alice'] as const);
      const owner = { alice: t.alice, bob: t.bob }[winner].userId;
      expect((await docs(p)).map((r) => [r.id, r.owner_id])).toEqual([
        [`${p}${winner}`, owner],
        [`${p}shared`, owner],
      ]);
      expect(await logged(`n6-${loser}`)).not.toContain(String(round));
    }
  });

  it('the same request sent twice at once: applied once, the other answered as replayed', async () => {
    for (let round = 0; round < 10; round++) {
      const body = {
        client_id: 'n7',
        transactions: [{ op_id: round, ops: [doc(`n7-${round}-a`), doc(`n7-${round}-b`)] }],
      };
      const replies = await Promise.all([
        upload(t.api.url, t.alice.session, body),
        upload(t.api.url, t.alice.session, body),
      ]);
      expect(replies.map((r) => r.status)).toEqual([200, 200]);
      expect(replies.map((r) => r.body.applied?.length).sort()).toEqual([0, 1]);
      expect(replies.map((r) => r.body.replayed?.length).sort()).toEqual([0, 1]);
      expect(await docs(`n7-${round}-`)).toHaveLength(2);
    }
    expect(await logged('n7')).toHaveLength(10);
  });
});
