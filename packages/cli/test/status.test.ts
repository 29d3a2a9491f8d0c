/**
 * `syncline status` against a running sync server with a connected client (real process), against a
 * metrics endpoint with per-user metrics, and with the endpoint unreachable (exit 1).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '@syncline/postgres';
import { applySchema } from '@syncline/postgres/migrate';
import type { SyncServer } from '@syncline/sync-server';
import { signUp, TestDevice, useTestDatabase, waitFor } from '@syncline/test-utils';
import type { TestApi } from '@syncline/test-utils/stack';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusReport } from '../src/status/index.js';
import project from './fixtures/project/syncline.config.js';
import { clientSchema, quietLogger, runCli, startApi, startSync } from './helpers.js';

const db = useTestDatabase('cli_status');
let api: TestApi;
let sync: SyncServer;
let device: TestDevice;
let userId: string;

beforeAll(async () => {
  await applySchema(db.url, project.schema, { logger: quietLogger as never });
  api = await startApi(db.url);
  sync = await startSync(db.url, api);
  const alice = await signUp(api.url, 'alice');
  userId = alice.id;
  const pool = new pg.Pool({ connectionString: db.url });
  await pool.query(
    "INSERT INTO documents (id, title, content, owner_id, device_id) SELECT 'd' || g, 'Doc', 'x', $1, 'server' FROM generate_series(1, 5) g",
    [alice.id],
  );
  await pool.end();
  device = await TestDevice.open({
    name: 'status',
    schema: clientSchema,
    credentials: async () => ({ endpoint: sync.url, token: await alice.token() }),
  });
  await device.connect();
  await waitFor(async () => (await device.db.getAll('SELECT id FROM documents')).length === 5, {
    timeout: 20_000,
  });
});
afterAll(async () => {
  await device?.close();
  await sync?.stop();
  await api?.stop();
});

describe('syncline status', () => {
  it('reports replication, slot, streams and storage of a live server (--json)', async () => {
    const run = await runCli(['status', '--sync-url', sync.url, '--json']);
    expect(run.code).toBe(0);
    const status = JSON.parse(run.stdout) as StatusReport;
    expect(status.url).toBe(sync.url);
    expect(status.streams.open).toBe(1);
    expect(status.replication.slotActive).toBe(true);
    expect(status.replication.lagBytes).toBeGreaterThanOrEqual(0);
    expect(status.replication.slotRetainedBytes).toBeGreaterThanOrEqual(0);
    expect(status.storage.ops).toBeGreaterThanOrEqual(5);
    expect(status.storage.buckets).toBeGreaterThanOrEqual(1);
    expect(status.perUserMetrics).toBe(true);
    expect(status.users).toEqual([expect.objectContaining({ user: userId, streams: 1, ops: 5 })]);
  });

  it('prints a readable summary', async () => {
    const run = await runCli(['status', '--sync-url', sync.url]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Sync server ${sync.url.replace(/[.]/g, '\\.')}\\n`));
    expect(run.stdout).toMatch(/slot retained WAL\s+\d+(\.\d)? (B|kB|MB) \(active\)/);
    expect(run.stdout).toMatch(/open streams\s+1\n/);
  });

  it('exits 1 when the metrics endpoint is unreachable', async () => {
    const run = await runCli(['status', '--sync-url', `http://127.0.0.1:${await freePort()}`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^✗ CLIENT_NETWORK: The sync server's metrics are unreachable: .*ECONNREFUSED/,
    );
  });
});

describe('syncline status with per-user metrics', () => {
  let server: Server;
  let url: string;
  let text: string;
  beforeAll(async () => {
    text = [
      '# TYPE syncline_streams_open gauge',
      'syncline_streams_open 3',
      'syncline_replication_lag_bytes 2048',
      'syncline_replication_slot_retained_bytes 3145728',
      'syncline_replication_slot_active 0',
      'syncline_storage_ops 120',
      'syncline_storage_buckets 4',
      'syncline_storage_head_op_id 130',
      'syncline_user_streams{user="alice"} 2',
      'syncline_user_buckets{user="alice"} 2',
      'syncline_user_ops{user="alice"} 80',
      'syncline_user_streams{user="bob"} 1',
      'syncline_user_buckets{user="bob"} 1',
      'syncline_user_ops{user="bob"} 40',
    ].join('\n');
    server = createServer((req, res) => {
      if (req.url === '/metrics')
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(`${text}\n`);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('lists users with their streams, buckets and ops, and flags an inactive slot', async () => {
    const run = await runCli(['status', '--sync-url', url]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('replication lag     2.0 kB');
    expect(run.stdout).toContain('slot retained WAL   3.0 MB (INACTIVE)');
    expect(run.stdout).toContain('storage             120 ops in 4 buckets (head op 130)');
    expect(run.stdout).toContain('users               2 connected');
    expect(run.stdout).toMatch(/alice\s+streams 2\s+buckets 2\s+ops 80/);
    expect(run.stdout).toMatch(/bob\s+streams 1\s+buckets 1\s+ops 40/);
  });

  it('shows no negative lag, and 0 users (not "no metrics") when nobody is connected', async () => {
    const before = text;
    // What Syncline's server exports right after a commit with no client connected.
    text = [
      'syncline_streams_open 0',
      'syncline_replication_lag_bytes -1',
      'syncline_replication_slot_retained_bytes 56',
      'syncline_replication_slot_active 1',
      'syncline_storage_ops 0',
    ].join('\n');
    try {
      const run = await runCli(['status', '--sync-url', url]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('replication lag     0 B\n');
      expect(run.stdout).not.toContain('-1 B');
      expect(run.stdout).toContain('users               0 connected');
      const json = JSON.parse((await runCli(['status', '--sync-url', url, '--json'])).stdout) as StatusReport;
      expect(json.replication.lagBytes).toBe(0);
      expect(json).toMatchObject({ perUserMetrics: true, users: [] });
      // A server without Syncline's metrics (the official service) has no per-user view.
      text = 'powersync_concurrent_connections 3\n';
      const official = await runCli(['status', '--sync-url', url]);
      expect(official.stdout).toContain(
        'users               n/a (this sync server reports no per-user metrics)',
      );
    } finally {
      text = before;
    }
  });
});
