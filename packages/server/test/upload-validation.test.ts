import { applySchema } from '@syncline/postgres/migrate';
import { useTestDatabase } from '@syncline/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getJwt,
  rows,
  signUp,
  startTestApi,
  type TestApi,
  type TestUser,
  testSchema,
  upload,
} from './helpers.js';

const db = useTestDatabase('server_upload_validation');
let api: TestApi;
let alice: TestUser;
let opId = 1;

beforeAll(async () => {
  await applySchema(db.url, testSchema);
  api = await startTestApi(db.url, { limits: { maxBodyBytes: 4096, maxOps: 5 } });
  alice = await signUp(api.url, 'alice');
});
afterAll(async () => {
  await api?.stop();
});

/** One transaction with the given ops, from Alice's device. */
const tx = (...ops: unknown[]) => ({ client_id: 'device-a', transactions: [{ op_id: opId++, ops }] });
const doc = (id: string, data: Record<string, unknown> = {}) => ({
  op: 'PUT',
  table: 'documents',
  id,
  data: { content: 'text', device_id: 'dev', ...data },
});

describe('upload validation', () => {
  it('rejects an unknown table with 400 UPLOAD_UNKNOWN_TABLE naming the op', async () => {
    const body = tx(doc('v-1'), { op: 'PUT', table: 'todos', id: 't1', data: {} });
    const res = await upload(api.url, alice.session, body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'UPLOAD_UNKNOWN_TABLE',
      details: {
        transaction: body.transactions[0]!.op_id,
        op: 1,
        opType: 'PUT',
        table: 'todos',
        id: 't1',
        applied: [],
      },
    });
    expect(res.body.error.message).toContain('documents');
    expect(await rows(api.pool, 'documents', 'id = $1', ['v-1'])).toEqual([]);
  });

  it('rejects an unknown column with 400 UPLOAD_UNKNOWN_COLUMN', async () => {
    const res = await upload(api.url, alice.session, tx(doc('v-2', { colour: 'red' })));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'UPLOAD_UNKNOWN_COLUMN',
      details: { table: 'documents', column: 'colour', id: 'v-2' },
    });
    expect(await rows(api.pool, 'documents', 'id = $1', ['v-2'])).toEqual([]);
  });

  it('rejects local-only tables and tables without an owner column', async () => {
    const local = await upload(
      api.url,
      alice.session,
      tx({ op: 'PUT', table: 'preferences', id: 'p1', data: { key: 'k' } }),
    );
    expect(local.status).toBe(400);
    expect(local.body.error.code).toBe('UPLOAD_LOCAL_ONLY_TABLE');
    const readOnly = await upload(
      api.url,
      alice.session,
      tx({ op: 'PUT', table: 'announcements', id: 'a1', data: {} }),
    );
    expect(readOnly.status).toBe(403);
    expect(readOnly.body.error.code).toBe('UPLOAD_READ_ONLY_TABLE');
    expect(await rows(api.pool, 'announcements')).toEqual([]);
  });

  it('rejects unknown ops, a missing id and a data id that differs from the op id', async () => {
    for (const op of [
      { op: 'MERGE', table: 'documents', id: 'v-3', data: { content: 'x', device_id: 'd' } },
      { op: 'PUT', table: 'documents', data: { content: 'x', device_id: 'd' } },
      doc('v-3', { id: 'v-other' }),
      { op: 'PATCH', table: 'documents', id: 'v-3', data: [1, 2] },
      'PUT documents',
    ]) {
      const res = await upload(api.url, alice.session, tx(op));
      expect(res.status, JSON.stringify(op)).toBe(400);
      expect(res.body.error.code, JSON.stringify(op)).toBe('UPLOAD_INVALID_OP');
    }
    expect(await rows(api.pool, 'documents', 'id = $1', ['v-3'])).toEqual([]);
  });

  it('accepts snake_case and camelCase keys', async () => {
    const res = await upload(
      api.url,
      alice.session,
      tx({
        op: 'PUT',
        table: 'documents',
        id: 'v-4',
        data: {
          content: 'c',
          deviceId: 'dev-camel',
          project_id: 'p-snake',
          createdAt: '2024-01-02T03:04:05.678Z',
        },
      }),
    );
    expect(res.status).toBe(200);
    const [row] = await rows(api.pool, 'documents', 'id = $1', ['v-4']);
    expect(row).toMatchObject({ device_id: 'dev-camel', project_id: 'p-snake', owner_id: alice.userId });
    expect((row!.created_at as Date).toISOString()).toBe('2024-01-02T03:04:05.678Z');
  });

  it('applies codecs: ISO, unix seconds and ms timestamps, 0/1 booleans, JSON text, numbers', async () => {
    const iso = '2024-05-06T07:08:09.123Z';
    const ms = Date.parse(iso);
    const ops = [
      {
        op: 'PUT',
        table: 'samples',
        id: 's-iso',
        data: { happened_at: iso, flag: 1, meta: '{"a":[1,2]}', score: 1.5, count: 3 },
      },
      {
        op: 'PUT',
        table: 'samples',
        id: 's-sec',
        data: { happenedAt: Math.floor(ms / 1000), flag: 0, meta: '[1,"x"]' },
      },
      {
        op: 'PUT',
        table: 'samples',
        id: 's-ms',
        data: { happened_at: ms, flag: '1', meta: '"just text"', count: '7' },
      },
    ];
    const res = await upload(api.url, alice.session, tx(...ops));
    expect(res.status).toBe(200);
    const byId = Object.fromEntries((await rows(api.pool, 'samples')).map((r) => [r.id, r]));
    expect((byId['s-iso']!.happened_at as Date).toISOString()).toBe(iso);
    expect((byId['s-sec']!.happened_at as Date).toISOString()).toBe('2024-05-06T07:08:09.000Z');
    expect((byId['s-ms']!.happened_at as Date).toISOString()).toBe(iso);
    expect([byId['s-iso']!.flag, byId['s-sec']!.flag, byId['s-ms']!.flag]).toEqual([true, false, true]);
    expect(byId['s-iso']!.meta).toEqual({ a: [1, 2] });
    expect(byId['s-sec']!.meta).toEqual([1, 'x']);
    expect(byId['s-ms']!.meta).toBe('just text');
    expect([byId['s-iso']!.score, byId['s-iso']!.count, byId['s-ms']!.count]).toEqual([1.5, 3, 7]);
    const { rows: types } = await api.pool.query(
      "SELECT jsonb_typeof(meta) AS t FROM samples WHERE id = 's-sec'",
    );
    expect(types[0].t).toBe('array');
  });

  it('rejects a value the codec cannot convert and a missing required value', async () => {
    const bad = await upload(
      api.url,
      alice.session,
      tx({ op: 'PUT', table: 'samples', id: 's-bad', data: { flag: 2 } }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({
      code: 'UPLOAD_INVALID_VALUE',
      details: { table: 'samples', column: 'flag' },
    });
    const date = await upload(
      api.url,
      alice.session,
      tx({ op: 'PUT', table: 'samples', id: 's-bad', data: { happened_at: 'yesterday' } }),
    );
    expect(date.body.error).toMatchObject({
      code: 'UPLOAD_INVALID_VALUE',
      details: { column: 'happened_at' },
    });
    const missing = await upload(
      api.url,
      alice.session,
      tx({ op: 'PUT', table: 'documents', id: 'v-5', data: { device_id: 'd' } }),
    );
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({
      code: 'UPLOAD_MISSING_VALUE',
      details: { column: 'content' },
    });
    const nulled = await upload(api.url, alice.session, tx(doc('v-5', { content: null })));
    expect(nulled.body.error).toMatchObject({ code: 'UPLOAD_MISSING_VALUE', details: { column: 'content' } });
    expect(await rows(api.pool, 'samples', 'id = $1', ['s-bad'])).toEqual([]);
    expect(await rows(api.pool, 'documents', 'id = $1', ['v-5'])).toEqual([]);
  });

  it('answers 400 UPLOAD_MALFORMED_JSON and UPLOAD_INVALID_BODY', async () => {
    const malformed = await upload(api.url, alice.session, '{"transactions": [');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('UPLOAD_MALFORMED_JSON');
    for (const body of [
      [],
      { transactions: {} },
      { transactions: [{ ops: [] }] },
      { client_id: 5, transactions: [] },
    ]) {
      const res = await upload(api.url, alice.session, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code, JSON.stringify(body)).toBe('UPLOAD_INVALID_BODY');
    }
  });

  it('answers 413 for an oversized body (declared or streamed) and too many ops', async () => {
    const big = tx(doc('v-6', { content: 'x'.repeat(5000) }));
    const declared = await upload(api.url, alice.session, big);
    expect(declared.status).toBe(413);
    expect(declared.body.error.code).toBe('UPLOAD_BODY_TOO_LARGE');
    // Chunked, no Content-Length: the limit is enforced while reading.
    const bytes = new TextEncoder().encode(JSON.stringify(big));
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 1000) controller.enqueue(bytes.slice(i, i + 1000));
        controller.close();
      },
    });
    const streamed = await fetch(`${api.url}/api/powersync/upload`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${alice.session}`, 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as { error: { code: string } }).error.code).toBe('UPLOAD_BODY_TOO_LARGE');
    const many = await upload(
      api.url,
      alice.session,
      tx(...Array.from({ length: 6 }, (_, i) => doc(`v-many-${i}`))),
    );
    expect(many.status).toBe(413);
    expect(many.body.error).toMatchObject({ code: 'UPLOAD_TOO_MANY_OPS', details: { ops: 6, maxOps: 5 } });
    expect(await rows(api.pool, 'documents', "id LIKE 'v-many-%' OR id = 'v-6'")).toEqual([]);
  });

  it('answers 401 without or with bad credentials and writes nothing; accepts our JWT', async () => {
    const now = Math.floor(Date.now() / 1000);
    const sign = async (payload: Record<string, unknown>) =>
      (await api.auth.api.signJWT({ body: { payload } })).token;
    const cases: [string | undefined, string][] = [
      [undefined, 'AUTH_MISSING_TOKEN'],
      ['bogus-session', 'AUTH_INVALID_SESSION'],
      [await sign({ sub: alice.userId, iat: now - 7200, exp: now - 3600 }), 'AUTH_EXPIRED'],
      [await sign({ sub: alice.userId, iat: now, aud: 'https://elsewhere.example' }), 'AUTH_WRONG_AUDIENCE'],
    ];
    for (const [token, code] of cases) {
      const res = await upload(api.url, token, tx(doc('v-7')));
      expect(res.status, code).toBe(401);
      expect(res.body.error.code).toBe(code);
    }
    expect(await rows(api.pool, 'documents', 'id = $1', ['v-7'])).toEqual([]);
    const ok = await upload(api.url, await getJwt(api.url, alice.session), tx(doc('v-7')));
    expect(ok.status).toBe(200);
    expect((await rows(api.pool, 'documents', 'id = $1', ['v-7']))[0]?.owner_id).toBe(alice.userId);
  });
});
