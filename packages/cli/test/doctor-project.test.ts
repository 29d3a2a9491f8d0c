/**
 * `syncline doctor` finds the project: from a monorepo root it uses the one `syncline.config.ts` below it
 * (and checks Postgres), from a folder without one it fails saying how to pass it, and a generated
 * powersync.yaml with unset `!env` variables gets the `export PS_…=` lines to run.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@syncline/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineOf, projectConfig, runCli } from './helpers.js';

let empty: string;
let out: string;
beforeAll(async () => {
  empty = await mkdtemp(join(tmpdir(), 'syncline-doctor-empty-'));
  out = await mkdtemp(join(tmpdir(), 'syncline-doctor-gen-'));
  const gen = await runCli(['generate', '--config', projectConfig, '--out', out, '--force']);
  expect(gen.code).toBe(0);
});
afterAll(async () => {
  await rm(empty, { recursive: true, force: true });
  await rm(out, { recursive: true, force: true });
});

describe('doctor finds the project config', () => {
  it('from a monorepo root: uses the one config below it and checks its Postgres', async () => {
    const root = await mkdtemp(join(tmpdir(), 'syncline-doctor-mono-'));
    try {
      await mkdir(join(root, 'apps/app'), { recursive: true });
      await writeFile(join(root, 'package.json'), '{ "type": "module" }\n');
      await writeFile(
        join(root, 'apps/app/syncline.config.ts'),
        `export { default } from ${JSON.stringify(projectConfig)};\n`,
      );
      const port = await freePort(); // nothing listens there: the check must run and fail
      const run = await runCli(['doctor'], { SYNCLINE_PG_PORT: String(port) }, root);
      expect(run.stderr).toBe('');
      expect(lineOf(run.stdout, 'config')).toMatch(/^✓ config\s+apps\/app\/syncline\.config\.ts$/);
      expect(lineOf(run.stdout, 'postgres')).toMatch(
        new RegExp(`^✗ postgres\\s+cannot connect to .*:${port}/app`),
      );
      expect(run.stdout).not.toMatch(/\b0 ok, 0 failed/);
      expect(run.code).toBe(1);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('without a config anywhere and nothing to check: exit 2 saying how to pass one', async () => {
    const run = await runCli(['doctor'], {}, empty);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^no syncline\.config\.ts in .*: pass --config path\/to\/syncline\.config\.ts/,
    );
  });

  it('with two configs below: exit 2 naming both', async () => {
    const two = await mkdtemp(join(tmpdir(), 'syncline-doctor-two-'));
    try {
      for (const d of ['a', 'b']) {
        await mkdir(join(two, d));
        await writeFile(join(two, d, 'syncline.config.ts'), 'export default {};\n');
      }
      const run = await runCli(['doctor'], {}, two);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /several Syncline configs here: a\/syncline\.config\.ts, b\/syncline\.config\.ts/,
      );
    } finally {
      await rm(two, { recursive: true, force: true });
    }
  });
});

describe('doctor --powersync with unset !env variables', () => {
  it('prints the export lines to run, not "Fix powersync.yaml"', async () => {
    const unset = { PS_DATABASE_URL: '', PS_STORAGE_URL: '', PS_JWKS_URI: '' };
    const run = await runCli(
      [
        'doctor',
        '--config',
        projectConfig,
        '--powersync',
        join(out, 'powersync.yaml'),
        '--database-url',
        'postgres://x@127.0.0.1:1/x',
      ],
      unset,
    );
    expect(run.code).toBe(1);
    const line = lineOf(run.stdout, 'powersync.yaml');
    expect(line).toMatch(
      /^✗ powersync\.yaml\s+.*uses !env PS_DATABASE_URL, PS_STORAGE_URL, PS_JWKS_URI, not set here/,
    );
    expect(line).toContain(
      'fix: export PS_DATABASE_URL="postgresql://powersync_role:$PS_REPLICATION_PASSWORD@localhost:5432/app"',
    );
    expect(line).toContain(
      'export PS_STORAGE_URL="postgresql://powersync_role:$PS_REPLICATION_PASSWORD@localhost:5432/powersync_storage"',
    );
    expect(line).toContain('export PS_JWKS_URI=http://127.0.0.1:3000/api/auth/jwks');
    expect(run.stdout).not.toMatch(/fix: Fix /);
    const json = JSON.parse(
      (
        await runCli(
          ['doctor', '--config', projectConfig, '--powersync', join(out, 'powersync.yaml'), '--json'],
          unset,
        )
      ).stdout,
    );
    expect(json.checks[1]).toMatchObject({
      name: 'powersync.yaml',
      status: 'fail',
      code: 'CONFIG_MISSING_ENV',
    });
  });
});
