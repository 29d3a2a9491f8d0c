/**
 * Benchmark 4b: upload throughput with 8 clients at once (4 users × 2 devices), each sending requests of
 * 10 client transactions × 10 PUTs one after another. Baseline: 8 concurrent writers (pg, a pool of 8)
 * inserting the same rows as one multi-row INSERT per request-sized batch.
 */
import { signUp } from '@syncline/test-utils';
import { type BenchEnv, cpuOf, topStatements } from './env.js';
import type { Result } from './report.js';
import { documentRows, startUploadApi } from './upload-api.js';

const USERS = 4;
const DEVICES = 2;
const OPS_PER_TX = 10;
const TX_PER_REQUEST = 10;
const PER_REQUEST = OPS_PER_TX * TX_PER_REQUEST;

export async function uploadConcurrent(
  env: BenchEnv,
  opts: { ops: number; log: (s: string) => void },
): Promise<Result[]> {
  const clients = USERS * DEVICES;
  /** Requests per client over the whole run (at least one per round). */
  const rounds = 4;
  const perClientRound = Math.max(1, Math.round(opts.ops / clients / PER_REQUEST / rounds));
  const ops = perClientRound * rounds * clients * PER_REQUEST;
  const { url, process: api } = await startUploadApi(env);
  try {
    const users: { id: string; jwt: string }[] = [];
    for (let u = 0; u < USERS; u++) {
      const user = await signUp(url, `upload-concurrent-${u}`);
      users.push({ id: user.id, jwt: await user.token() });
    }
    const row = documentRows();
    /** Client c (user c / DEVICES): one request of PER_REQUEST PUTs with ids `${prefix}c-${from}…`. */
    const send = async (c: number, from: number, prefix: string) => {
      const transactions = [];
      for (let t = 0; t < TX_PER_REQUEST; t++) {
        const txOps = [];
        for (let o = 0; o < OPS_PER_TX; o++) {
          const i = from + t * OPS_PER_TX + o;
          txOps.push({ op: 'PUT', table: 'documents', id: `${prefix}${c}-${i}`, data: row(i) });
        }
        transactions.push({ op_id: from + t, ops: txOps });
      }
      const res = await fetch(`${url}/api/powersync/upload`, {
        method: 'PUT',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${users[Math.floor(c / DEVICES)]!.jwt}`,
        },
        body: JSON.stringify({ client_id: `bench-${prefix}${c}`, transactions }),
      });
      if (!res.ok) throw new Error(`upload failed ${res.status}: ${await res.text()}`);
    };
    /** Baseline writer c: the same rows as one multi-row INSERT per request-sized batch. */
    const insert = async (c: number, from: number, prefix: string) => {
      const values: unknown[] = [];
      const tuples: string[] = [];
      for (let i = from; i < from + PER_REQUEST; i++) {
        const r = row(i);
        const b = values.length;
        tuples.push(`($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7})`);
        const owner = users[Math.floor(c / DEVICES)]!.id;
        values.push(`${prefix}${c}-${i}`, r.title, r.content, owner, r.device_id, r.created_at, r.updated_at);
      }
      await env.pool.query(
        `INSERT INTO documents (id, title, content, owner_id, device_id, created_at, updated_at) VALUES ${tuples.join(',')}`,
        values,
      );
    };
    /** All clients at once, each sending its requests of round `r` one after another. */
    const all = async (r: number, one: (c: number, from: number) => Promise<void>) => {
      await Promise.all(
        Array.from({ length: clients }, async (_, c) => {
          for (let k = 0; k < perClientRound; k++) await one(c, (r * perClientRound + k) * PER_REQUEST);
        }),
      );
    };
    // Warm-up, then rounds that interleave both ways of writing, so that load weighs on each alike.
    await all(0, (c, from) => send(c, from, 'cwarm-'));
    await topStatements(env.pool); // resets the counters (SYNCLINE_BENCH_PG_STATS=1)
    const time = { upload: 0, raw: 0 };
    let apiCpu = 0;
    for (let r = 0; r < rounds; r++) {
      let t = performance.now();
      const c0 = await cpuOf(api.pid!);
      await all(r, (c, from) => send(c, from, 'cup-'));
      time.upload += performance.now() - t;
      apiCpu += (await cpuOf(api.pid!)) - c0;
      t = performance.now();
      await all(r, (c, from) => insert(c, from, 'craw-'));
      time.raw += performance.now() - t;
    }
    for (const prefix of ['cup-', 'craw-']) {
      const { rows } = await env.pool.query(
        'SELECT count(*)::int AS n FROM documents WHERE starts_with(id, $1)',
        [prefix],
      );
      if (rows[0].n !== ops) throw new Error(`expected ${ops} ${prefix} rows, found ${rows[0].n}`);
    }
    for (const line of await topStatements(env.pool)) opts.log(`    pg: ${line}`);
    const rate = (ms: number) => ops / (ms / 1000);
    const requests = ops / PER_REQUEST;
    const cpuLine = `API CPU ${(apiCpu / requests).toFixed(2)} ms per request`;
    opts.log(
      `  upload, ${clients} clients: ${rate(time.upload).toFixed(0)} ops/s, raw multi-row INSERT with ${clients} writers ${rate(time.raw).toFixed(0)} rows/s; ratio ${(time.upload / time.raw).toFixed(2)}; ${cpuLine}`,
    );
    return [
      {
        id: 'upload-concurrent',
        name: `Upload throughput, ${clients} clients at once, ${ops.toLocaleString('en')} PUT ops`,
        value: rate(time.upload),
        unit: 'ops/s',
        baseline: rate(time.raw),
        baselineName: `same rows as multi-row INSERTs via pg, ${clients} writers at once`,
        ratio: time.upload / time.raw,
        target: '≥ 20 000 ops/s, ratio ≤ 3',
        detail: `${USERS} users × ${DEVICES} devices, each sending requests of ${TX_PER_REQUEST} client transactions × ${OPS_PER_TX} ops one after another, JWT bearer; ${cpuLine}; ${rounds} interleaved rounds; ratio = upload time / raw insert time`,
        method:
          'PUT /api/powersync/upload against the test API (own process, Elysia on Node, its pool of 5 connections), 8 concurrent clients; baseline: 8 concurrent pg writers (pool of 8), one multi-row INSERT per request-sized batch',
      },
    ];
  } finally {
    api.kill('SIGTERM');
  }
}
