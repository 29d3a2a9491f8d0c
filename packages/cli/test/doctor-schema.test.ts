/**
 * `syncline doctor` on schema problems, each on its own database: a publication missing a synced table,
 * sync rules referencing a column Postgres lacks, and a definitions column missing in the live database.
 */
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applySchema } from '@syncline/postgres/migrate';
import { toSyncRules } from '@syncline/schema';
import { createTestDatabase, type TestDatabase } from '@syncline/test-utils';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../src/doctor/index.js';
import project from './fixtures/project/syncline.config.js';
import { lineOf, projectConfig, quietLogger, runCli } from './helpers.js';

/** The test project without API and sync server URLs: only the database checks run. */
const config = { schema: project.schema, database: 'app' };
const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const d of databases) await d.drop();
});

/** A fresh database with the test schema applied (publication included unless `publication: false`). */
async function testDatabase(publication = true): Promise<{ url: string; sql(text: string): Promise<void> }> {
  const db = await createTestDatabase('cli_doctor');
  databases.push(db);
  await applySchema(db.url, config.schema, {
    logger: quietLogger as never,
    ...(publication ? {} : { publication: false }),
  });
  return {
    url: db.url,
    async sql(text) {
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      try {
        await c.query(text);
      } finally {
        await c.end();
      }
    },
  };
}

const names = (r: { checks: { name: string; status: string }[] }, status: string) =>
  r.checks.filter((c) => c.status === status).map((c) => c.name);

describe('doctor schema checks', () => {
  it('passes the database checks on a correctly set-up database', async () => {
    const db = await testDatabase();
    const report = await runDoctor({ config, databaseUrl: db.url });
    expect(names(report, 'fail')).toEqual([]);
    for (const n of [
      'wal_level',
      'publication powersync',
      'sync rules vs Postgres',
      'definitions vs Postgres',
      'client vs server definitions',
      'sharing projects',
    ])
      expect(report.checks.find((c) => c.name === n)?.status, n).toBe('ok');
    expect(report.checks.find((c) => c.name === 'replication slots')?.status).toBe('warn'); // none yet
  });

  it('flags a publication that lacks a synced table, with the ALTER PUBLICATION fix (real process)', async () => {
    const db = await testDatabase(false);
    await db.sql(
      'CREATE PUBLICATION powersync FOR TABLE projects, project_members, document_versions, groups, document_groups',
    );
    const run = await runCli(['doctor', '--config', projectConfig, '--database-url', db.url]);
    expect(run.code).toBe(1);
    const line = lineOf(run.stdout, 'publication powersync');
    expect(line).toMatch(/^✗ publication powersync\s+does not cover documents/);
    expect(line).toContain('fix: ALTER PUBLICATION "powersync" ADD TABLE "documents";');
  });

  it('flags a missing publication with the CREATE PUBLICATION fix', async () => {
    const db = await testDatabase(false);
    const report = await runDoctor({ config, databaseUrl: db.url });
    const check = report.checks.find((c) => c.name === 'publication powersync');
    expect(check).toMatchObject({
      status: 'fail',
      code: 'REPL_PUBLICATION_MISSING',
      detail: 'does not exist',
    });
    expect(check?.fix).toMatch(
      /^CREATE PUBLICATION "powersync" FOR TABLE "projects", "project_members", "documents", /,
    );
  });

  it('flags sync rules that reference a column Postgres does not have (real process, --rules)', async () => {
    const db = await testDatabase();
    const rulesFile = join(tmpdir(), `rules-${Date.now()}.yaml`);
    const rules = toSyncRules(config.schema).replace(
      'SELECT id, title, content,',
      'SELECT id, title, content, summary,',
    );
    expect(rules).toContain('summary');
    await writeFile(rulesFile, rules);
    const run = await runCli([
      'doctor',
      '--config',
      projectConfig,
      '--database-url',
      db.url,
      '--rules',
      rulesFile,
    ]);
    expect(run.code).toBe(1);
    const line = lineOf(run.stdout, 'sync rules vs Postgres');
    expect(line).toMatch(/^✗ sync rules vs Postgres\s+column documents\.summary does not exist/);
    expect(line).toContain(`fix: Remove summary from the documents query in ${rulesFile}`);
  });

  it('flags a definitions column missing in the live database, with the ALTER TABLE fix', async () => {
    const db = await testDatabase();
    await db.sql('ALTER TABLE documents DROP COLUMN device_id');
    const run = await runCli(['doctor', '--config', projectConfig, '--database-url', db.url, '--json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as {
      checks: { name: string; status: string; detail: string; fix?: string }[];
    };
    const live = report.checks.find((c) => c.name === 'definitions vs Postgres');
    expect(live).toMatchObject({ status: 'fail', detail: 'column documents.device_id is missing' });
    expect(live?.fix).toContain('ALTER TABLE "documents" ADD COLUMN "device_id" text NOT NULL;');
    // The generated rules read device_id too, so the rules check names the same column and the same fix.
    const rules = report.checks.find((c) => c.name === 'sync rules vs Postgres');
    expect(rules?.status).toBe('fail');
    expect(rules?.fix).toContain('ALTER TABLE "documents" ADD COLUMN "device_id" text;');
  });

  it('flags sync rules that do not deliver what the definitions share (rules generated before sharing)', async () => {
    const db = await testDatabase();
    const rulesFile = join(tmpdir(), `rules-unshared-${Date.now()}.yaml`);
    const full = toSyncRules(config.schema);
    const stale = full.slice(0, full.indexOf('  shared_projects:'));
    expect(stale).not.toContain('project_members WHERE user_id');
    await writeFile(rulesFile, stale);
    const run = await runCli([
      'doctor',
      '--config',
      projectConfig,
      '--database-url',
      db.url,
      '--rules',
      rulesFile,
    ]);
    expect(run.code).toBe(1);
    const line = lineOf(run.stdout, 'sharing projects');
    expect(line).toMatch(
      /^✗ sharing projects\s+.*does not deliver projects to the members in project_members \(no bucket shared_projects\)/,
    );
    expect(line).toContain('fix: Regenerate the rules: npx syncline generate --force');
    // with the full rules it passes
    await writeFile(rulesFile, full);
    const ok = await runDoctor({ config, databaseUrl: db.url, rules: rulesFile });
    expect(ok.checks.find((c) => c.name === 'sharing projects')).toMatchObject({ status: 'ok' });
  });

  it('warns about a missing membership lookup index and roles the checks do not know, with the fixes', async () => {
    const db = await testDatabase();
    await db.sql('DROP INDEX uq_project_members_pair');
    await db.sql(
      `INSERT INTO project_members (id, project_id, user_id, role, owner_id) VALUES ('m1', 'p1', 'u2', 'admin', 'u1')`,
    );
    const report = await runDoctor({ config, databaseUrl: db.url });
    const check = report.checks.find((c) => c.name === 'sharing projects');
    expect(check?.status).toBe('warn');
    expect(check?.detail).toContain('no index on project_members (project_id, user_id)');
    expect(check?.detail).toContain('1 project_members row(s) with a role other than viewer/editor');
    expect(check?.fix).toContain('CREATE INDEX ON "project_members" ("project_id", "user_id");');
    expect(report.ok).toBe(true); // warnings only
  });

  it('fails when a shared table lacks a column the sharing rules read', async () => {
    const db = await testDatabase();
    await db.sql('ALTER TABLE project_members DROP COLUMN role');
    const report = await runDoctor({ config, databaseUrl: db.url });
    expect(report.checks.find((c) => c.name === 'sharing projects')).toMatchObject({
      status: 'fail',
      code: 'SCHEMA_INVALID_SHARING',
      detail: 'project_members lacks role',
    });
  });
});
