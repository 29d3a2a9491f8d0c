/**
 * Benchmark 4: upload throughput through the API's upload endpoint in realistic batches. Baseline: the same
 * rows as multi-row INSERTs through the same driver (pg).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '@syncline/postgres';
import { signUp, waitFor } from '@syncline/test-utils';
import type { BenchEnv } from './env.js';
import type { Result } from './report.js';

const apiMain = fileURLToPath(new URL('../../examples/notes/api/main.ts', import.meta.url));

export async function upload(
  env: BenchEnv,
  opts: { ops: number; opsPerTx: number; txPerRequest: number; log: (s: string) => void },
): Promise<Result[]> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // SYNCLINE_BENCH_API_FLAGS: extra node flags for the API process (e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`).
  const flags = process.env.SYNCLINE_BENCH_API_FLAGS?.split(' ').filter(Boolean) ?? [];
  const api = spawn(process.execPath, [...flags, '--import', 'tsx', apiMain], {
    env: {
      ...process.env,
      DATABASE_URL: env.url,
      PORT: String(port),
      BASE_URL: url,
      POWERSYNC_URL: 'http://127.0.0.1:1',
      SYNCLINE_LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitFor(async () => (await fetch(`${url}/api/auth/ok`).catch(() => null))?.ok === true, {
      timeout: 30_000,
    });
    const user = await signUp(url, 'upload-bench');
    const now = new Date().toISOString();
    const row = (i: number) => ({
      title: `Document ${i}`,
      content: `content ${i} ${'x'.repeat(60)}`,
      device_id: 'bench',
      created_at: now,
      updated_at: now,
    });
    const perRequest = opts.opsPerTx * opts.txPerRequest;
    // Warm-up request (JIT, pools)
    const send = async (from: number, prefix: string) => {
      const transactions = [];
      for (let t = 0; t < opts.txPerRequest; t++) {
        const ops = [];
        for (let o = 0; o < opts.opsPerTx; o++) {
          const i = from + t * opts.opsPerTx + o;
          ops.push({ op: 'PUT', table: 'documents', id: `${prefix}${i}`, data: row(i) });
        }
        transactions.push({ op_id: `${prefix}${from + t}`, ops });
      }
      const res = await fetch(`${url}/api/powersync/upload`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${user.sessionToken}` },
        body: JSON.stringify({ client_id: `bench-${prefix}`, transactions }),
      });
      if (!res.ok) throw new Error(`upload failed ${res.status}: ${await res.text()}`);
    };
    await send(0, 'warm-');
    const t0 = performance.now();
    for (let from = 0; from < opts.ops; from += perRequest) await send(from, 'up-');
    const ours = performance.now() - t0;
    const { rows } = await env.pool.query(
      `SELECT count(*)::int AS n FROM documents WHERE id LIKE 'up-%' AND owner_id = $1`,
      [user.id],
    );
    if (rows[0].n !== opts.ops) throw new Error(`expected ${opts.ops} uploaded rows, found ${rows[0].n}`);
    // Baseline: the same rows as multi-row INSERTs (one statement per request-sized batch) with pg.
    const t1 = performance.now();
    for (let from = 0; from < opts.ops; from += perRequest) {
      const values: unknown[] = [];
      const tuples: string[] = [];
      for (let i = from; i < Math.min(opts.ops, from + perRequest); i++) {
        const r = row(i);
        const b = values.length;
        tuples.push(`($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7})`);
        values.push(`raw-${i}`, r.title, r.content, user.id, r.device_id, r.created_at, r.updated_at);
      }
      await env.pool.query(
        `INSERT INTO documents (id, title, content, owner_id, device_id, created_at, updated_at) VALUES ${tuples.join(',')}`,
        values,
      );
    }
    const raw = performance.now() - t1;
    const oursRate = opts.ops / (ours / 1000);
    const rawRate = opts.ops / (raw / 1000);
    opts.log(`  upload ${oursRate.toFixed(0)} ops/s, raw multi-row INSERT ${rawRate.toFixed(0)} rows/s`);
    return [
      {
        id: 'upload',
        name: `Upload throughput, ${opts.ops.toLocaleString('en')} PUT ops`,
        value: oursRate,
        unit: 'ops/s',
        baseline: rawRate,
        baselineName: 'same rows as multi-row INSERTs via pg',
        ratio: ours / raw,
        detail: `${opts.txPerRequest} client transactions × ${opts.opsPerTx} ops per request, sequential; ratio = upload time / raw insert time; includes auth, validation, owner checks, idempotency record, one PG transaction per client transaction`,
        method:
          'PUT /api/powersync/upload against the notes API (own process, Elysia on Node) with a session bearer token',
      },
    ];
  } finally {
    api.kill('SIGTERM');
  }
}
