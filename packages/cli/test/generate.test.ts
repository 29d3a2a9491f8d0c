/**
 * `syncline generate`: every file is valid — powersync.yaml against the official service's schema and
 * loader rules and Syncline's loader, sync_rules.yaml with the official parser, docker-compose.yml
 * consistent with powersync.yaml, setup.sql executed on a real cluster — and the generated
 * powersync.yaml + sync_rules.yaml run Syncline's sync server unchanged (only the URL differs).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applySchema } from '@syncline/postgres';
import { parseSyncRules, sourceTablesOf } from '@syncline/schema';
import { createSyncServer, loadPowerSyncConfig } from '@syncline/sync-server';
import { signUp, TestDevice, useTestDatabase, waitFor } from '@syncline/test-utils';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';
import notes from '../../../examples/notes/syncline.config.js';
import { runGenerate } from '../src/generate/index.js';
import { validateServiceConfig, validateServiceConfigFile } from '../src/generate/validate.js';
import { clientSchema, notesConfig, quietLogger, runCli, startApi, startCluster } from './helpers.js';

let out: string;
let files: Record<string, string>;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'syncline-generate-'));
  const run = await runCli(['generate', '--config', notesConfig, '--out', out]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  files = {};
  for (const f of [
    'powersync.yaml',
    'sync_rules.yaml',
    'docker-compose.yml',
    'setup.sql',
    'init-storage.sql',
    'README.md',
  ])
    files[f] = await readFile(join(out, f), 'utf8');
});
afterAll(() => rm(out, { recursive: true, force: true }));

type Compose = {
  services: Record<
    string,
    {
      environment: Record<string, string>;
      ports: string[];
      command?: string[];
      volumes?: string[];
      depends_on?: Record<string, unknown>;
    }
  >;
};
const compose = () => parse(files['docker-compose.yml']!) as Compose;

describe('syncline generate', () => {
  it('writes sync rules the official parser accepts against the definitions', () => {
    const { issues, config } = parseSyncRules(files['sync_rules.yaml']!, {
      tables: sourceTablesOf(notes.schema.synced),
    });
    expect(issues).toEqual([]);
    expect(
      config
        .getSourceTables()
        .map((t) => t.tablePattern)
        .sort(),
    ).toEqual(notes.schema.synced.map((t) => t.name).sort());
  });

  it('writes a powersync.yaml the official service accepts with the compose environment', () => {
    const env = compose().services.powersync!.environment;
    const result = validateServiceConfig(files['powersync.yaml']!, { env, baseDir: out });
    expect(result.errors).toEqual([]);
    expect(result.unresolved).toEqual([]);
    // Every !env variable is a PS_* name the compose service sets.
    expect(result.variables.sort()).toEqual(['PS_DATABASE_URL', 'PS_JWKS_URI', 'PS_STORAGE_URL']);
    expect(result.config?.client_auth.audience).toEqual([notes.api?.url]);
  });

  it('has a validator that rejects what the official service rejects', () => {
    const env = compose().services.powersync!.environment;
    const broken = files['powersync.yaml']!.replace(/audience:\n\s+- (.*)/, 'audience: $1').replace(
      'sslmode: disable',
      'sslmode: allow',
    );
    const { errors } = validateServiceConfig(broken, { env, baseDir: out });
    expect(errors.join('\n')).toMatch(/audience must be array/);
    expect(errors.join('\n')).toMatch(/sslmode must be one of/);
    const notPs = validateServiceConfig(
      files['powersync.yaml']!.replace('!env PS_JWKS_URI', '!env JWKS_URI'),
      { env: { ...env, JWKS_URI: 'x' } },
    );
    expect(notPs.errors.join('\n')).toMatch(/only substitutes variables starting with PS_/);
    const badUri = validateServiceConfig(files['powersync.yaml']!, {
      env: { ...env, PS_DATABASE_URL: 'mysql://u:p@h:3306/d' },
    });
    expect(badUri.errors).toEqual([
      'replication.connections[0].uri: protocol must be postgresql, got mysql:',
    ]);
  });

  it('writes a docker-compose.yml consistent with powersync.yaml', () => {
    const { services } = compose();
    const ps = parseDocument(files['powersync.yaml']!, {
      customTags: [{ tag: '!env', resolve: (v: string) => `env:${v}` }],
    }).toJS();
    expect(services.powersync!.ports).toEqual([`${ps.port}:${ps.port}`]);
    expect(services.powersync!.volumes).toContain('./powersync.yaml:/config/powersync.yaml:ro');
    expect(services.powersync!.volumes).toContain(`./${ps.sync_rules.path}:/config/${ps.sync_rules.path}:ro`);
    expect(services.powersync!.environment.POWERSYNC_CONFIG_PATH).toBe('/config/powersync.yaml');
    expect(Object.keys(services.powersync!.depends_on ?? {}).sort()).toEqual(['api', 'postgres']);
    // Postgres runs with logical replication; the service replicates the database the API uses.
    expect(services.postgres!.command).toEqual(
      expect.arrayContaining(['wal_level=logical', 'max_slot_wal_keep_size=1GB']),
    );
    expect(services.powersync!.environment.PS_DATABASE_URL).toBe(services.api!.environment.DATABASE_URL);
    expect(new URL(services.powersync!.environment.PS_DATABASE_URL!).pathname).toBe(
      `/${services.postgres!.environment.POSTGRES_DB}`,
    );
    // The JWKS is reached through the compose network, and the audience is the API's BASE_URL.
    const jwks = new URL(services.powersync!.environment.PS_JWKS_URI!);
    expect(jwks.hostname).toBe('api');
    expect(jwks.port).toBe(services.api!.environment.PORT);
    expect(jwks.pathname).toBe('/api/auth/jwks');
    expect(ps.client_auth.audience).toEqual([services.api!.environment.BASE_URL]);
    expect(services.api!.environment.POWERSYNC_URL).toBe(`http://localhost:${ps.port}`);
    expect(services.api!.command).toEqual(['node', '--import', 'tsx', 'examples/notes/api/main.ts']);
  });

  it('refuses to overwrite without --force (exit 2), and overwrites with it', async () => {
    const again = await runCli(['generate', '--config', notesConfig, '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already has powersync\.yaml.*--force/);
    const forced = await runGenerate({ config: notes, outDir: out, force: true, port: 9090 });
    expect(forced['powersync.yaml']).toContain('port: 9090');
    await runGenerate({ config: notes, outDir: out, force: true }); // restore
  });
});

describe('setup.sql on a real Postgres', () => {
  let cluster: Awaited<ReturnType<typeof startCluster>>;
  beforeAll(async () => {
    cluster = await startCluster({ wal_level: 'replica', max_slot_wal_keep_size: '-1' });
  });
  afterAll(() => cluster?.stop());

  it('runs, stages every setting, creates the role, publication and storage database', async () => {
    await applySchema(cluster.url, notes.schema, { logger: quietLogger as never, publication: false });
    const client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    try {
      // psql runs statement by statement (ALTER SYSTEM and CREATE DATABASE refuse transaction blocks).
      const statements = files['setup.sql']!.split('\n')
        .filter((l) => !l.startsWith('--'))
        .join('\n')
        .split(';')
        .map((s) => s.trim())
        .filter(Boolean);
      for (const s of statements) await client.query(s);
      const { rows: staged } = await client.query<{ name: string; setting: string }>(
        "SELECT name, setting FROM pg_file_settings WHERE sourcefile LIKE '%postgresql.auto.conf' ORDER BY seqno",
      );
      expect(Object.fromEntries(staged.map((r) => [r.name, r.setting]))).toMatchObject({
        wal_level: 'logical',
        max_replication_slots: '10',
        max_wal_senders: '10',
        max_slot_wal_keep_size: '1GB',
      });
      const { rows: pub } = await client.query<{ tablename: string }>(
        "SELECT tablename FROM pg_publication_tables WHERE pubname = 'powersync'",
      );
      expect(pub.map((r) => r.tablename).sort()).toEqual(notes.schema.synced.map((t) => t.name).sort());
      const { rows: role } = await client.query(
        "SELECT 1 FROM pg_roles WHERE rolname = 'powersync_role' AND rolreplication AND rolbypassrls",
      );
      expect(role).toHaveLength(1);
      const { rows: storage } = await client.query(
        "SELECT 1 FROM pg_database WHERE datname = 'powersync_storage'",
      );
      expect(storage).toHaveLength(1);
    } finally {
      await client.end();
    }
  });
});

describe("the generated config runs Syncline's sync server", () => {
  const db = useTestDatabase('cli_generate');

  it('loads with loadPowerSyncConfig, serves a client, and only the URL differs', async () => {
    await applySchema(db.url, notes.schema, { logger: quietLogger as never });
    const api = await startApi(db.url);
    // Same files, different audience only because the test API listens on a random port.
    const dir = await mkdtemp(join(tmpdir(), 'syncline-generate-run-'));
    await runGenerate({ config: notes, outDir: dir, apiUrl: api.baseUrl });
    const env = { PS_DATABASE_URL: db.url, PS_STORAGE_URL: db.url, PS_JWKS_URI: `${api.url}/api/auth/jwks` };
    expect(validateServiceConfigFile(join(dir, 'powersync.yaml'), env).errors).toEqual([]);
    const loaded = loadPowerSyncConfig(join(dir, 'powersync.yaml'), env);
    expect(loaded.port).toBe(8080);
    expect(loaded.syncRulesPath).toBe(join(dir, 'sync_rules.yaml'));
    // The sync server checks iss (the API's BASE_URL) as well as aud.
    expect(loaded.auth.issuer).toBe(api.baseUrl);
    const server = createSyncServer({ ...loaded, port: 0, logger: quietLogger as never });
    await server.start();
    const alice = await signUp(api.url, 'alice');
    const device = await TestDevice.open({
      name: 'generated-config',
      schema: clientSchema,
      credentials: async () => ({ endpoint: server.url, token: await alice.token() }),
    });
    try {
      await device.connect();
      const pool = new pg.Pool({ connectionString: db.url });
      await pool.query(
        "INSERT INTO documents (id, title, content, owner_id, device_id) VALUES ('gen-1', 'From Postgres', 'x', $1, 'server')",
        [alice.id],
      );
      await pool.end();
      await waitFor(async () => (await device.db.getAll('SELECT id FROM documents')).length === 1, {
        timeout: 20_000,
        message: 'the row reaches the device through the generated config',
      });
      expect(device.errors).toEqual([]);
    } finally {
      await device.close();
      await server.stop();
      await api.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
