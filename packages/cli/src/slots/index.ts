import { SyncError } from '@syncline/errors';
import { redactUrl } from '@syncline/postgres';
import pg from 'pg';
import { formatBytes } from '../doctor/postgres.js';
import { commandFailed, parseCommandArgs, UsageError } from '../shared/args.js';
import { embeddedDatabaseUrl, resolveProject } from '../shared/project.js';
import type { Io } from '../shared/report.js';

/** A logical replication slot of the database. */
export interface SlotInfo {
  name: string;
  plugin: string | null;
  active: boolean;
  /** WAL the slot keeps on disk, in bytes. */
  retainedBytes: number;
  walStatus: string | null;
}

/** Result of {@link runSlots}. */
export interface SlotsReport {
  slots: SlotInfo[];
  /** Slots dropped by this run. */
  dropped: string[];
}

/** Options of {@link runSlots}. */
export interface SlotsOptions {
  databaseUrl: string;
  /** Drop these slots (each must be inactive). */
  drop?: string[];
  /** Drop every inactive logical slot of this database (e.g. the previous sync server's after a switch). */
  dropInactive?: boolean;
}

const LIST = `SELECT slot_name AS name, plugin, active, wal_status AS "walStatus",
       COALESCE(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn), 0)::bigint::text AS retained
  FROM pg_replication_slots WHERE database = current_database() AND slot_type = 'logical' ORDER BY slot_name`;

/**
 * Lists the database's logical replication slots and drops inactive ones when asked. A slot in use (a sync
 * server is reading it) is never dropped: `pg_drop_replication_slot` refuses it and so do we.
 *
 * @example
 * await runSlots({ databaseUrl, dropInactive: true }); // after switching to another sync server
 */
export async function runSlots(options: SlotsOptions): Promise<SlotsReport> {
  const client = new pg.Client({ connectionString: options.databaseUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (e) {
    throw new SyncError(
      'PG_CONNECTION_FAILED',
      `Cannot connect to ${redactUrl(options.databaseUrl)}: ${(e as Error).message}`,
    );
  }
  try {
    const list = async () =>
      (await client.query<Omit<SlotInfo, 'retainedBytes'> & { retained: string }>(LIST)).rows.map(
        ({ retained, ...s }) => ({ ...s, retainedBytes: Number(retained) }),
      );
    const slots = await list();
    const wanted = new Set(options.drop ?? []);
    for (const name of wanted) {
      const slot = slots.find((s) => s.name === name);
      if (!slot) throw new SyncError('CONFIG_INVALID_OPTION', `No logical slot "${name}" in this database`);
      if (slot.active)
        throw new SyncError(
          'REPL_SLOT_FAILED',
          `Slot "${name}" is in use by a running sync server; stop that server first`,
        );
    }
    if (options.dropInactive) for (const s of slots) if (!s.active) wanted.add(s.name);
    const dropped: string[] = [];
    for (const name of wanted) {
      // Re-checked in the statement itself: a server that grabbed the slot meanwhile keeps it.
      const { rowCount } = await client.query(
        'SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1 AND NOT active',
        [name],
      );
      if (rowCount) dropped.push(name);
    }
    return { slots: dropped.length ? await list() : slots, dropped };
  } finally {
    await client.end();
  }
}

const USAGE = `syncline slots [--database-url URL] [--config syncline.config.ts] [--drop NAME]… [--drop-inactive] [--json]

Lists the logical replication slots of the database (active or not, WAL retained). After switching to another
sync server the previous one's slot stays behind and keeps WAL: --drop-inactive (or --drop NAME) removes it.
A slot in use is never dropped. Exit codes: 0 ok, 1 database error, 2 usage error.`;

/** `syncline slots`. */
export async function slotsCommand(argv: string[], io: Io): Promise<number> {
  let json = false;
  try {
    const { values } = parseCommandArgs(argv, {
      'database-url': { type: 'string' },
      config: { type: 'string' },
      drop: { type: 'string', multiple: true },
      'drop-inactive': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    json = values.json ?? false;
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    const project =
      values['database-url'] || process.env.DATABASE_URL ? undefined : await resolveProject(values.config);
    const databaseUrl =
      values['database-url'] ||
      process.env.DATABASE_URL ||
      (project ? embeddedDatabaseUrl(project.config) : undefined);
    if (!databaseUrl)
      throw new UsageError('no database: pass --database-url, set DATABASE_URL, or pass --config');
    const report = await runSlots({
      databaseUrl,
      ...(values.drop ? { drop: values.drop } : {}),
      ...(values['drop-inactive'] ? { dropInactive: true } : {}),
    });
    if (json) io.out(JSON.stringify(report, null, 2));
    else {
      for (const name of report.dropped) io.out(`✓ dropped slot ${name}`);
      if (report.slots.length === 0) io.out('no logical replication slots in this database');
      for (const s of report.slots)
        io.out(
          `${s.active ? '✓' : '!'} ${s.name.padEnd(34)} ${s.active ? 'active  ' : 'INACTIVE'} ${s.plugin ?? '?'}, retains ${formatBytes(s.retainedBytes)}${s.walStatus === 'lost' ? ' (invalidated)' : ''}`,
        );
      if (report.slots.some((s) => !s.active) && !values['drop-inactive'])
        io.out(
          '\nInactive slots keep WAL on disk. If no sync server will read them again: syncline slots --drop-inactive',
        );
    }
    return 0;
  } catch (e) {
    return commandFailed(e, io, USAGE, {
      json,
      exitCode: (code) => (code === 'PG_CONNECTION_FAILED' || code === 'REPL_SLOT_FAILED' ? 1 : 2),
    });
  }
}
