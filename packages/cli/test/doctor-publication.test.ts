/**
 * `syncline doctor` flags the seed recipe's publication (FOR ALL TABLES, bucket storage in the same database):
 * the storage tables are published, so every storage write is decoded and streamed back. The fix it prints
 * works.
 */
import { applySchema } from '@syncline/postgres/migrate';
import { useTestDatabase } from '@syncline/test-utils';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import project from './fixtures/project/syncline.config.js';
import { lineOf, projectConfig, quietLogger, runCli } from './helpers.js';

const db = useTestDatabase('cli_pub_storage');
let pool: pg.Pool;

beforeAll(async () => {
  await applySchema(db.url, project.schema, { logger: quietLogger as never });
  pool = new pg.Pool({ connectionString: db.url, max: 1 });
  // What a sync server with storage in this database creates.
  await pool.query(
    'CREATE SCHEMA IF NOT EXISTS syncline; CREATE TABLE syncline.bucket_ops (id int PRIMARY KEY)',
  );
  await pool.query('DROP PUBLICATION IF EXISTS powersync; CREATE PUBLICATION powersync FOR ALL TABLES');
});
afterAll(async () => {
  await pool?.end();
});

describe('doctor and bucket storage inside the publication', () => {
  it('warns with a fix that publishes the synced tables only, and the fix clears it', async () => {
    const run = await runCli(['doctor', '--config', projectConfig, '--database-url', db.url]);
    const line = lineOf(run.stdout, 'publication excludes storage');
    expect(line).toMatch(
      /^! publication excludes storage\s+publication powersync includes bucket storage tables syncline\.\*/,
    );
    const fix = /BEGIN; DROP PUBLICATION .*; COMMIT;/.exec(line)?.[0];
    expect(fix).toContain('FOR TABLE');
    expect(fix).toContain('"documents"');
    await pool.query(fix!);
    const after = await runCli(['doctor', '--config', projectConfig, '--database-url', db.url]);
    expect(lineOf(after.stdout, 'publication excludes storage')).toMatch(/^✓/);
    expect(lineOf(after.stdout, 'publication powersync')).toMatch(/^✓ publication powersync\s+covers all/);
  });
});
