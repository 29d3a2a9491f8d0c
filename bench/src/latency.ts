/**
 * Benchmark 2: latency.
 * (a) Postgres INSERT → row visible on a connected client; baseline: the same INSERT → change delivered to a
 *     bare pgoutput consumer (the floor logical replication itself imposes), measured in the same run.
 * (b) device A local write → visible on device B through upload (API) + replication (upload throttle 0).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '@syncline/postgres';
import { apiUploader, signUp, type TestDevice, waitFor } from '@syncline/test-utils';
import { LogicalReplicationService, PgoutputPlugin } from 'pg-logical-replication';
import { freshDevice } from './device.js';
import { type BenchEnv, startSyncProcess, stats } from './env.js';
import { openRawStream } from './raw-stream.js';
import type { Result } from './report.js';

/** The test API as its own process (`@syncline/test-utils`). */
const apiMain = fileURLToPath(new URL('../../packages/test-utils/src/stack/api-main.ts', import.meta.url));

/** Resolves when a row with `id` is visible on the device (change notification, no polling). */
function watchIds(d: TestDevice) {
  const waiting = new Map<string, (t: number) => void>();
  const dispose = d.db.onChange(
    {
      onChange: async () => {
        if (waiting.size === 0) return;
        const ids = [...waiting.keys()];
        const found = await d.all<{ id: string }>(
          `SELECT id FROM documents WHERE id IN (${ids.map(() => '?').join(',')})`,
          ids,
        );
        const now = performance.now();
        for (const { id } of found) {
          waiting.get(id)?.(now);
          waiting.delete(id);
        }
      },
    },
    { tables: ['documents'], throttleMs: 0 },
  );
  return {
    wait: (id: string) => new Promise<number>((resolve) => waiting.set(id, resolve)),
    dispose,
  };
}

/**
 * Resolves when the checkpoint that carries a row with `id` completes on a raw sync stream of the same user (no
 * SQLite, no client): the server's part of INSERT → visible, measured on the same inserts as the client.
 */
function watchStream(url: string, token: string) {
  const stream = openRawStream(url, token, 'latency-raw');
  const waiting = new Map<string, (t: number) => void>();
  const inData = new Set<string>();
  stream.onLine = (line) => {
    if (line.data) {
      for (const op of line.data.data as { object_id?: string }[])
        if (op.object_id && waiting.has(op.object_id)) inData.add(op.object_id);
    } else if (line.checkpoint_complete || line.partial_checkpoint_complete) {
      const now = performance.now();
      for (const id of inData) waiting.get(id)?.(now);
      for (const id of inData) waiting.delete(id);
      inData.clear();
    }
  };
  return {
    ready: stream.ready,
    wait: (id: string) => new Promise<number>((resolve) => waiting.set(id, resolve)),
    close: () => stream.close(),
  };
}

const above = (samples: number[], ms: number) => samples.filter((v) => v > ms).length;

async function bareReplicationLatency(env: BenchEnv, samples: number, spacing: number): Promise<number[]> {
  const slot = `bench_bare_${Date.now()}`;
  await env.pool.query(`SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [slot]);
  const service = new LogicalReplicationService({ connectionString: env.url } as never, {
    acknowledge: { auto: true, timeoutSeconds: 1 },
  });
  const waiting = new Map<string, (t: number) => void>();
  service.on('data', (_lsn: string, msg: { tag: string; new?: { id?: string } }) => {
    const id = msg.tag === 'insert' ? msg.new?.id : undefined;
    if (id && waiting.has(id)) {
      waiting.get(id)!(performance.now());
      waiting.delete(id);
    }
  });
  void service
    .subscribe(new PgoutputPlugin({ protoVersion: 1, publicationNames: ['powersync'] }), slot)
    .catch(() => undefined);
  await new Promise((r) => service.once('start', r));
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const id = `bare-${i}`;
    const seen = new Promise<number>((r) => waiting.set(id, r));
    const t0 = performance.now();
    await env.pool.query(
      `INSERT INTO documents (id, title, content, owner_id, device_id) VALUES ($1, 't', 'c', 'bare-user', 'b')`,
      [id],
    );
    out.push((await seen) - t0);
    await new Promise((r) => setTimeout(r, spacing));
  }
  await service.stop();
  // The walsender may still be exiting (it can lag behind on a loaded machine): drop once it let go.
  await waitFor(
    async () =>
      (await env.pool.query('SELECT 1 FROM pg_replication_slots WHERE slot_name = $1 AND active', [slot]))
        .rowCount === 0,
    { timeout: 60_000, message: 'bare slot released' },
  );
  await env.pool.query('SELECT pg_drop_replication_slot($1)', [slot]);
  return out;
}

export async function latency(
  env: BenchEnv,
  opts: { samples: number; spacingMs: number; log: (s: string) => void },
): Promise<Result[]> {
  const server = await startSyncProcess(env);
  // (a) INSERT → visible
  const user = 'latency-user';
  const d = await freshDevice('latency', server.url, () => env.jwks.sign(user));
  await d.connect();
  await d.db.waitForFirstSync();
  const watcher = watchIds(d);
  const raw = watchStream(server.url, await env.jwks.sign(user));
  await raw.ready;
  const ours: number[] = [];
  const streamed: number[] = [];
  for (let i = 0; i < opts.samples; i++) {
    const id = `lat-${i}`;
    const seen = watcher.wait(id);
    const onStream = raw.wait(id);
    const t0 = performance.now();
    await env.pool.query(
      `INSERT INTO documents (id, title, content, owner_id, device_id) VALUES ($1, 't', 'c', $2, 'b')`,
      [id, user],
    );
    ours.push((await seen) - t0);
    streamed.push((await onStream) - t0);
    await new Promise((r) => setTimeout(r, opts.spacingMs));
  }
  watcher.dispose();
  raw.close();
  await d.close();
  const bare = await bareReplicationLatency(env, opts.samples, opts.spacingMs);
  const o = stats(ours);
  const b = stats(bare);
  const st = stats(streamed);
  opts.log(
    `  INSERT → checkpoint on a raw stream p50 ${st.p50.toFixed(1)} / p99 ${st.p99.toFixed(1)} / p99.9 ${st.p999.toFixed(1)} / max ${st.max.toFixed(1)} ms`,
  );
  opts.log(
    `  INSERT → visible p50 ${o.p50.toFixed(1)} / p99 ${o.p99.toFixed(1)} / p99.9 ${o.p999.toFixed(1)} / max ${o.max.toFixed(1)} ms (bare pgoutput p50 ${b.p50.toFixed(1)} / p99 ${b.p99.toFixed(1)} / max ${b.max.toFixed(1)} ms)`,
  );

  // (b) device → device through the API
  const apiPort = await freePort();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const api = spawn(process.execPath, ['--import', 'tsx', apiMain], {
    env: {
      ...process.env,
      DATABASE_URL: env.url,
      PORT: String(apiPort),
      BASE_URL: apiUrl,
      POWERSYNC_URL: server.url,
      SYNCLINE_LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitFor(async () => (await fetch(`${apiUrl}/api/auth/ok`).catch(() => null))?.status !== undefined, {
    timeout: 30_000,
    message: 'API up',
  });
  const owner = await signUp(apiUrl, 'latency-b');
  const a = await freshDevice('dev-a', server.url, () => env.jwks.sign(owner.id), apiUploader(apiUrl, owner));
  const bdev = await freshDevice('dev-b', server.url, () => env.jwks.sign(owner.id));
  await Promise.all([a.connect(), bdev.connect()]);
  await Promise.all([a.db.waitForFirstSync(), bdev.db.waitForFirstSync()]);
  const wb = watchIds(bdev);
  const d2d: number[] = [];
  const n = Math.max(20, Math.floor(opts.samples / 4));
  for (let i = 0; i < n; i++) {
    const id = `d2d-${i}`;
    const seen = wb.wait(id);
    const t0 = performance.now();
    await a.db.execute(
      `INSERT INTO documents (id, title, content, device_id, created_at, updated_at) VALUES (?, 't', 'c', 'a', ?, ?)`,
      [id, new Date().toISOString(), new Date().toISOString()],
    );
    d2d.push((await seen) - t0);
    await new Promise((r) => setTimeout(r, opts.spacingMs));
  }
  wb.dispose();
  await a.close();
  await bdev.close();
  api.kill('SIGTERM');
  await server.stop();
  const dd = stats(d2d);
  opts.log(`  device → device p50 ${dd.p50.toFixed(1)} ms`);
  return [
    {
      id: 'latency-insert',
      name: 'Latency: Postgres INSERT → visible on a client (p50)',
      value: o.p50,
      unit: 'ms',
      baseline: b.p50,
      baselineName: 'same INSERT → bare pgoutput consumer',
      ratio: o.p50 / b.p50,
      target: 'p50 ≤ 15 ms',
      detail: `p50 ${o.p50.toFixed(1)} / p95 ${o.p95.toFixed(1)} / p99 ${o.p99.toFixed(1)} ms over ${o.n} inserts spaced ${opts.spacingMs} ms; bare pgoutput p50 ${b.p50.toFixed(1)} / p99 ${b.p99.toFixed(1)} ms; official service reference ≈ 57 ms`,
      method: 'timer from before the INSERT to the client onChange(throttleMs 0) that finds the row',
    },
    {
      id: 'latency-insert-tail',
      name: `Latency: Postgres INSERT → visible on a client, tail over ${o.n.toLocaleString('en')} inserts (p99)`,
      value: o.p99,
      unit: 'ms',
      baseline: b.p99,
      baselineName: 'same INSERTs → bare pgoutput consumer (p99)',
      ratio: o.p99 / b.p99,
      target: 'p99 ≤ 30 ms, max ≤ 100 ms',
      detail: `p50 ${o.p50.toFixed(1)} / p99 ${o.p99.toFixed(1)} / p99.9 ${o.p999.toFixed(1)} / max ${o.max.toFixed(1)} ms; bare pgoutput p50 ${b.p50.toFixed(1)} / p99 ${b.p99.toFixed(1)} / p99.9 ${b.p999.toFixed(1)} / max ${b.max.toFixed(1)} ms; ${above(ours, 100)} of ${o.n} above 100 ms`,
      method: `the INSERT → visible samples above (one official client, spaced ${opts.spacingMs} ms)`,
    },
    {
      id: 'latency-stream-tail',
      name: 'Latency: Postgres INSERT → checkpoint complete on a raw stream, same inserts (p99)',
      value: st.p99,
      unit: 'ms',
      baseline: b.p99,
      baselineName: 'same INSERTs → bare pgoutput consumer (p99)',
      ratio: st.p99 / b.p99,
      detail: `p50 ${st.p50.toFixed(1)} / p99 ${st.p99.toFixed(1)} / p99.9 ${st.p999.toFixed(1)} / max ${st.max.toFixed(1)} ms; ${above(streamed, 100)} of ${st.n} above 100 ms. The server's share of INSERT → visible: the rest is the client's (parse, SQLite apply, change notification)`,
      method:
        'a second stream of the same user read as raw NDJSON in the bench process (no SQLite), timed on the same inserts as the client',
    },
    {
      id: 'latency-device',
      name: 'Latency: device A write → visible on device B (p50)',
      value: dd.p50,
      unit: 'ms',
      baseline: o.p50,
      baselineName: 'INSERT → visible (above)',
      ratio: dd.p50 / o.p50,
      detail: `p50 ${dd.p50.toFixed(1)} / p95 ${dd.p95.toFixed(1)} / p99 ${dd.p99.toFixed(1)} ms over ${dd.n} writes; upload throttle 0, test API in its own process`,
      method: 'local INSERT on A → uploadData → PUT /api/powersync/upload → WAL → sync server → B onChange',
    },
  ];
}
