/**
 * `npm run torture:idle -- [--seconds 60]`: the seed recipe's setup (publication FOR ALL TABLES, bucket
 * storage in the source database), some writes, then idle: prints the sync server's CPU use and the WAL
 * written while nothing changes (SPEC.md R3: storage commits must not feed themselves).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '@syncline/errors';
import { freePort } from '@syncline/postgres';
import { signUp } from '@syncline/test-utils';
import pg from 'pg';
import { startCluster } from './cluster.js';
import { prepareSource, rules } from './model.js';
import { sleep } from './random.js';
import { apiService, syncServerService, writeSyncConfig } from './services.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '60' } } });
const seconds = Number(values.seconds);
const logger = createLogger({ name: 'idle', level: 'warn' });
const cluster = await startCluster(logger);
const dir = await mkdtemp(join(tmpdir(), 'syncline-idle-'));
const url = await cluster.createDatabase('idle');
const pool = new pg.Pool({ connectionString: url, max: 2 });
const apiPort = await freePort();
const syncPort = await freePort();
const api = apiService(dir, {
  databaseUrl: url,
  port: apiPort,
  powersyncUrl: `http://127.0.0.1:${syncPort}`,
});
const sync = syncServerService(dir, await writeSyncConfig(dir, rules), {
  databaseUrl: url,
  storageUrl: url,
  jwksUri: `http://127.0.0.1:${apiPort}/api/auth/jwks`,
  audience: `http://127.0.0.1:${apiPort}`,
  port: syncPort,
});
const cpuTicks = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime (fields 14, 15)
};
const wal = async () =>
  (await pool.query<{ l: string }>('SELECT pg_current_wal_lsn()::text AS l')).rows[0]!.l;
const walBytes = async (a: string, b: string) =>
  Number((await pool.query<{ d: string }>('SELECT ($2::pg_lsn - $1::pg_lsn)::text AS d', [a, b])).rows[0]!.d);
try {
  await prepareSource(url, pool);
  await pool.query('DROP PUBLICATION IF EXISTS powersync');
  await pool.query('CREATE PUBLICATION powersync FOR ALL TABLES');
  await api.start();
  const user = await signUp(`http://127.0.0.1:${apiPort}`, 'idle');
  await sync.start();
  for (let i = 0; i < 200; i++)
    await pool.query(
      `INSERT INTO documents (id, title, content, owner_id, device_id) VALUES ($1, 't', 'c', $2, 's')`,
      [`d${i}`, user.id],
    );
  await sleep(5000); // replicated and settled
  const pid = sync.pid!;
  const hz = 100; // USER_HZ
  const t0 = cpuTicks(pid);
  const w0 = await wal();
  const started = Date.now();
  await sleep(seconds * 1000);
  const cpu = (cpuTicks(pid) - t0) / hz / ((Date.now() - started) / 1000);
  const bytes = await walBytes(w0, await wal());
  console.log(
    `idle ${seconds} s, FOR ALL TABLES, storage in the source database: sync server CPU ${(cpu * 100).toFixed(2)} % of a core, WAL written ${(bytes / 1024).toFixed(1)} KB`,
  );
} finally {
  await sync.stop();
  await api.stop();
  await pool.end();
  await cluster.stop();
}
