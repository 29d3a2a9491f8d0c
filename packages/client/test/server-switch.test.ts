/**
 * Switching sync servers without stranding a client. Two independent Syncline sync servers replicate the
 * same Postgres into separate storage databases, so each numbers write checkpoints on its own. A device's
 * upload is acknowledged by the first server (write checkpoint handed out) but not reflected there yet
 * (its stream is frozen by a proxy) when the API starts handing out the other server's URL. After the
 * device reconnects, another device's newer data must show up within seconds, with no further upload
 * from the moved device — in both directions, the second time with the target server knowing the device
 * under a lower write-checkpoint number than the one it carries.
 */
import { freePort, withDatabase } from '@syncline/postgres';
import { toSyncRules } from '@syncline/schema';
import { type ApiUser, quietLogger, signUp, useTestDatabase as withTestDatabase } from '@syncline/test-utils';
import { documents, testSchema as schema } from '@syncline/test-utils/schema';
import {
  type FaultProxy,
  type StreamProxy,
  startFaultProxy,
  startStreamProxy,
  startTestApi,
  startTestSync,
  type TestApi,
  type TestSync,
} from '@syncline/test-utils/stack';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_OP_ID } from '../src/endpoint/index.js';
import { type Device, newDoc, openDevice, pgDocs, prepareDatabase, type Stack } from './stack.js';

const db = withTestDatabase('client_endpoint');
type Server = { name: string; sync: TestSync; proxy: StreamProxy; storageUrl: string };
let pool: pg.Pool;
let apiPort: number;
let api: TestApi;
let apiProxy: FaultProxy;
const servers: Record<'A' | 'B', Server> = {} as never;
let alice: ApiUser;
const devices: Device[] = [];

/** Restarts the API on its port handing out another sync URL: what an operator does to switch servers. */
async function pointApiAt(server: Server) {
  await api?.stop();
  api = await startTestApi({
    databaseUrl: db.url,
    port: apiPort,
    powersyncUrl: server.proxy.url,
    logger: quietLogger,
  });
}

async function startServer(name: 'A' | 'B'): Promise<Server> {
  const storageDb = `${db.name}_store_${name.toLowerCase()}`;
  const admin = new pg.Client({ connectionString: withDatabase(db.url, 'postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${storageDb}`);
  await admin.query(`CREATE DATABASE ${storageDb}`);
  await admin.end();
  const storageUrl = withDatabase(db.url, storageDb);
  const sync = await startTestSync({
    databaseUrl: db.url,
    syncRules: toSyncRules(schema),
    auth: { jwksUri: `http://127.0.0.1:${apiPort}/api/auth/jwks`, audience: `http://127.0.0.1:${apiPort}` },
    port: 0,
    managePublication: true,
    options: { storageUrl, slotName: `${db.name}_${name.toLowerCase()}` },
  });
  return { name, sync, proxy: await startStreamProxy(sync.url), storageUrl };
}

const ids = async (d: Device) =>
  (await d.all<{ id: string }>('SELECT id FROM documents ORDER BY id')).map((r) => r.id);
/** The SDK's apply gate: the write-checkpoint target and the last number seen in a checkpoint. */
async function gate(d: Device) {
  // powersync_control only runs inside a transaction.
  return d.client.powersync.readTransaction(async (tx) => {
    const { t } = await tx.get<{ t: string | null }>(
      "SELECT CAST(powersync_control('target_checkpoint_request_id', NULL) AS TEXT) AS t",
    );
    const seen = await tx.getOptional<{ value: string }>(
      "SELECT value FROM ps_kv WHERE key = 'last_seen_checkpoint_request_id'",
    );
    return { target: t, seen: seen?.value ?? null };
  });
}
const writeCheckpoints = (s: Server) =>
  s.proxy.requests.filter((r) => r.path === '/write-checkpoint2.json').length;
const pending = async (d: Device) => (await d.client.powersync.getUploadQueueStats()).count;
async function write(d: Device, id: string) {
  await d.client.db.insert(documents.sqlite).values(newDoc(id, `title ${id}`));
}
/** Uploads and waits until the server reflected them (a checkpoint carried the write checkpoint). */
async function writeSynced(d: Device, id: string) {
  await write(d, id);
  await d.until(async () => (await pending(d)) === 0 && (await pgDocs(pool, [id])).length === 1);
  await d.until(
    async () => {
      const g = await gate(d);
      return g.target === null || (g.seen !== null && BigInt(g.seen) >= BigInt(g.target));
    },
    { message: `${id} reflected` },
  );
}
async function open(name: string): Promise<Device> {
  const d = await openDevice(name, { apiUrl: apiProxy.url } as Stack, alice.sessionToken);
  devices.push(d);
  return d;
}
const reconnect = async (d: Device) => {
  await d.client.disconnect();
  await d.client.connect();
};

beforeAll(async () => {
  pool = await prepareDatabase(db.url);
  apiPort = await freePort();
  servers.A = await startServer('A');
  servers.B = await startServer('B');
  await pointApiAt(servers.A);
  apiProxy = await startFaultProxy(`http://127.0.0.1:${apiPort}`);
  alice = await signUp(apiProxy.url, 'alice');
}, 120_000);

afterAll(async () => {
  for (const d of devices) await d.close();
  await apiProxy?.stop();
  for (const s of Object.values(servers)) {
    await s.proxy.stop();
    await s.sync.stop().catch(() => undefined);
  }
  await api?.stop();
  await pool?.end();
  const admin = new pg.Client({ connectionString: withDatabase(db.url, 'postgres') });
  await admin.connect();
  for (const s of Object.values(servers)) {
    await admin
      .query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1', [
        `${db.name}_${s.name.toLowerCase()}`,
      ])
      .catch(() => undefined);
    await admin
      .query(`DROP DATABASE IF EXISTS ${new URL(s.storageUrl).pathname.slice(1)}`)
      .catch(() => undefined);
  }
  await admin.end();
});

/**
 * `mover` is connected to `from` with a write acknowledged there but not reflected; the API now points at
 * `to`; both devices reconnect; `other` writes; `mover` must show it (no upload from `mover`).
 */
async function strandAndSwitch(mover: Device, other: Device, from: Server, to: Server, tag: string) {
  from.proxy.freeze();
  const before = writeCheckpoints(from);
  await write(mover, `${tag}-acked`);
  await mover.until(async () => (await pending(mover)) === 0 && writeCheckpoints(from) > before, {
    message: 'upload acknowledged and a write checkpoint handed out',
  });
  await mover.until(async () => {
    const g = await gate(mover);
    return g.target !== null && g.target !== MAX_OP_ID;
  });
  const stranded = await gate(mover);
  expect(stranded.seen === null || BigInt(stranded.seen) < BigInt(stranded.target!)).toBe(true); // not reflected
  expect(await pgDocs(pool, [`${tag}-acked`])).toHaveLength(1);

  await pointApiAt(to);
  await reconnect(other);
  await reconnect(mover);
  const uploadsBefore = apiProxy.requests.length;
  await write(other, `${tag}-newer`);
  await other.until(async () => (await pgDocs(pool, [`${tag}-newer`])).length === 1);
  const committed = Date.now();
  await mover.until(async () => (await ids(mover)).includes(`${tag}-newer`), {
    timeout: 10_000,
    message: `the other device's newer row after switching ${from.name} → ${to.name}`,
  });
  const seconds = (Date.now() - committed) / 1000;
  expect(await ids(mover)).toContain(`${tag}-acked`);
  // No further upload from the moved device: the only upload after the switch is the other device's row.
  const uploads = apiProxy.requests.slice(uploadsBefore).filter((r) => r.method === 'PUT');
  for (const u of uploads) expect(u.body).toContain(`${tag}-newer`);
  expect(await pending(mover)).toBe(0);
  expect(mover.logs.some((l) => l.msg.startsWith('sync endpoint changed'))).toBe(true);
  return seconds;
}

describe('switching sync servers', () => {
  it('A → B: an upload acknowledged by A but not reflected does not strand the client on B', async () => {
    const mover = await open('mover-1');
    const other = await open('other-1');
    await writeSynced(mover, 'm1-warmup');
    const seconds = await strandAndSwitch(mover, other, servers.A, servers.B, 'ab');
    console.info(`[server-switch] A → B: newer row shown ${seconds.toFixed(2)} s after its commit`);
  }, 120_000);

  it('B → A: also when A knows the device under a lower write-checkpoint number', async () => {
    await pointApiAt(servers.A);
    const mover = await open('mover-2');
    const other = await open('other-2');
    await writeSynced(mover, 'm2-on-a'); // A: write checkpoint 1 for this device
    await pointApiAt(servers.B);
    await reconnect(mover);
    await reconnect(other);
    for (const id of ['m2-on-b-1', 'm2-on-b-2', 'm2-on-b-3']) await writeSynced(mover, id); // B counts higher
    const seconds = await strandAndSwitch(mover, other, servers.B, servers.A, 'ba');
    console.info(`[server-switch] B → A: newer row shown ${seconds.toFixed(2)} s after its commit`);
  }, 180_000);
});
