/**
 * The generated setup.sql, run with psql as the README says, on a fresh cluster: before the API exists
 * (it creates the app database, role, storage database, an empty publication), again after the API created
 * its tables (BetterAuth's and the synced ones), and once more — never an error. The replication role can
 * read exactly the synced tables (none of BetterAuth's), including a synced table added later through the
 * publication, and nothing else; it can log in and read them with its password.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensurePublication, withDatabase } from '@syncline/postgres';
import type { TestApi } from '@syncline/test-utils/stack';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGenerate } from '../src/generate/index.js';
import project from './fixtures/project/syncline.config.js';
import { startApi, startCluster } from './helpers.js';

const PASSWORD = 'replication-pw-0123456789';
const synced = project.schema.synced.map((t) => t.name).sort();
let cluster: Awaited<ReturnType<typeof startCluster>>;
let out: string;
let api: TestApi | undefined;
let appUrl: string;

/** Runs setup.sql the way its header says (psql, ON_ERROR_STOP), as the superuser, from the postgres db. */
async function runSetup(): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(
    'psql',
    [
      withDatabase(cluster.url, 'postgres'),
      '-v',
      'ON_ERROR_STOP=1',
      '-X',
      '-q',
      '-f',
      join(out, 'setup.sql'),
    ],
    { env: { ...process.env, PS_REPLICATION_PASSWORD: PASSWORD } },
  );
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Tables of the app database the replication role may SELECT, and any other privilege it holds. */
async function roleAccess() {
  const readable = await query<{ t: string }>(
    appUrl,
    `SELECT c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'v') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND has_table_privilege('powersync_role', c.oid, 'SELECT') ORDER BY 1`,
  );
  const other = await query<{ t: string; p: string }>(
    appUrl,
    `SELECT table_name AS t, privilege_type AS p FROM information_schema.role_table_grants
      WHERE grantee = 'powersync_role' AND privilege_type <> 'SELECT'`,
  );
  return { readable: readable.map((r) => r.t), other };
}

beforeAll(async () => {
  cluster = await startCluster({ wal_level: 'replica', max_slot_wal_keep_size: '-1' });
  out = await mkdtemp(join(tmpdir(), 'syncline-setup-sql-'));
  await runGenerate({ config: project, outDir: out });
  appUrl = withDatabase(cluster.url, project.database!);
});
afterAll(async () => {
  await api?.stop();
  await cluster?.stop();
  await rm(out, { recursive: true, force: true });
});

describe('setup.sql', () => {
  it('runs on a fresh server before the API: database, role, storage, settings, empty publication', async () => {
    const run = await runSetup();
    expect(run.stderr).not.toMatch(/ERROR/);
    expect(await query(cluster.url, "SELECT 1 FROM pg_database WHERE datname = 'app'")).toHaveLength(1);
    const [storage] = await query<{ owner: string }>(
      cluster.url,
      "SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = 'powersync_storage'",
    );
    expect(storage?.owner).toBe('powersync_role');
    expect(
      await query(
        cluster.url,
        "SELECT 1 FROM pg_roles WHERE rolname = 'powersync_role' AND rolreplication AND rolbypassrls AND rolcanlogin AND NOT rolsuper",
      ),
    ).toHaveLength(1);
    const staged = await query<{ name: string; setting: string }>(
      cluster.url,
      "SELECT name, setting FROM pg_file_settings WHERE sourcefile LIKE '%postgresql.auto.conf' ORDER BY seqno",
    );
    expect(Object.fromEntries(staged.map((r) => [r.name, r.setting]))).toMatchObject({
      wal_level: 'logical',
      max_replication_slots: '10',
      max_wal_senders: '10',
      max_slot_wal_keep_size: '1GB',
    });
    expect(await query(appUrl, "SELECT 1 FROM pg_publication WHERE pubname = 'powersync'")).toHaveLength(1);
    expect((await roleAccess()).readable).toEqual([]);
  });

  it('lets the API create its tables; the role reads exactly the synced ones (none of BetterAuth’s)', async () => {
    api = await startApi(appUrl); // creates BetterAuth's tables, applies the schema, adds the publication tables
    const pub = await query<{ t: string }>(
      appUrl,
      "SELECT tablename AS t FROM pg_publication_tables WHERE pubname = 'powersync' ORDER BY 1",
    );
    expect(pub.map((r) => r.t)).toEqual(synced);
    const access = await roleAccess();
    expect(access.readable).toEqual(synced);
    for (const auth of ['user', 'session', 'account', 'jwks', 'verification'])
      expect(access.readable).not.toContain(auth);
    expect(access.other).toEqual([]);
  });

  it('runs again on the configured server without an error and changes nothing', async () => {
    // A grant the old setup.sql made (every table) is taken back.
    await query(appUrl, 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO powersync_role');
    for (let i = 0; i < 2; i++) {
      const run = await runSetup();
      expect(run.stderr).not.toMatch(/ERROR/);
    }
    expect((await roleAccess()).readable).toEqual(synced);
    const pub = await query(appUrl, "SELECT 1 FROM pg_publication_tables WHERE pubname = 'powersync'");
    expect(pub).toHaveLength(synced.length);
  });

  it('grants a synced table added later, through the publication step the API runs', async () => {
    await query(appUrl, 'CREATE TABLE later_synced (id text PRIMARY KEY, owner_id text)');
    await query(appUrl, 'CREATE TABLE not_synced (id text PRIMARY KEY)');
    const client = new pg.Client({ connectionString: appUrl });
    await client.connect();
    try {
      await ensurePublication(client, { name: 'powersync', tables: [...synced, 'later_synced'] });
    } finally {
      await client.end();
    }
    expect((await roleAccess()).readable).toEqual([...synced, 'later_synced'].sort());
  });

  it('the role logs in with its password and reads synced tables only', async () => {
    const asRole = new URL(appUrl);
    asRole.username = 'powersync_role';
    asRole.password = PASSWORD;
    const rows = await query(asRole.toString(), 'SELECT count(*) FROM documents');
    expect(rows).toHaveLength(1);
    await expect(query(asRole.toString(), 'SELECT * FROM session')).rejects.toThrow(/permission denied/);
    await expect(query(asRole.toString(), 'SELECT * FROM not_synced')).rejects.toThrow(/permission denied/);
    await expect(query(asRole.toString(), "INSERT INTO documents (id) VALUES ('x')")).rejects.toThrow(
      /permission denied/,
    );
  });
});
