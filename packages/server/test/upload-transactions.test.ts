import { waitFor } from '@syncline/test-utils';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { UPLOAD_LOG_TABLE } from '../src/index.js';
import { rows, upload, useUploadApi } from './helpers.js';

const t = useUploadApi('server_upload_transactions');
const { db, logLines } = t;

/** A document PUT; over an existing row it must carry the next version (documents are version-checked). */
const put = (id: string, content = 'text', version?: number) => ({
  op: 'PUT',
  table: 'documents',
  id,
  data: { content, device_id: 'dev', ...(version === undefined ? {} : { version }) },
});
const link = (id: string, documentId: string, groupId: string) => ({
  op: 'PUT',
  table: 'document_groups',
  id,
  data: { document_id: documentId, group_id: groupId },
});
const logRows = async (clientId: string) =>
  (await t.api.pool.query(`SELECT * FROM ${UPLOAD_LOG_TABLE} WHERE client_id = $1`, [clientId])).rows;
const ids = async (where: string) => (await rows(t.api.pool, 'documents', where)).map((r) => r.id);

describe('transactions', () => {
  it('applies a transaction with one bad op not at all', async () => {
    const res = await upload(t.api.url, t.alice.session, {
      client_id: 'dev-a',
      transactions: [
        {
          op_id: 1,
          ops: [put('t-1a'), put('t-1b'), { op: 'PUT', table: 'documents', id: 't-1c', data: { nope: 1 } }],
        },
      ],
    });
    expect(res.status).toBe(400);
    expect(await ids("id LIKE 't-1%'")).toEqual([]);
    // A database-level failure (NOT_OWNER after writes) rolls back the earlier ops too.
    await upload(t.api.url, t.bob.session, {
      client_id: 'dev-b',
      transactions: [{ op_id: 1, ops: [put('t-bob')] }],
    });
    const res2 = await upload(t.api.url, t.alice.session, {
      client_id: 'dev-a',
      transactions: [{ op_id: 2, ops: [put('t-2a'), put('t-bob', 'hijack')] }],
    });
    expect(res2.body.error.code).toBe('UPLOAD_NOT_OWNER');
    expect(await ids("id = 't-2a'")).toEqual([]);
    expect(await logRows('dev-a')).toEqual([]);
  });

  it('maps a unique violation to 409 UPLOAD_CONSTRAINT_VIOLATION and writes nothing', async () => {
    await upload(t.api.url, t.alice.session, {
      client_id: 'dev-a',
      transactions: [{ op_id: 10, ops: [link('l-1', 'd1', 'g1')] }],
    });
    const res = await upload(t.api.url, t.alice.session, {
      client_id: 'dev-a',
      transactions: [{ op_id: 11, ops: [put('t-11'), link('l-2', 'd1', 'g1')] }],
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: 'UPLOAD_CONSTRAINT_VIOLATION',
      details: {
        transaction: 11,
        op: 1,
        table: 'document_groups',
        id: 'l-2',
        constraint: 'uq_document_groups_pair',
      },
    });
    expect(res.body.error.message).not.toMatch(/INSERT|SELECT|\$1/);
    expect(await ids("id = 't-11'")).toEqual([]);
    expect((await rows(t.api.pool, 'document_groups')).map((r) => r.id)).toEqual(['l-1']);
  });

  it('answers a replayed transaction with success and writes nothing new; another device with the same op_id is applied', async () => {
    const first = await upload(t.api.url, t.alice.session, {
      client_id: 'dev-r',
      transactions: [{ op_id: 20, ops: [put('t-20', 'v1')] }],
    });
    expect(first).toMatchObject({ status: 200, body: { applied: [20], replayed: [] } });
    // The retry carries different data: proof that nothing of it is written.
    const replay = await upload(t.api.url, t.alice.session, {
      client_id: 'dev-r',
      transactions: [{ op_id: 20, ops: [put('t-20', 'v2'), put('t-20-extra')] }],
    });
    expect(replay).toMatchObject({ status: 200, body: { applied: [], replayed: [20] } });
    expect((await rows(t.api.pool, 'documents', "id = 't-20'"))[0]?.content).toBe('v1');
    expect(await ids("id = 't-20-extra'")).toEqual([]);
    const other = await upload(t.api.url, t.alice.session, {
      client_id: 'dev-s',
      transactions: [{ op_id: 20, ops: [put('t-20', 'v3', 2)] }],
    });
    expect(other).toMatchObject({ status: 200, body: { applied: [20], replayed: [] } });
    expect((await rows(t.api.pool, 'documents', "id = 't-20'"))[0]?.content).toBe('v3');
    // Same op_id and client id, another user: a different key, applied.
    const bobs = await upload(t.api.url, t.bob.session, {
      client_id: 'dev-r',
      transactions: [{ op_id: 20, ops: [put('t-20-bob')] }],
    });
    expect(bobs.body).toEqual({ applied: [20], replayed: [] });
  });

  it('dedupes a retry racing the original: the log row is claimed inside the Postgres transaction', async () => {
    const body = (opId: number) => ({
      client_id: 'dev-c',
      transactions: [
        {
          op_id: opId,
          ops: [
            {
              op: 'PUT',
              table: 'document_versions',
              id: `cv-${opId}`,
              data: { document_id: 'd', content: 'c', version: 1 },
            },
          ],
        },
      ],
    });
    // Stand-in for the original request, still in flight: it holds the log row, uncommitted.
    for (const [opId, outcome] of [
      [30, 'COMMIT'],
      [31, 'ROLLBACK'],
    ] as const) {
      const original = new pg.Client({ connectionString: db.url });
      await original.connect();
      try {
        await original.query('BEGIN');
        await original.query(
          `INSERT INTO ${UPLOAD_LOG_TABLE} (user_id, client_id, op_id, ops) VALUES ($1, 'dev-c', $2, 1)`,
          [t.alice.userId, String(opId)],
        );
        const retry = upload(t.api.url, t.alice.session, body(opId));
        await waitFor(async () => {
          const { rows } = await original.query(
            "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
          );
          return rows.length > 0;
        });
        await original.query(outcome);
        const res = await retry;
        expect(res.status).toBe(200);
        // Original committed → the retry is a replay; original rolled back → the retry applies.
        expect(res.body).toEqual(
          outcome === 'COMMIT' ? { applied: [], replayed: [opId] } : { applied: [opId], replayed: [] },
        );
        expect(await rows(t.api.pool, 'document_versions', 'id = $1', [`cv-${opId}`])).toHaveLength(
          outcome === 'COMMIT' ? 0 : 1,
        );
      } finally {
        await original.end();
      }
    }
    expect(await logRows('dev-c')).toHaveLength(2);
  });

  it('accepts uploads without client_id but cannot dedupe them', async () => {
    const body = { transactions: [{ op_id: 40, ops: [put('t-40', 'v1')] }] };
    expect((await upload(t.api.url, t.alice.session, body)).body).toEqual({ applied: [40], replayed: [] });
    body.transactions[0]!.ops = [put('t-40', 'v2', 2)];
    expect((await upload(t.api.url, t.alice.session, body)).body).toEqual({ applied: [40], replayed: [] });
    expect((await rows(t.api.pool, 'documents', "id = 't-40'"))[0]?.content).toBe('v2');
    expect(logLines.some((l) => l.msg === 'upload without client_id: replays cannot be detected')).toBe(true);
  });

  it('applies a batch in order and stops at the first rejected transaction, naming what was applied', async () => {
    const res = await upload(t.api.url, t.alice.session, {
      client_id: 'dev-b1',
      transactions: [
        { op_id: 50, ops: [put('t-50')] },
        { op_id: 51, ops: [put('t-51')] },
        { op_id: 52, ops: [put('t-52'), { op: 'PUT', table: 'preferences', id: 'p', data: { key: 'k' } }] },
        { op_id: 53, ops: [put('t-53')] },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'UPLOAD_LOCAL_ONLY_TABLE',
      details: {
        transaction: 52,
        transactionIndex: 2,
        op: 1,
        table: 'preferences',
        id: 'p',
        applied: [50, 51],
      },
    });
    expect(await ids("id LIKE 't-5%'")).toEqual(['t-50', 't-51']);
    // The client completes 50–52 and resends 53; a full resend would find 50 and 51 replayed.
    const resend = await upload(t.api.url, t.alice.session, {
      client_id: 'dev-b1',
      transactions: [
        { op_id: 50, ops: [put('t-50')] },
        { op_id: 51, ops: [put('t-51')] },
        { op_id: 53, ops: [put('t-53')] },
      ],
    });
    expect(resend).toMatchObject({ status: 200, body: { applied: [53], replayed: [50, 51] } });
    expect(await ids("id LIKE 't-5%'")).toEqual(['t-50', 't-51', 't-53']);
  });

  it('logs applies and rejections with counts, never row data', async () => {
    const secret = 'row-content-that-must-not-be-logged';
    await upload(t.api.url, t.alice.session, {
      client_id: 'dev-l',
      transactions: [{ op_id: 60, ops: [put('t-60', secret)] }],
    });
    await upload(t.api.url, t.bob.session, {
      client_id: 'dev-l',
      transactions: [{ op_id: 61, ops: [put('t-60', secret)] }],
    });
    const applied = logLines.find((l) => l.msg === 'upload applied' && l.clientId === 'dev-l');
    expect(applied).toMatchObject({
      userId: t.alice.userId,
      transactions: 1,
      ops: 1,
      applied: 1,
      inserted: 1,
      updated: 0,
    });
    const rejected = logLines.find((l) => l.msg === 'upload rejected' && l.clientId === 'dev-l');
    expect(rejected).toMatchObject({
      level: 'warn',
      code: 'UPLOAD_NOT_OWNER',
      userId: t.bob.userId,
      table: 'documents',
    });
    expect(JSON.stringify(logLines)).not.toContain(secret);
  });
});
