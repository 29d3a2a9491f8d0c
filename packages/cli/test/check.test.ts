/** `syncline check`: lint + drift for CI, exit codes 0/1/2 and `--json`, as a real process. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toSyncRules } from '@syncline/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../src/check/index.js';
import project from './fixtures/project/syncline.config.js';
import { projectConfig, runCli } from './helpers.js';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'syncline-check-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('syncline check', () => {
  it('exits 0 with ok JSON for the test project', async () => {
    const run = await runCli(['check', '--config', projectConfig, '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      ok: true,
      lint: { ok: true, issues: [] },
      drift: { ok: true, issues: [] },
    });
    expect(report.drift.compared).toHaveLength(project.schema.synced.length);
  });

  it('exits 1 with every drift issue in JSON for drifted hand-written schemas', async () => {
    const run = await runCli([
      'check',
      '--client',
      fixture('drift-client.ts'),
      '--server',
      fixture('drift-server.ts'),
      '--json',
    ]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.ok).toBe(false);
    expect(report.drift.issues).toEqual([
      expect.objectContaining({ code: 'SCHEMA_DRIFT_TYPE', table: 'todos', column: 'priority' }),
    ]);
  });

  it('exits 0 for clean hand-written schemas, and reports rules drift when --rules names a missing column', async () => {
    const ok = await runCli([
      'check',
      '--client',
      fixture('clean-client.ts'),
      '--server',
      fixture('clean-server.ts'),
    ]);
    expect(ok.stdout).toContain('✓ no drift (1 tables compared)');
    expect(ok.code).toBe(0);
    const rules = join(dir, 'rules.yaml');
    await writeFile(
      rules,
      'bucket_definitions:\n  u:\n    parameters: SELECT request.user_id() AS user_id\n    data:\n      - SELECT id, title, colour FROM todos WHERE owner_id = bucket.user_id\n',
    );
    const bad = await runCli([
      'check',
      '--client',
      fixture('clean-client.ts'),
      '--server',
      fixture('clean-server.ts'),
      '--rules',
      rules,
      '--json',
    ]);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).drift.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'SCHEMA_DRIFT_RULES', column: 'colour' })]),
    );
  });

  it('exits 1 when a generated sync_rules.yaml is stale', async () => {
    const fresh = join(dir, 'fresh.yaml');
    const stale = join(dir, 'stale.yaml');
    const rules = toSyncRules(project.schema);
    await writeFile(fresh, rules);
    await writeFile(stale, rules.replace(/, deleted_at FROM groups/, ' FROM groups'));
    expect((await runCheck({ config: project, rules: fresh })).rules).toEqual({
      file: fresh,
      upToDate: true,
    });
    const run = await runCli(['check', '--config', projectConfig, '--rules', stale]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`✗ ${stale} is stale: npx syncline generate --force`);
  });

  it('exits 2 on usage and load errors', async () => {
    expect((await runCli(['check', '--client', fixture('clean-client.ts')])).code).toBe(2);
    expect((await runCli(['check', '--bogus'])).code).toBe(2);
    const missing = await runCli(['check', '--config', join(dir, 'nope.config.ts'), '--json']);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout)).toMatchObject({ ok: false, error: { code: 'CONFIG_FILE_NOT_FOUND' } });
  });
});
