import { checkReplicationSettings, missingTables } from '@syncline/postgres';
import type pg from 'pg';
import type { CheckResult } from '../shared/report.js';

type Db = Pick<pg.Client, 'query' | 'escapeIdentifier'>;

/** One ✓/✗ line per replication setting (`wal_level`, slots, senders, WAL retention, privilege). */
export async function settingsChecks(db: Db): Promise<CheckResult[]> {
  const settings = await checkReplicationSettings(db);
  return settings.map((s) => ({
    name: s.name,
    status: s.ok ? 'ok' : 'fail',
    detail: s.ok ? s.current : `${s.current}, needs ${s.expected}`,
    ...(s.ok
      ? {}
      : {
          fix: s.restart
            ? `${s.fix}\n(restart Postgres afterwards; with Docker: command: postgres -c ${s.name}=…)`
            : s.fix,
          code: s.name === 'replication privilege' ? 'PG_PERMISSION_DENIED' : 'PG_SETTING_INVALID',
        }),
  }));
}

const quoteList = (db: Db, tables: readonly string[]) =>
  tables
    .map((t) =>
      t.includes('.')
        ? t
            .split('.')
            .map((p) => db.escapeIdentifier(p))
            .join('.')
        : db.escapeIdentifier(t),
    )
    .join(', ');

/** The publication exists and covers every table the sync rules read. */
export async function publicationCheck(
  db: Db,
  name: string,
  tables: readonly string[],
): Promise<CheckResult> {
  const label = `publication ${name}`;
  const { rows } = await db.query<{ puballtables: boolean }>(
    'SELECT puballtables FROM pg_publication WHERE pubname = $1',
    [name],
  );
  if (rows.length === 0) {
    return {
      name: label,
      status: 'fail',
      code: 'REPL_PUBLICATION_MISSING',
      detail: 'does not exist',
      fix: tables.length
        ? `CREATE PUBLICATION ${db.escapeIdentifier(name)} FOR TABLE ${quoteList(db, tables)};`
        : `CREATE PUBLICATION ${db.escapeIdentifier(name)};`,
    };
  }
  if (rows[0]!.puballtables) return { name: label, status: 'ok', detail: 'FOR ALL TABLES' };
  const missing = await missingTables(db, { name, tables });
  if (missing.length) {
    return {
      name: label,
      status: 'fail',
      code: 'REPL_PUBLICATION_MISSING',
      detail: `does not cover ${missing.join(', ')} (rows of these tables never reach the sync server)`,
      fix: `ALTER PUBLICATION ${db.escapeIdentifier(name)} ADD TABLE ${quoteList(db, missing)};`,
    };
  }
  return { name: label, status: 'ok', detail: `covers all ${tables.length} synced table(s)` };
}

/** Schemas holding bucket storage: Syncline's sync server (`syncline`) and the official service (`powersync`). */
const STORAGE_SCHEMAS = ['syncline', 'powersync'];

/**
 * Warns when the publication carries bucket storage's own tables (a `FOR ALL TABLES` publication with storage
 * in the same database, as the seed recipe sets it up): every storage write is then decoded and streamed back
 * to the sync server. Syncline ignores those changes (no loop), but the walsender still pays for each one.
 */
export async function storagePublishedCheck(
  db: Db,
  name: string,
  synced: readonly string[],
): Promise<CheckResult> {
  const label = 'publication excludes storage';
  const { rows } = await db.query<{ schemaname: string; n: string }>(
    `SELECT schemaname, count(*)::text AS n FROM pg_publication_tables
      WHERE pubname = $1 AND schemaname = ANY($2::text[]) GROUP BY schemaname ORDER BY 1`,
    [name, STORAGE_SCHEMAS],
  );
  if (rows.length === 0)
    return { name: label, status: 'ok', detail: 'no bucket storage tables are published' };
  const which = rows.map((r) => `${r.schemaname}.* (${r.n} tables)`).join(', ');
  return {
    name: label,
    status: 'warn',
    code: 'REPL_PUBLICATION_INCLUDES_STORAGE',
    detail: `publication ${name} includes bucket storage tables ${which}: each storage write is decoded and streamed back`,
    fix: synced.length
      ? `Publish the synced tables only (the sync server needs nothing else):\nBEGIN; DROP PUBLICATION ${db.escapeIdentifier(name)}; CREATE PUBLICATION ${db.escapeIdentifier(name)} FOR TABLE ${quoteList(db, synced)}; COMMIT;\nor keep bucket storage in its own database (storage.uri / PS_STORAGE_URL).`
      : 'Publish only the synced tables (CREATE PUBLICATION … FOR TABLE …), or keep bucket storage in its own database (storage.uri / PS_STORAGE_URL).',
  };
}

interface SlotRow {
  slot_name: string;
  plugin: string | null;
  active: boolean;
  wal_status: string | null;
  retained: string | null;
  keep_mb: string;
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

export { bytes as formatBytes };

/**
 * Logical replication slots of this database: each must be active (a sync server consumes it) and its
 * retained WAL well under `max_slot_wal_keep_size`; an invalidated (`lost`) slot must be dropped.
 */
export async function slotChecks(db: Db): Promise<CheckResult[]> {
  const { rows } = await db.query<SlotRow>(
    `SELECT slot_name, plugin, active, wal_status,
            pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint::text AS retained,
            current_setting('max_slot_wal_keep_size') AS keep_mb
       FROM pg_replication_slots
      WHERE database = current_database() AND slot_type = 'logical'
      ORDER BY slot_name`,
  );
  if (rows.length === 0) {
    return [
      {
        name: 'replication slots',
        status: 'warn',
        detail: 'none yet in this database',
        fix: 'Start the sync server: it creates its slot (syncline_<db>_<schema>, or powersync_… for the official service).',
      },
    ];
  }
  return rows.map((r) => {
    const name = `slot ${r.slot_name}`;
    const retained = Number(r.retained ?? 0);
    const limit = parseSize(r.keep_mb);
    const ofLimit =
      limit > 0 ? ` of ${bytes(limit)} max_slot_wal_keep_size` : ' (no max_slot_wal_keep_size limit)';
    const drop = `SELECT pg_drop_replication_slot('${r.slot_name.replace(/'/g, "''")}');`;
    if (r.wal_status === 'lost' || (r.retained === null && !r.active)) {
      return {
        name,
        status: 'fail',
        code: 'REPL_SLOT_FAILED',
        detail:
          'invalidated: it retained more WAL than max_slot_wal_keep_size allows, so replication cannot resume',
        fix: `Stop the sync server, then ${drop} and start it again (it re-snapshots). Raise max_slot_wal_keep_size if the server is often down for long.`,
      };
    }
    if (r.wal_status === 'unreserved' || (limit > 0 && retained > limit * 0.8)) {
      return {
        name,
        status: 'fail',
        code: 'REPL_SLOT_FAILED',
        detail: `retains ${bytes(retained)}${ofLimit}: about to be invalidated${r.active ? '' : ' (inactive)'}`,
        fix: r.active
          ? "The sync server is not keeping up: check its logs and `syncline status`; or raise the limit: ALTER SYSTEM SET max_slot_wal_keep_size = '4GB'; SELECT pg_reload_conf();"
          : `Start the sync server that owns this slot, or drop it if it is abandoned: ${drop}`,
      };
    }
    if (!r.active) {
      return {
        name,
        status: 'fail',
        code: 'REPL_SLOT_FAILED',
        detail: `inactive (no sync server is reading it), retaining ${bytes(retained)}${ofLimit}`,
        fix: `Start the sync server that owns this slot, or drop it if it is abandoned (e.g. the previous server after a switch): npx syncline slots --drop ${r.slot_name}  (or ${drop})`,
      };
    }
    return { name, status: 'ok', detail: `active, ${r.plugin ?? '?'}, retains ${bytes(retained)}${ofLimit}` };
  });
}

/** `max_slot_wal_keep_size` as bytes (`-1` → 0 = unlimited). */
function parseSize(setting: string): number {
  const m = /^(-?\d+)\s*(kB|MB|GB|TB)?$/.exec(setting.trim());
  if (!m || Number(m[1]) < 0) return 0;
  const unit = { kB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 }[m[2] ?? 'MB']!;
  return Number(m[1]) * unit;
}
