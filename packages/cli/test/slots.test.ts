/**
 * `syncline slots`: after a switch the previous sync server's slot is inactive and keeps WAL; the command
 * lists it and drops it when asked (--drop-inactive / --drop NAME), never a slot a running server reads.
 */
import { applySchema } from '@syncline/postgres/migrate';
import type { SyncServer } from '@syncline/sync-server';
import { useTestDatabase, waitFor } from '@syncline/test-utils';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlotsReport } from '../src/slots/index.js';
import project from './fixtures/project/syncline.config.js';
import { quietLogger, runCli, startApi, startSync } from './helpers.js';

const db = useTestDatabase('cli_slots');
let sync: SyncServer;
let api: Awaited<ReturnType<typeof startApi>>;
const old = () => `${db.name}_previous`;
const live = () => `${db.name}_live`;

async function slotNames(): Promise<string[]> {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  const { rows } = await c.query<{ n: string }>(
    'SELECT slot_name AS n FROM pg_replication_slots WHERE database = current_database() ORDER BY 1',
  );
  await c.end();
  return rows.map((r) => r.n);
}

beforeAll(async () => {
  await applySchema(db.url, project.schema, { logger: quietLogger as never });
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  await c.query("SELECT pg_create_logical_replication_slot($1, 'pgoutput')", [old()]); // the previous server's
  await c.end();
  api = await startApi(db.url);
  sync = await startSync(db.url, api, { slotName: live() });
  await waitFor(async () => (await slotNames()).includes(live()), { timeout: 20_000 });
});
afterAll(async () => {
  await sync?.stop();
  await api?.stop();
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  await c.query(
    'SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ANY($1) AND NOT active',
    [[old(), live()]],
  );
  await c.end();
});

describe('syncline slots', () => {
  it('lists active and inactive slots and suggests --drop-inactive', async () => {
    const run = await runCli(['slots', '--database-url', db.url]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^! ${old()}\\s+INACTIVE pgoutput, retains \\d`, 'm'));
    expect(run.stdout).toMatch(new RegExp(`^✓ ${live()}\\s+active`, 'm'));
    expect(run.stdout).toContain('syncline slots --drop-inactive');
  });

  it('refuses to drop the slot a running server reads (exit 1), and leaves it', async () => {
    const run = await runCli(['slots', '--database-url', db.url, '--drop', live()]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/REPL_SLOT_FAILED: Slot ".*_live" is in use by a running sync server/);
    expect(await slotNames()).toEqual([live(), old()].sort());
  });

  it('drops the inactive slot only with --drop-inactive', async () => {
    const run = await runCli(['slots', '--database-url', db.url, '--drop-inactive', '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as SlotsReport;
    expect(report.dropped).toEqual([old()]);
    expect(report.slots.map((s) => s.name)).toEqual([live()]);
    expect(await slotNames()).toEqual([live()]);
  });
});
