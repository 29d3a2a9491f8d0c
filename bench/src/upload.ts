/**
 * Benchmark 4: upload throughput through the API's upload endpoint in realistic batches. Baseline: the same
 * rows as multi-row INSERTs through the same driver (pg).
 */
import { signUp } from '@syncline/test-utils';
import { startBareApi } from './bare-api.js';
import { type BenchEnv, cpuOf, topStatements } from './env.js';
import type { Result } from './report.js';
import { documentRows, startUploadApi } from './upload-api.js';

export async function upload(
  env: BenchEnv,
  opts: { ops: number; opsPerTx: number; txPerRequest: number; log: (s: string) => void },
): Promise<Result[]> {
  const { url, process: api } = await startUploadApi(env);
  const bare = await startBareApi();
  try {
    const user = await signUp(url, 'upload-bench');
    const jwt = await user.token();
    const row = documentRows();
    const perRequest = opts.opsPerTx * opts.txPerRequest;
    /** One request of `perRequest` PUTs with ids `${prefix}${from}…`, as @syncline/client sends them. */
    const send = async (from: number, prefix: string, bearer: string, to = url) => {
      const transactions = [];
      for (let t = 0; t < opts.txPerRequest; t++) {
        const ops = [];
        for (let o = 0; o < opts.opsPerTx; o++) {
          const i = from + t * opts.opsPerTx + o;
          ops.push({ op: 'PUT', table: 'documents', id: `${prefix}${i}`, data: row(i) });
        }
        transactions.push({ op_id: `${prefix}${from + t}`, ops });
      }
      const res = await fetch(`${to}/api/powersync/upload`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
        body: JSON.stringify({ client_id: `bench-${prefix}`, transactions }),
      });
      if (!res.ok) throw new Error(`upload failed ${res.status}: ${await res.text()}`);
    };
    /** Baseline: the same rows as one multi-row INSERT per request-sized batch, with pg. */
    const insert = async (from: number) => {
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
    };
    // Warm-up (JIT, pools, both auth paths), then rounds that interleave the three ways of writing the
    // same rows, so that load on a shared machine weighs on each alike.
    await send(0, 'warm-jwt-', jwt);
    await send(0, 'warm-session-', user.sessionToken);
    for (let i = 0; i < 20; i++) await send(0, 'warm-', jwt, bare.url);
    await topStatements(env.pool); // resets the counters (SYNCLINE_BENCH_PG_STATS=1)
    const time = { jwt: 0, session: 0, raw: 0, http: 0 };
    /** CPU time of the API process (for http: the bare API's) during each kind of round. */
    const cpu = { jwt: 0, session: 0, raw: 0, http: 0 };
    const rounds = 4;
    const slice = Math.ceil(opts.ops / perRequest / rounds) * perRequest;
    for (let start = 0; start < opts.ops; start += slice) {
      const end = Math.min(opts.ops, start + slice);
      const timed = async (key: keyof typeof time, one: (from: number) => Promise<void>) => {
        const cpuNow = key === 'http' ? bare.cpu : () => cpuOf(api.pid!);
        const [t, c] = [performance.now(), await cpuNow()];
        for (let from = start; from < end; from += perRequest) await one(from);
        time[key] += performance.now() - t;
        cpu[key] += (await cpuNow()) - c;
      };
      await timed('jwt', (from) => send(from, 'up-', jwt));
      await timed('raw', insert);
      await timed('session', (from) => send(from, 'ses-', user.sessionToken));
      await timed('http', (from) => send(from, 'http-', jwt, bare.url));
    }
    for (const prefix of ['up-', 'ses-', 'raw-']) {
      const { rows } = await env.pool.query(
        `SELECT count(*)::int AS n FROM documents WHERE starts_with(id, $2) AND owner_id = $1`,
        [user.id, prefix],
      );
      if (rows[0].n !== opts.ops) throw new Error(`expected ${opts.ops} ${prefix} rows, found ${rows[0].n}`);
    }
    for (const line of await topStatements(env.pool)) opts.log(`    pg: ${line}`);
    const requests = opts.ops / perRequest;
    const ms = (t: number) => `${(t / requests).toFixed(1)} ms`;
    const apiCpu = `per request: upload ${ms(time.jwt)} (API CPU ${ms(cpu.jwt)}), raw INSERT ${ms(time.raw)}, the same body to a bare Elysia route ${ms(time.http)} (its CPU ${ms(cpu.http)}); session token: API CPU ${ms(cpu.session)}`;
    opts.log(`    ${apiCpu}`);
    const rate = (ms: number) => opts.ops / (ms / 1000);
    opts.log(
      `  upload ${rate(time.jwt).toFixed(0)} ops/s (session token ${rate(time.session).toFixed(0)}), raw multi-row INSERT ${rate(time.raw).toFixed(0)} rows/s; ratio ${(time.jwt / time.raw).toFixed(2)} (session ${(time.session / time.raw).toFixed(2)})`,
    );
    return [
      {
        id: 'upload',
        name: `Upload throughput, ${opts.ops.toLocaleString('en')} PUT ops`,
        value: rate(time.jwt),
        unit: 'ops/s',
        baseline: rate(time.raw),
        baselineName: 'same rows as multi-row INSERTs via pg',
        ratio: time.jwt / time.raw,
        target: '≥ 20 000 ops/s, ratio ≤ 3',
        detail: `${opts.txPerRequest} client transactions × ${opts.opsPerTx} ops per request, sequential, JWT bearer (what @syncline/client sends); ${apiCpu}; with a BetterAuth session token instead (2 queries per request): ${rate(time.session).toFixed(0)} ops/s, ratio ${(time.session / time.raw).toFixed(2)}; ${rounds} interleaved rounds; ratio = upload time / raw insert time; includes auth, validation, owner checks, idempotency records, all-or-nothing client transactions`,
        method:
          'PUT /api/powersync/upload against the test API (own process, Elysia on Node); baseline: one multi-row INSERT per request-sized batch through pg',
      },
    ];
  } finally {
    bare.stop();
    api.kill('SIGTERM');
  }
}
