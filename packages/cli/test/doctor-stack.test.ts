/**
 * `syncline doctor` against a running stack (the test API + Syncline's sync server): all ✓ when healthy, and
 * each auth failure mode — wrong audience (flag and powersync.yaml), JWKS unreachable, localhost JWKS
 * for a Docker service, a disallowed algorithm — plus the slot going inactive when the server stops.
 */
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@syncline/postgres';
import { applySchema } from '@syncline/postgres/migrate';
import { toSyncRules } from '@syncline/schema';
import type { SyncServer } from '@syncline/sync-server';
import { useTestDatabase } from '@syncline/test-utils';
import type { TestApi } from '@syncline/test-utils/stack';
import { SignJWT } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../src/doctor/index.js';
import project from './fixtures/project/syncline.config.js';
import { lineOf, projectConfig, quietLogger, runCli, startApi, startSync } from './helpers.js';

const db = useTestDatabase('cli_stack');
let api: TestApi;
let sync: SyncServer;

beforeAll(async () => {
  await applySchema(db.url, project.schema, { logger: quietLogger as never });
  api = await startApi(db.url);
  sync = await startSync(db.url, api);
});
afterAll(async () => {
  await sync?.stop();
  await api?.stop();
});

const base = () => ['doctor', '--config', projectConfig, '--database-url', db.url, '--api-url', api.url];

describe('doctor on a running stack', () => {
  it('gives all ✓ and exit 0 on a healthy setup (real process, throwaway user)', async () => {
    const run = await runCli([...base(), '--sync-url', sync.url, '--sign-up']);
    expect(run.stderr).toBe('');
    const lines = run.stdout.split('\n').filter((l) => /^[✓✗!-] /.test(l));
    expect(lines.filter((l) => !l.startsWith('✓'))).toEqual([]);
    for (const name of [
      'wal_level',
      'publication powersync',
      'JWKS reachable',
      'JWT algorithm',
      'JWT audience',
      'JWT verifies',
      'sync server',
      'definitions vs Postgres',
    ])
      expect(lineOf(run.stdout, name)).toMatch(/^✓/);
    expect(lineOf(run.stdout, `slot syncline_${db.name}_syncline`)).toMatch(/^✓ .*active, pgoutput/);
    expect(run.code).toBe(0);
    // The throwaway user is gone again, with its session and account.
    expect(lineOf(run.stdout, 'throwaway user')).toMatch(
      /^✓ throwaway user\s+syncline-doctor-\S+@example\.invalid removed$/,
    );
    const pool = new pg.Pool({ connectionString: db.url });
    try {
      const { rows } = await pool.query(
        `SELECT (SELECT count(*) FROM "user" WHERE email LIKE 'syncline-doctor-%')::int AS users,
                (SELECT count(*) FROM "session" s WHERE NOT EXISTS (SELECT FROM "user" u WHERE u.id = s."userId"))::int AS orphans`,
      );
      expect(rows[0]).toEqual({ users: 0, orphans: 0 });
    } finally {
      await pool.end();
    }
  });

  it('flags a wrong --audience with the config line to fix', async () => {
    const run = await runCli([...base(), '--audience', 'http://wrong.example', '--sign-up']);
    expect(run.code).toBe(1);
    const line = lineOf(run.stdout, 'JWT audience');
    expect(line).toMatch(
      new RegExp(
        `^✗ JWT audience\\s+token aud ${api.baseUrl} ≠ expected http://wrong.example \\(--audience\\)`,
      ),
    );
    expect(line).toContain(`fix: In powersync.yaml: client_auth:`);
    expect(line).toContain(`audience: ["${api.baseUrl}"]`);
  });

  it("uses powersync.yaml's client_auth as what the sync server expects", async () => {
    const dir = tmpdir();
    const file = join(dir, `powersync-${Date.now()}.yaml`);
    await writeFile(join(dir, 'doctor_rules.yaml'), toSyncRules(project.schema));
    await writeFile(
      file,
      `replication:\n  connections:\n    - type: postgresql\n      uri: !env PS_DATABASE_URL\n      sslmode: disable\nstorage:\n  type: postgresql\n  uri: !env PS_DATABASE_URL\n  sslmode: disable\nsync_rules:\n  path: doctor_rules.yaml\nclient_auth:\n  jwks_uri: !env PS_JWKS_URI\n  audience: ["https://api.example.com"]\n`,
    );
    const report = await runDoctor({
      config: { schema: project.schema },
      powersyncConfig: file,
      apiUrl: api.url,
      signUp: true,
      env: { PS_DATABASE_URL: db.url, PS_JWKS_URI: `${api.url}/api/auth/jwks` },
    });
    expect(report.checks.find((c) => c.name === 'powersync.yaml')?.status).toBe('ok');
    expect(report.checks.find((c) => c.name === 'powersync.yaml (official)')?.status).toBe('ok');
    const aud = report.checks.find((c) => c.name === 'JWT audience');
    expect(aud).toMatchObject({ status: 'fail', code: 'AUTH_WRONG_AUDIENCE' });
    expect(aud?.detail).toContain('expected https://api.example.com (powersync.yaml client_auth)');
    expect(report.ok).toBe(false);
  });

  it('flags powersync.yaml whose !env variable is not set, naming the variable', async () => {
    const file = join(tmpdir(), `powersync-noenv-${Date.now()}.yaml`);
    await writeFile(
      file,
      'replication:\n  connections:\n    - type: postgresql\n      uri: !env PS_NOT_SET_ANYWHERE\n',
    );
    const report = await runDoctor({ powersyncConfig: file, databaseUrl: db.url, env: {} });
    const check = report.checks.find((c) => c.name === 'powersync.yaml');
    expect(check).toMatchObject({ status: 'fail', code: 'CONFIG_MISSING_ENV' });
    expect(check?.fix).toMatch(/^export PS_NOT_SET_ANYWHERE=/);
  });

  it('flags an unreachable JWKS with the fix', async () => {
    const dead = `http://127.0.0.1:${await freePort()}/api/auth/jwks`;
    const run = await runCli([...base(), '--jwks-url', dead]);
    expect(run.code).toBe(1);
    const line = lineOf(run.stdout, 'JWKS reachable');
    expect(line).toMatch(
      /^✗ JWKS reachable\s+cannot fetch http:\/\/127\.0\.0\.1:\d+\/api\/auth\/jwks: ECONNREFUSED/,
    );
    expect(line).toContain(dead);
    expect(line).toContain(
      "fix: Start the API, or point client_auth.jwks_uri (or --jwks-url) at the API's /api/auth/jwks",
    );
  });

  it('flags a localhost JWKS URI for a sync server in Docker', async () => {
    const report = await runDoctor({
      config: { schema: project.schema },
      databaseUrl: db.url,
      apiUrl: api.url,
      docker: true,
    });
    const check = report.checks.find((c) => c.name === 'JWKS URI (Docker)');
    expect(check?.status).toBe('fail');
    expect(check?.fix).toContain('PS_JWKS_URI=http://host.docker.internal:');
    expect(check?.fix).toContain('host-gateway');
  });

  it('checks a compose-network JWKS URI (http://api:…) host-side, with a warning', async () => {
    const port = new URL(api.url).port;
    const report = await runDoctor({
      databaseUrl: db.url,
      apiUrl: api.url,
      jwksUrl: `http://api:${port}/api/auth/jwks`,
      audience: [api.baseUrl],
    });
    const docker = report.checks.find((c) => c.name === 'JWKS URI (Docker)');
    expect(docker?.status).toBe('warn');
    expect(docker?.detail).toContain(`checking ${api.url}/api/auth/jwks from here instead`);
    expect(report.checks.find((c) => c.name === 'JWKS reachable')?.status).toBe('ok');
  });

  it('flags a token signed with a disallowed algorithm', async () => {
    const now = Math.floor(Date.now() / 1000);
    const hs = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u1')
      .setAudience(api.baseUrl)
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(new TextEncoder().encode('a-shared-secret-that-is-long-enough!'));
    const run = await runCli([...base(), '--token', hs]);
    expect(run.code).toBe(1);
    expect(lineOf(run.stdout, 'JWT algorithm')).toMatch(
      /^✗ JWT algorithm\s+HS256 is not accepted \(allowed: RS256.*\n\s+fix: Sign tokens with RS256/,
    );
    expect(lineOf(run.stdout, 'JWT audience')).toMatch(/^✓/);
  });

  it('flags the slot as inactive once the sync server stops', async () => {
    await sync.stop();
    const report = await runDoctor({ config: { schema: project.schema }, databaseUrl: db.url });
    const slot = report.checks.find((c) => c.name === `slot syncline_${db.name}_syncline`);
    expect(slot).toMatchObject({ status: 'fail', code: 'REPL_SLOT_FAILED' });
    expect(slot?.detail).toMatch(/^inactive \(no sync server is reading it\)/);
    expect(slot?.fix).toContain(`pg_drop_replication_slot('syncline_${db.name}_syncline')`);
  });
});
