/**
 * RSocket over WebSocket at the frame level (a raw `rsocket-core` client, as the official SDKs use it):
 * BSON payloads, request-N flow control under a stingy client, the error codes that make clients refresh
 * credentials (and those that must not), cancel and connection loss end the session, token expiry completes
 * the stream, and the upgrade is only accepted on `/sync/stream` from allowed origins.
 */
import { request as httpRequest } from 'node:http';
import { applySchema } from '@syncline/postgres/migrate';
import { startTestJwks, type TestJwks, useTestDatabase, waitFor } from '@syncline/test-utils';
import { testSchema as schema } from '@syncline/test-utils/schema';
import { BSON } from 'bson';
import pg from 'pg';
import { type Cancellable, type Requestable, type RSocket, RSocketConnector } from 'rsocket-core';
import { WebsocketClientTransport } from 'rsocket-websocket-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createSyncServer, type SyncServer } from '../src/index.js';
import { quietLogger, rulesWithMemberships } from './stack.js';
import type { WireLine } from './wire.js';

const db = useTestDatabase('websocket');
let pool: pg.Pool;
let jwks: TestJwks;
let server: SyncServer;
const sockets: RSocket[] = [];

beforeAll(async () => {
  await applySchema(db.url, schema);
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  await pool.query(
    'CREATE TABLE group_members (id text PRIMARY KEY, group_id text NOT NULL, user_id text NOT NULL)',
  );
  await pool.query(
    `INSERT INTO documents (id, title, content, owner_id, device_id) SELECT 'd' || g, 't', repeat('y', 100), 'u1', 's' FROM generate_series(1, 5000) g`,
  );
  jwks = await startTestJwks();
  server = createSyncServer({
    databaseUrl: db.url,
    syncRules: rulesWithMemberships,
    auth: { jwksUri: jwks.url, audience: jwks.audience, maxLifetimeSeconds: 3600 },
    port: 0,
    managePublication: true,
    keepaliveSeconds: 3600,
    opsPerLine: 100,
    logger: quietLogger as never,
  });
  await server.start();
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await server?.stop();
  await jwks?.stop();
  await pool?.end();
});

/** Connects like the official client: SETUP with JSON metadata `{token, user_agent}`. */
async function connect(token: string | null): Promise<RSocket> {
  const connector = new RSocketConnector({
    transport: new WebsocketClientTransport({
      url: `${server.url.replace('http', 'ws')}/sync/stream`,
      wsCreator: (url) => new WebSocket(url) as never,
    }),
    setup: {
      keepAlive: 20_000,
      lifetime: 90_000,
      dataMimeType: 'application/json',
      metadataMimeType: 'application/json',
      payload: {
        data: null,
        metadata: Buffer.from(
          JSON.stringify(token === null ? {} : { token: `Token ${token}`, user_agent: 'test' }),
        ),
      },
    },
  });
  const socket = await connector.connect();
  sockets.push(socket);
  return socket;
}

interface Stream {
  lines: WireLine[];
  /** Resolves with the ERROR message, or null on completion. */
  ended: Promise<string | null>;
  handle: Requestable & Cancellable;
}

function requestStream(
  socket: RSocket,
  body: unknown,
  initialN: number,
  options: { path?: string; autoRequest?: boolean } = {},
): Stream {
  const lines: WireLine[] = [];
  let end!: (v: string | null) => void;
  const ended = new Promise<string | null>((r) => {
    end = r;
  });
  const handle = socket.requestStream(
    {
      data: Buffer.from(JSON.stringify(body)),
      metadata: Buffer.from(JSON.stringify({ path: options.path ?? '/sync/stream' })),
    },
    initialN,
    {
      onNext: (payload) => {
        lines.push(BSON.deserialize(payload.data!) as WireLine);
        if (options.autoRequest) handle.request(1);
      },
      onError: (e) => end(e.message),
      onComplete: () => end(null),
      onExtension: () => undefined,
    },
  );
  return { lines, ended, handle };
}

const openStreams = async () => Number(/^syncline_streams_open (\d+)$/m.exec(await server.metrics())![1]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('RSocket over WebSocket', () => {
  it('answers a request-stream with one BSON document per payload: checkpoint, data, complete', async () => {
    const socket = await connect(await jwks.sign('u1'));
    const s = requestStream(socket, { buckets: [], client_id: 'ws-1' }, 10, { autoRequest: true });
    await waitFor(() => s.lines.some((l) => 'checkpoint_complete' in l), { timeout: 20_000 });
    for (const l of s.lines) expect(Object.keys(l)).toHaveLength(1);
    const cp = s.lines[0]!.checkpoint;
    expect(typeof cp.last_op_id).toBe('string');
    expect(cp.buckets[0]).toMatchObject({ count: 5000, priority: 3 });
    const ops = s.lines.filter((l) => 'data' in l).flatMap((l) => l.data.data);
    expect(ops).toHaveLength(5000);
    expect(ops[0]).toMatchObject({ op: 'PUT', object_type: 'documents' });
    expect(typeof ops[0]!.op_id).toBe('string');
    expect(typeof JSON.parse(ops[0]!.data).id).toBe('string');
    s.handle.cancel();
  });

  it('never sends more payloads than the client requested (request-N), and continues on REQUEST_N', async () => {
    const socket = await connect(await jwks.sign('u1'));
    const s = requestStream(socket, { buckets: [] }, 2);
    await waitFor(() => s.lines.length === 2);
    await sleep(300);
    expect(s.lines).toHaveLength(2); // 50 data lines are waiting for credit
    s.handle.request(3);
    await waitFor(() => s.lines.length === 5);
    await sleep(300);
    expect(s.lines).toHaveLength(5);
    s.handle.request(1_000_000);
    await waitFor(() => s.lines.some((l) => 'checkpoint_complete' in l), { timeout: 20_000 });
    s.handle.cancel();
  });

  it('refuses bad tokens with PSYNC_S21xx errors (the client refreshes credentials) naming the registry code', async () => {
    const cases: [string | null, string][] = [
      [await jwks.sign('u', { lifetimeSeconds: 10, iatOffsetSeconds: -200 }), 'PSYNC_S2103 AUTH_EXPIRED'],
      [await jwks.sign('u', { audience: 'someone-else' }), 'PSYNC_S2105 AUTH_WRONG_AUDIENCE'],
      [`${(await jwks.sign('u')).slice(0, -10)}AAAAAAAAAA`, 'PSYNC_S2101 AUTH_INVALID_TOKEN'],
      [await jwks.sign('u', { lifetimeSeconds: 7200 }), 'PSYNC_S2104 AUTH_LIFETIME_TOO_LONG'],
      [null, 'PSYNC_S2106 AUTH_MISSING_TOKEN'],
    ];
    for (const [token, expected] of cases) {
      const s = requestStream(await connect(token), { buckets: [] }, 10);
      expect(await s.ended).toMatch(new RegExp(`^${expected}: `));
      expect(s.lines).toEqual([]);
    }
  });

  it('other errors carry a PSYNC code outside S21 (the client keeps its credentials)', async () => {
    const socket = await connect(await jwks.sign('u1'));
    const bad = requestStream(socket, { buckets: 'nope' }, 10);
    expect(await bad.ended).toMatch(/^PSYNC_S2001 SYNC_INVALID_REQUEST: /);
    const path = requestStream(socket, { buckets: [] }, 10, { path: '/elsewhere' });
    expect(await path.ended).toMatch(/^PSYNC_S2001 SYNC_NOT_FOUND: /);
    const subs = requestStream(
      socket,
      { buckets: [], streams: { subscriptions: Array.from({ length: 300 }, () => ({ stream: 'x' })) } },
      10,
    );
    expect(await subs.ended).toMatch(/^PSYNC_S2001 SYNC_TOO_MANY_SUBSCRIPTIONS: .*limit is 256/);
  });

  it('a cancelled stream and a dropped connection both end their session on the server', async () => {
    const before = await openStreams();
    const socket = await connect(await jwks.sign('u1'));
    const s = requestStream(socket, { buckets: [] }, 1);
    await waitFor(async () => (await openStreams()) === before + 1);
    s.handle.cancel();
    await waitFor(async () => (await openStreams()) === before, { message: 'session ended after CANCEL' });
    const dropped = await connect(await jwks.sign('u1'));
    requestStream(dropped, { buckets: [] }, 1);
    await waitFor(async () => (await openStreams()) === before + 1);
    dropped.close();
    sockets.splice(sockets.indexOf(dropped), 1);
    await waitFor(async () => (await openStreams()) === before, { message: 'session ended after close' });
  });

  it('ends the stream at token expiry: token_expires_in 0, then COMPLETE', async () => {
    const socket = await connect(await jwks.sign('u-exp', { lifetimeSeconds: 2 }));
    const s = requestStream(socket, { buckets: [] }, 100);
    expect(await s.ended).toBeNull();
    expect(s.lines[0]).toEqual({ token_expires_in: expect.any(Number) }); // ≤ 30 s left: warned at once
    expect(s.lines.some((l) => 'checkpoint_complete' in l)).toBe(true);
    expect(s.lines.at(-1)).toEqual({ token_expires_in: 0 });
  }, 15_000);

  it('accepts the WebSocket upgrade on /sync/stream only', async () => {
    expect(await upgrade(server.url, '/somewhere-else')).toBe(404);
    expect(await upgrade(server.url, '/sync/stream')).toBe(101);
  });

  it('refuses browser origins outside corsOrigins (a reader process sharing the storage)', async () => {
    const reader = createSyncServer({
      databaseUrl: db.url,
      syncRules: rulesWithMemberships,
      auth: { jwksUri: jwks.url, audience: jwks.audience },
      port: 0,
      replicate: false,
      corsOrigins: ['http://app.example'],
      logger: quietLogger as never,
    });
    await reader.start();
    try {
      expect(await upgrade(reader.url, '/sync/stream', 'http://evil.example')).toBe(403);
      expect(await upgrade(reader.url, '/sync/stream', 'http://app.example')).toBe(101);
      expect(await upgrade(reader.url, '/sync/stream')).toBe(101); // native clients send no Origin
    } finally {
      await reader.stop();
    }
  });
});

/** The status a WebSocket upgrade request gets (101 = switched). */
function upgrade(base: string, path: string, origin?: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const u = new URL(base);
    const req = httpRequest({
      host: u.hostname,
      port: u.port,
      path,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': Buffer.from('0123456789abcdef').toString('base64'),
        ...(origin ? { Origin: origin } : {}),
      },
    });
    req.on('response', (res) => resolve(res.statusCode ?? 0));
    req.on('upgrade', (_res, socket) => {
      socket.destroy();
      resolve(101);
    });
    req.on('error', reject);
    req.end();
  });
}
