/**
 * `syncline doctor` against deliberately misconfigured Postgres clusters (their own embedded servers):
 * wal_level=replica with no slots, senders or WAL limit; and a slot that retained more WAL than
 * max_slot_wal_keep_size allows.
 */
import { applySchema } from '@syncline/postgres/migrate';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../src/doctor/index.js';
import project from './fixtures/project/syncline.config.js';
import { lineOf, projectConfig, quietLogger, runCli, startCluster } from './helpers.js';

describe('doctor on a cluster with wal_level=replica', () => {
  let cluster: Awaited<ReturnType<typeof startCluster>>;
  beforeAll(async () => {
    cluster = await startCluster({
      wal_level: 'replica',
      max_replication_slots: '0',
      max_wal_senders: '0',
      max_slot_wal_keep_size: '-1',
    });
  });
  afterAll(() => cluster?.stop());

  it('prints one ✗ line per bad setting with the exact fix, and exits 1', async () => {
    const run = await runCli(['doctor', '--config', projectConfig, '--database-url', cluster.url]);
    expect(run.code).toBe(1);
    expect(lineOf(run.stdout, 'postgres')).toMatch(/^✓ postgres\s+\S+ \(PostgreSQL \d+\.\d+/);
    expect(run.stdout).not.toContain('undefined');
    expect(lineOf(run.stdout, 'wal_level')).toMatch(
      /^✗ wal_level\s+replica, needs logical\n\s+fix: ALTER SYSTEM SET wal_level = 'logical';/,
    );
    expect(lineOf(run.stdout, 'wal_level')).toContain('restart Postgres');
    expect(lineOf(run.stdout, 'max_replication_slots')).toMatch(
      /^✗ .*\n\s+fix: ALTER SYSTEM SET max_replication_slots = 10;/,
    );
    expect(lineOf(run.stdout, 'max_wal_senders')).toMatch(
      /^✗ .*\n\s+fix: ALTER SYSTEM SET max_wal_senders = 10;/,
    );
    expect(lineOf(run.stdout, 'max_slot_wal_keep_size')).toMatch(
      /^✗ max_slot_wal_keep_size\s+-1 \(unlimited.*\n\s+fix: ALTER SYSTEM SET max_slot_wal_keep_size = '1GB'; SELECT pg_reload_conf\(\);/,
    );
    expect(lineOf(run.stdout, 'replication privilege')).toMatch(/^✓/); // superuser
  });

  it('reports the same as JSON', async () => {
    const run = await runCli(['doctor', '--config', projectConfig, '--database-url', cluster.url, '--json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as {
      ok: boolean;
      checks: { name: string; status: string; code?: string; fix?: string }[];
    };
    expect(report.ok).toBe(false);
    const wal = report.checks.find((c) => c.name === 'wal_level');
    expect(wal).toMatchObject({ status: 'fail', code: 'PG_SETTING_INVALID' });
    expect(wal?.fix).toContain("ALTER SYSTEM SET wal_level = 'logical'");
  });
});

describe('doctor on a slot past max_slot_wal_keep_size', () => {
  let cluster: Awaited<ReturnType<typeof startCluster>>;
  let db: pg.Client;
  beforeAll(async () => {
    cluster = await startCluster({
      max_slot_wal_keep_size: '1MB',
      min_wal_size: '32MB',
      max_wal_size: '64MB',
    });
    await applySchema(cluster.url, project.schema, {
      logger: quietLogger as never,
    });
    db = new pg.Client({ connectionString: cluster.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await cluster?.stop();
  });

  it('flags an inactive slot, then an invalidated one, with the drop command', async () => {
    await db.query("SELECT pg_create_logical_replication_slot('stale_slot', 'pgoutput')");
    let report = await runDoctor({ config: project, databaseUrl: cluster.url });
    let slot = report.checks.find((c) => c.name === 'slot stale_slot');
    expect(slot).toMatchObject({ status: 'fail', code: 'REPL_SLOT_FAILED' });
    expect(slot?.detail).toMatch(/inactive/);
    expect(slot?.fix).toContain("SELECT pg_drop_replication_slot('stale_slot');");

    // Write well past 1MB of WAL, switch segments and checkpoint: Postgres invalidates the slot.
    await db.query('CREATE TABLE filler (x text)');
    for (let i = 0; i < 4; i++) {
      await db.query("INSERT INTO filler SELECT repeat('x', 1000) FROM generate_series(1, 20000)");
      await db.query('SELECT pg_switch_wal()');
    }
    await db.query('CHECKPOINT');
    const { rows } = await db.query<{ wal_status: string }>(
      "SELECT wal_status FROM pg_replication_slots WHERE slot_name = 'stale_slot'",
    );
    expect(['lost', 'unreserved']).toContain(rows[0]?.wal_status);
    report = await runDoctor({ config: project, databaseUrl: cluster.url });
    slot = report.checks.find((c) => c.name === 'slot stale_slot');
    expect(slot).toMatchObject({ status: 'fail', code: 'REPL_SLOT_FAILED' });
    expect(slot?.detail).toMatch(/invalidated|about to be invalidated/);
    expect(slot?.fix).toContain("pg_drop_replication_slot('stale_slot')");
    expect(report.ok).toBe(false);
  });
});
