/**
 * Protocol options over HTTP, at the wire level: BSON or NDJSON by content negotiation (same lines either
 * way), the checkpoint's `streams` and per-bucket `subscriptions`/priorities for stream subscriptions,
 * subscription validation and limits, and `/sync/checkpoint-request`.
 */

import { applySchema } from '@syncline/postgres/migrate';
import { startTestJwks, type TestJwks, useTestDatabase, waitFor } from '@syncline/test-utils';
import { testSchema as schema } from '@syncline/test-utils/schema';
import { BSON } from 'bson';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSyncServer, type SyncServer } from '../src/index.js';
import { quietLogger } from './stack.js';
import { FEATURE_RULES } from './suites/features.js';
import type { WireLine } from './wire.js';

const db = useTestDatabase('protocol');
const BSON_TYPE = 'application/vnd.powersync.bson-stream';
const CLIENT_ACCEPT = `${BSON_TYPE};q=0.9,application/x-ndjson;q=0.8`; // what the official clients send
let pool: pg.Pool;
let jwks: TestJwks;
let server: SyncServer;
let token: string;

beforeAll(async () => {
  await applySchema(db.url, schema);
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  await pool.query(
    `INSERT INTO documents (id, title, content, owner_id, project_id, device_id)
     SELECT 'd' || g, 't"' || g, 'x', 'u1', CASE WHEN g % 3 = 0 THEN 'p1' END, 's' FROM generate_series(1, 3000) g`,
  );
  await pool.query(`INSERT INTO projects (id, name, owner_id) VALUES ('urgent', 'U', 'u1')`);
  jwks = await startTestJwks();
  server = createSyncServer({
    databaseUrl: db.url,
    syncRules: FEATURE_RULES,
    auth: { jwksUri: jwks.url, audience: jwks.audience },
    port: 0,
    managePublication: true,
    keepaliveSeconds: 3600,
    maxSubscriptions: 4,
    logger: quietLogger as never,
  });
  await server.start();
  token = await jwks.sign('u1');
});

afterAll(async () => {
  await server?.stop();
  await jwks?.stop();
  await pool?.end();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Token ${token}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

/** Reads a stream (BSON documents or NDJSON lines, by its Content-Type) up to its first checkpoint_complete. */
async function readUntilComplete(res: Response): Promise<WireLine[]> {
  const isBson = res.headers.get('content-type') === BSON_TYPE;
  const reader = res.body!.getReader();
  const lines: WireLine[] = [];
  let buf = Buffer.alloc(0);
  while (!lines.some((l) => 'checkpoint_complete' in l)) {
    const { value, done } = await reader.read();
    if (done) break;
    buf = Buffer.concat([buf, Buffer.from(value)]);
    if (isBson) {
      while (buf.length >= 4 && buf.length >= buf.readInt32LE(0)) {
        const size = buf.readInt32LE(0);
        lines.push(BSON.deserialize(buf.subarray(0, size)) as WireLine);
        buf = buf.subarray(size);
      }
    } else {
      let nl = buf.indexOf(10);
      while (nl >= 0) {
        lines.push(JSON.parse(buf.subarray(0, nl).toString('utf8')));
        buf = buf.subarray(nl + 1);
        nl = buf.indexOf(10);
      }
    }
  }
  await reader.cancel();
  return lines;
}

describe('content negotiation', () => {
  it('answers the official clients’ Accept with BSON documents carrying the same lines as NDJSON', async () => {
    const body = { buckets: [], client_id: 'neg' };
    const bsonRes = await post('/sync/stream', body, {
      accept: CLIENT_ACCEPT,
      'accept-encoding': 'identity',
    });
    expect(bsonRes.headers.get('content-type')).toBe(BSON_TYPE); // exactly: the client compares strings
    const bson = await readUntilComplete(bsonRes);
    const ndjsonRes = await post('/sync/stream', body, { 'accept-encoding': 'identity' });
    expect(ndjsonRes.headers.get('content-type')).toBe('application/x-ndjson');
    const ndjson = await readUntilComplete(ndjsonRes);
    expect(bson).toEqual(ndjson);
    expect(bson.filter((l) => 'data' in l).flatMap((l) => l.data.data)).toHaveLength(2001);
  });

  it('prefers NDJSON on a tie, without Accept, or when the client ranks it higher', async () => {
    for (const accept of [
      '*/*',
      `application/x-ndjson;q=0.9,${BSON_TYPE};q=0.9`,
      `application/x-ndjson,${BSON_TYPE};q=0.5`,
      'application/json',
    ]) {
      const res = await post('/sync/stream', { buckets: [] }, { accept });
      expect(res.headers.get('content-type'), accept).toBe('application/x-ndjson');
      await res.body!.cancel();
    }
  });
});

describe('stream subscriptions in the request', () => {
  it('lists subscribed streams, tags buckets with their subscription and priority, and reports unknown streams', async () => {
    const lines = await readUntilComplete(
      await post('/sync/stream', {
        buckets: [],
        streams: {
          include_defaults: true,
          subscriptions: [
            { stream: 'project_documents', parameters: { project: 'p1' }, override_priority: 1 },
            { stream: 'nope', parameters: null, override_priority: null },
          ],
        },
      }),
    );
    const cp = lines[0]!.checkpoint;
    expect(cp.streams).toEqual([
      { name: 'my_projects', is_default: true, errors: [] },
      { name: 'my_documents', is_default: true, errors: [] },
      { name: 'project_documents', is_default: false, errors: [] },
      {
        name: 'nope',
        is_default: false,
        errors: [{ subscription: 1, message: 'The sync rules define no stream named "nope"' }],
      },
    ]);
    const bucket = (prefix: string) => cp.buckets.find((b: { bucket: string }) => b.bucket.includes(prefix));
    expect(bucket('my_projects')).toMatchObject({ priority: 0, subscriptions: [{ default: 0 }], count: 1 });
    expect(bucket('my_documents')).toMatchObject({
      priority: 3,
      subscriptions: [{ default: 1 }],
      count: 2000,
    });
    expect(bucket('project_documents')).toMatchObject({
      priority: 1,
      subscriptions: [{ sub: 0 }],
      count: 1000,
    });
    // Highest priority first, a partial complete after each group another group follows.
    const order = lines
      .filter((l) => 'data' in l || 'partial_checkpoint_complete' in l)
      .map((l) =>
        l.data !== undefined
          ? l.data.bucket.split('|')[0]
          : `partial ${l.partial_checkpoint_complete.priority}`,
      )
      .filter((x, i, all) => x !== all[i - 1]);
    expect(order).toEqual([
      '1#my_projects',
      'partial 0',
      '1#project_documents',
      'partial 1',
      '1#my_documents',
    ]);
  });

  it('without defaults only the explicit subscriptions are synced', async () => {
    const lines = await readUntilComplete(
      await post('/sync/stream', {
        buckets: [],
        streams: { include_defaults: false, subscriptions: [{ stream: 'my_projects', parameters: null }] },
      }),
    );
    const cp = lines[0]!.checkpoint;
    expect(cp.streams.map((s: { name: string }) => s.name)).toEqual(['my_projects']);
    expect(cp.buckets).toHaveLength(1);
    expect(cp.buckets[0]).toMatchObject({ priority: 0, subscriptions: [{ sub: 0 }] });
  });

  it('refuses malformed subscriptions and more than the limit with 400 and a code naming the problem', async () => {
    const cases: [unknown, string, RegExp][] = [
      [{ stream: 7 }, 'SYNC_INVALID_REQUEST', /subscription 0 needs a "stream"/],
      [{ stream: 's', parameters: [1] }, 'SYNC_INVALID_REQUEST', /"parameters" must be an object or null/],
      [
        { stream: 's', override_priority: 7 },
        'SYNC_INVALID_REQUEST',
        /"override_priority" must be 0, 1, 2, 3/,
      ],
    ];
    for (const [subscription, code, message] of cases) {
      const res = await post('/sync/stream', { buckets: [], streams: { subscriptions: [subscription] } });
      expect(res.status).toBe(400);
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
    }
    const many = await post('/sync/stream', {
      buckets: [],
      streams: {
        subscriptions: Array.from({ length: 5 }, (_, i) => ({
          stream: 'project_documents',
          parameters: { project: `p${i}` },
        })),
      },
    });
    expect(many.status).toBe(400);
    const { error } = (await many.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('SYNC_TOO_MANY_SUBSCRIPTIONS');
    expect(error.message).toMatch(/5 stream subscriptions; the limit is 4/);
  });
});

describe('POST /sync/checkpoint-request', () => {
  it('only raises the stored id, answers the stored one, and reports it in checkpoints once replicated', async () => {
    const ask = async (id: string, client = 'cr') => {
      const res = await post('/sync/checkpoint-request', { client_id: client, checkpoint_request_id: id });
      expect(res.status).toBe(200);
      return ((await res.json()) as { data: { checkpoint_request_id: string } }).data.checkpoint_request_id;
    };
    expect(await ask('5')).toBe('5');
    expect(await ask('3')).toBe('5'); // stale: the stored value wins
    expect(await ask('5')).toBe('5'); // repeated: a no-op
    expect(await ask('9007199254740993')).toBe('9007199254740993'); // beyond 2^53: exact
    expect(await ask('2', 'other-client')).toBe('2');
    await waitFor(async () => {
      const lines = await readUntilComplete(await post('/sync/stream', { buckets: [], client_id: 'cr' }));
      return lines[0]!.checkpoint.write_checkpoint === '9007199254740993';
    });
  });

  it('refuses a bad body with 400 and a missing token with 401', async () => {
    for (const body of [
      { client_id: 'c' },
      { client_id: 'c', checkpoint_request_id: 5 },
      { client_id: 'c', checkpoint_request_id: '0' },
      { checkpoint_request_id: '1' },
    ]) {
      const res = await post('/sync/checkpoint-request', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SYNC_INVALID_REQUEST');
    }
    const res = await fetch(`${server.url}/sync/checkpoint-request`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(401);
  });
});
