/** HTTP surface: wire format, CORS, compression, validation, probes, metrics and backpressure. */
import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { applySchema } from '@syncline/postgres/migrate';
import { startTestJwks, type TestJwks, useTestDatabase, waitFor } from '@syncline/test-utils';
import { testSchema as schema } from '@syncline/test-utils/schema';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSyncServer, type SyncServer } from '../src/index.js';
import { quietLogger, rulesWithMemberships } from './stack.js';
import { readLines } from './wire.js';

const db = useTestDatabase('http');
let pool: pg.Pool;
let jwks: TestJwks;
let server: SyncServer;
let token: string;
let fullDownloadBytes = 0;
const bytesSent = async () => Number(/syncline_bytes_sent_total (\d+)/.exec(await server.metrics())![1]);

beforeAll(async () => {
  await applySchema(db.url, schema);
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  await pool.query(
    'CREATE TABLE group_members (id text PRIMARY KEY, group_id text NOT NULL, user_id text NOT NULL)',
  );
  await pool.query(
    `INSERT INTO documents (id, title, content, owner_id, device_id) SELECT 'd' || g, 't', repeat('y', 300), 'u1', 's' FROM generate_series(1, 20000) g`,
  );
  jwks = await startTestJwks();
  server = createSyncServer({
    databaseUrl: db.url,
    syncRules: rulesWithMemberships,
    auth: { jwksUri: jwks.url, audience: jwks.audience },
    port: 0,
    managePublication: true,
    keepaliveSeconds: 1,
    corsOrigins: '*',
    compression: true,
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

const stream = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/sync/stream`, {
    method: 'POST',
    headers: { authorization: `Token ${token}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('POST /sync/stream', () => {
  it('answers NDJSON whose lines follow the wire rules: one key, string op ids, numeric checksums, data as JSON text', async () => {
    const start = await bytesSent();
    const res = await stream(
      { buckets: [], client_id: 'c1', raw_data: true },
      { 'accept-encoding': 'identity' },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson');
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    const lines = await readLines(res, (l) => l.some((x) => 'checkpoint_complete' in x));
    const protocol = lines.filter((l) => l.token_expires_in === undefined);
    expect(Object.keys(protocol[0]!)).toEqual(['checkpoint']);
    for (const l of lines) expect(Object.keys(l)).toHaveLength(1);
    const cp = protocol[0]!.checkpoint;
    expect(typeof cp.last_op_id).toBe('string');
    expect(cp.buckets).toHaveLength(1);
    expect(typeof cp.buckets[0]!.checksum).toBe('number');
    // the test schema's rules share projects (shared_projects, from the definitions); the test adds shared_groups
    expect(cp.streams.map((s: { name: string }) => s.name)).toEqual([
      'user_data',
      'shared_projects',
      'shared_groups',
    ]);
    const data = protocol.filter((l) => 'data' in l);
    expect(data.reduce((n, l) => n + l.data.data.length, 0)).toBe(20_000);
    const op = data[0]!.data.data[0]!;
    expect(typeof op.op_id).toBe('string');
    expect(typeof op.checksum).toBe('number');
    expect(typeof op.data).toBe('string');
    expect(JSON.parse(op.data).owner_id).toBe('u1');
    expect(protocol.at(-1)).toEqual({ checkpoint_complete: { last_op_id: cp.last_op_id } });
    fullDownloadBytes = (await bytesSent()) - start;
  });

  it('gzips when the client accepts it', async () => {
    const raw = await new Promise<{ encoding: string | undefined; body: Buffer }>((resolve, reject) => {
      const u = new URL(`${server.url}/sync/stream`);
      const req = request(
        {
          host: u.hostname,
          port: u.port,
          path: u.pathname,
          method: 'POST',
          headers: {
            authorization: `Token ${token}`,
            'accept-encoding': 'gzip',
            'content-type': 'application/json',
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => {
            chunks.push(c);
            try {
              if (
                gunzipSync(Buffer.concat(chunks), { finishFlush: 2 })
                  .toString()
                  .includes('checkpoint_complete')
              ) {
                req.destroy();
                resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) });
              }
            } catch {
              // incomplete gzip block
            }
          });
          res.on('error', () => undefined);
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ buckets: [] }));
    });
    expect(raw.encoding).toBe('gzip');
    const text = gunzipSync(raw.body, { finishFlush: 2 }).toString();
    expect(text.length).toBeGreaterThan(raw.body.length * 3);
  });

  it("by default ('auto') does not gzip for loopback clients, where inflating costs more than it saves", async () => {
    const auto = createSyncServer({
      databaseUrl: db.url,
      syncRules: rulesWithMemberships,
      auth: { jwksUri: jwks.url, audience: jwks.audience },
      port: 0,
      replicate: false,
      logger: quietLogger as never,
    });
    await auto.start();
    try {
      const res = await fetch(`${auto.url}/sync/stream`, {
        method: 'POST',
        headers: {
          authorization: `Token ${token}`,
          'accept-encoding': 'gzip',
          'content-type': 'application/json',
        },
        body: '{"buckets":[]}',
      });
      expect(res.headers.get('content-encoding')).toBeNull();
      await res.body?.cancel();
    } finally {
      await auto.stop();
    }
  });

  it('resumes from the positions the client sends and only sends newer ops', async () => {
    const first = await readLines(await stream({ buckets: [] }, { 'accept-encoding': 'identity' }), (l) =>
      l.some((x) => 'checkpoint_complete' in x),
    );
    const cp = first.find((l) => 'checkpoint' in l)!.checkpoint;
    await pool.query(`UPDATE documents SET title = 'new' WHERE id = 'd5'`);
    await waitFor(
      async () =>
        BigInt((await pool.query('SELECT head FROM syncline.sync_state')).rows[0].head) >
        BigInt(cp.last_op_id),
    );
    const again = await readLines(
      await stream(
        { buckets: [{ name: cp.buckets[0]!.bucket, after: cp.last_op_id }] },
        { 'accept-encoding': 'identity' },
      ),
      (l) => l.some((x) => 'checkpoint_complete' in x),
    );
    const ops = again.filter((l) => 'data' in l).flatMap((l) => l.data.data);
    expect(ops).toHaveLength(1);
    expect(JSON.parse(ops[0]!.data).title).toBe('new');
  });

  it('sends token_expires_in keepalives', async () => {
    const lines = await readLines(await stream({ buckets: [] }, { 'accept-encoding': 'identity' }), (l) =>
      l.some((x) => 'token_expires_in' in x),
    );
    const ka = lines.find((l) => 'token_expires_in' in l)!.token_expires_in;
    expect(ka).toBeGreaterThan(500);
    expect(ka).toBeLessThanOrEqual(600);
  });

  it('rejects an invalid body with 400 SYNC_INVALID_REQUEST', async () => {
    for (const body of [{ buckets: 'x' }, { buckets: [{ name: 'b', after: 5 }] }, [1]]) {
      const res = await stream(body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SYNC_INVALID_REQUEST');
    }
  });

  it('respects backpressure: a client that stops reading stalls the sender instead of filling memory (I10)', async () => {
    expect(fullDownloadBytes).toBeGreaterThan(5_000_000);
    const before = await bytesSent();
    const u = new URL(`${server.url}/sync/stream`);
    const req = request({
      host: u.hostname,
      port: u.port,
      path: u.pathname,
      method: 'POST',
      headers: { authorization: `Token ${token}`, 'accept-encoding': 'identity' },
    });
    req.on('response', (res) => res.pause()); // never read
    req.on('error', () => undefined);
    req.end(JSON.stringify({ buckets: [] }));
    await new Promise((r) => setTimeout(r, 800));
    const sent = (await bytesSent()) - before;
    await new Promise((r) => setTimeout(r, 800));
    const later = (await bytesSent()) - before;
    req.destroy();
    expect(sent).toBeGreaterThan(0);
    expect(later - sent).toBeLessThan(200); // stalled on 'drain' (socket buffers full); only tiny keepalive lines queue up
    expect(sent).toBeLessThan(fullDownloadBytes * 0.8);
  });
});

describe('other endpoints', () => {
  it('answers CORS preflights for browser clients', async () => {
    const res = await fetch(`${server.url}/sync/stream`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,x-user-agent',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(res.headers.get('access-control-allow-headers')).toMatch(/X-User-Agent/);
  });

  it('write checkpoints increase per client and are JSON the client reads', async () => {
    const get = async (client: string) => {
      const r = await fetch(`${server.url}/write-checkpoint2.json?client_id=${client}`, {
        headers: { authorization: `Token ${token}` },
      });
      expect(r.status).toBe(200);
      return ((await r.json()) as { data: { write_checkpoint: string } }).data.write_checkpoint;
    };
    const a = await get('ca');
    expect(await get('ca')).toBe(String(BigInt(a) + 1n));
    expect(await get('cb')).toBe('1');
  });

  it('serves probes, Prometheus metrics and a coded 404', async () => {
    for (const p of ['startup', 'liveness', 'readiness'])
      expect((await fetch(`${server.url}/probes/${p}`)).status).toBe(200);
    const open = await stream(
      { buckets: [], client_id: 'metrics-client' },
      { 'accept-encoding': 'identity' },
    );
    const reader = open.body!.getReader();
    for (let text = ''; !text.includes('checkpoint_complete'); )
      text += new TextDecoder().decode((await reader.read()).value);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    await reader.cancel();
    expect(metrics).toMatch(/syncline_user_streams\{user="u1"\} 1/);
    expect(metrics).toMatch(/syncline_user_buckets\{user="u1"\} 1/);
    expect(metrics).toMatch(/syncline_user_ops\{user="u1"\} \d{4,}/);
    expect(metrics).toMatch(/# TYPE syncline_streams_open gauge/);
    expect(metrics).toMatch(/syncline_replication_slot_active 1/);
    expect(metrics).toMatch(/syncline_storage_ops \d+/);
    const nf = await fetch(`${server.url}/nope`);
    expect(nf.status).toBe(404);
    expect(((await nf.json()) as { error: { code: string } }).error.code).toBe('SYNC_NOT_FOUND');
  });
});
