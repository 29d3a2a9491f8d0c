import { SyncError } from '@syncline/errors';
import type pg from 'pg';

/** One checked server setting. */
export interface SettingCheck {
  /** Setting or privilege name. */
  name: string;
  ok: boolean;
  /** Current value as the server reports it. */
  current: string;
  /** What Syncline needs. */
  expected: string;
  /** SQL (or instruction) that fixes it; empty when ok. */
  fix: string;
  /** Whether the fix needs a server restart. */
  restart: boolean;
}

type Queryable = Pick<pg.Client, 'query'>;

/**
 * Checks the settings logical replication needs: `wal_level=logical`, enough replication slots and WAL
 * senders, bounded WAL retention for slots (`max_slot_wal_keep_size`), and a role allowed to replicate.
 *
 * @example
 * for (const c of await checkReplicationSettings(client)) if (!c.ok) console.log(c.name, c.current, c.fix);
 */
export async function checkReplicationSettings(client: Queryable): Promise<SettingCheck[]> {
  const { rows } = await client.query<{ name: string; setting: string; unit: string | null }>(
    `SELECT name, setting, unit FROM pg_settings
      WHERE name IN ('wal_level', 'max_replication_slots', 'max_wal_senders', 'max_slot_wal_keep_size', 'server_version_num')`,
  );
  const get = (n: string) => rows.find((r) => r.name === n);
  const checks: SettingCheck[] = [];
  const walLevel = get('wal_level')?.setting ?? 'unknown';
  checks.push({
    name: 'wal_level',
    ok: walLevel === 'logical',
    current: walLevel,
    expected: 'logical',
    fix: walLevel === 'logical' ? '' : "ALTER SYSTEM SET wal_level = 'logical'; -- then restart Postgres",
    restart: true,
  });
  for (const [name, min] of [
    ['max_replication_slots', 2],
    ['max_wal_senders', 2],
  ] as const) {
    const value = Number(get(name)?.setting ?? 0);
    checks.push({
      name,
      ok: value >= min,
      current: String(value),
      expected: `>= ${min} (10 or more recommended)`,
      fix: value >= min ? '' : `ALTER SYSTEM SET ${name} = 10; -- then restart Postgres`,
      restart: true,
    });
  }
  const keep = get('max_slot_wal_keep_size');
  const keepMb = Number(keep?.setting ?? -1);
  checks.push({
    name: 'max_slot_wal_keep_size',
    ok: keepMb >= 0,
    current: keepMb < 0 ? '-1 (unlimited: a stalled slot can fill the disk)' : `${keepMb}MB`,
    expected: 'a limit, e.g. 1GB',
    fix: keepMb >= 0 ? '' : "ALTER SYSTEM SET max_slot_wal_keep_size = '1GB'; SELECT pg_reload_conf();",
    restart: false,
  });
  const { rows: roles } = await client.query<{ rolname: string; rolreplication: boolean; rolsuper: boolean }>(
    'SELECT rolname, rolreplication, rolsuper FROM pg_roles WHERE rolname = current_user',
  );
  const role = roles[0];
  const canReplicate = !!role && (role.rolreplication || role.rolsuper);
  checks.push({
    name: 'replication privilege',
    ok: canReplicate,
    current: role
      ? `${role.rolname}: ${role.rolsuper ? 'superuser' : role.rolreplication ? 'REPLICATION' : 'no REPLICATION'}`
      : 'unknown role',
    expected: 'REPLICATION (or superuser)',
    fix: canReplicate ? '' : `ALTER ROLE ${role?.rolname ?? '<role>'} WITH REPLICATION;`,
    restart: false,
  });
  return checks;
}

/**
 * Throws `PG_SETTING_INVALID` naming every setting that blocks logical replication, with its current
 * value and the SQL that fixes it.
 *
 * @example
 * await assertReplicationReady(client); // before starting replication on a user-supplied DATABASE_URL
 */
export async function assertReplicationReady(client: Queryable): Promise<SettingCheck[]> {
  const checks = await checkReplicationSettings(client);
  const bad = checks.filter((c) => !c.ok);
  if (bad.length) {
    const lines = bad.map((c) => `  ✗ ${c.name} is ${c.current}, needs ${c.expected}. Fix: ${c.fix}`);
    throw new SyncError(
      'PG_SETTING_INVALID',
      `This Postgres server is not ready for logical replication:\n${lines.join('\n')}`,
      {
        details: {
          settings: bad.map(({ name, current, expected, fix }) => ({ name, current, expected, fix })),
        },
      },
    );
  }
  return checks;
}
