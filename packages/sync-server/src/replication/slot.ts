import { type Logger, SyncError } from '@syncline/errors';
import pg from 'pg';

/** Connection settings every replication and snapshot connection uses (stable text formats). */
export const SESSION_OPTIONS =
  '-c TimeZone=UTC -c DateStyle=ISO -c IntervalStyle=postgres -c extra_float_digits=1';

/** A slot created with an exported snapshot; the snapshot lives while `connection` stays open and idle. */
export interface CreatedSlot {
  consistentPoint: string;
  snapshotName: string;
  connection: pg.Client;
}

/** Slot status on the source database. */
export async function slotStatus(
  db: Pick<pg.ClientBase, 'query'>,
  slot: string,
): Promise<{ exists: boolean; active: boolean; activePid: number | null }> {
  const { rows } = await db.query<{ active: boolean; active_pid: number | null }>(
    'SELECT active, active_pid FROM pg_replication_slots WHERE slot_name = $1',
    [slot],
  );
  const r = rows[0];
  return { exists: !!r, active: !!r?.active, activePid: r?.active_pid ?? null };
}

/** Drops a slot; an active one is only dropped when its consumer is gone within a few seconds. */
export async function dropSlot(
  db: Pick<pg.ClientBase, 'query'>,
  slot: string,
  logger: Logger,
): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const st = await slotStatus(db, slot);
    if (!st.exists) return;
    if (!st.active) {
      await db
        .query('SELECT pg_drop_replication_slot($1)', [slot])
        .catch((e: Error) => logger.warn('dropping slot failed', { slot, error: e }));
      continue;
    }
    if (i === 0)
      logger.warn('replication slot is in use; waiting for its consumer to stop', {
        slot,
        pid: st.activePid,
      });
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new SyncError(
    'REPL_SLOT_FAILED',
    `Replication slot "${slot}" is in use by another process. Stop the other sync server, or give this one its own slot (replication.slot_name).`,
  );
}

/**
 * Creates a logical slot (pgoutput) and exports its snapshot, so the initial copy sees exactly the data
 * before the slot's consistent point and streaming starts right after it.
 */
export async function createSlotWithSnapshot(url: string, slot: string): Promise<CreatedSlot> {
  const connection = new pg.Client({
    connectionString: url,
    replication: 'database',
    options: SESSION_OPTIONS,
  } as pg.ClientConfig);
  connection.on('error', () => undefined); // surfaces through the query that fails
  await connection.connect();
  try {
    const { rows } = await connection.query<{ consistent_point: string; snapshot_name: string }>(
      `CREATE_REPLICATION_SLOT "${slot.replace(/"/g, '')}" LOGICAL pgoutput EXPORT_SNAPSHOT`,
    );
    const r = rows[0];
    if (!r?.snapshot_name) throw new SyncError('REPL_SLOT_FAILED', 'no snapshot exported');
    return { consistentPoint: r.consistent_point, snapshotName: r.snapshot_name, connection };
  } catch (e) {
    await connection.end().catch(() => undefined);
    const err = e as { code?: string; message: string };
    if (err.code === '55000' || /wal_level/.test(err.message)) {
      throw new SyncError(
        'REPL_WAL_LEVEL',
        `Logical replication is off: ${err.message}. Set wal_level = logical and restart Postgres.`,
        { cause: e },
      );
    }
    throw new SyncError('REPL_SLOT_FAILED', `Creating replication slot "${slot}" failed: ${err.message}`, {
      cause: e,
    });
  }
}

/** Tables in the publication. */
export async function publicationTables(
  db: Pick<pg.ClientBase, 'query'>,
  publication: string,
): Promise<{ schema: string; name: string }[]> {
  const { rows: pub } = await db.query('SELECT 1 FROM pg_publication WHERE pubname = $1', [publication]);
  if (pub.length === 0) {
    throw new SyncError(
      'REPL_PUBLICATION_MISSING',
      `Publication "${publication}" does not exist. Create it: CREATE PUBLICATION ${publication} FOR TABLE <your synced tables>;`,
    );
  }
  const { rows } = await db.query<{ schemaname: string; tablename: string }>(
    'SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = $1 ORDER BY 1, 2',
    [publication],
  );
  return rows.map((r) => ({ schema: r.schemaname, name: r.tablename }));
}

/** A slot name unique to a database and storage schema (slots are cluster-wide). */
export function defaultSlotName(database: string, storageSchema: string): string {
  const clean = `${database}_${storageSchema}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return `syncline_${clean}`.slice(0, 63);
}

/**
 * A WAL position at or after everything committed so far: a logical message (prefix `syncline`) that
 * replication will pass, and store, once it has replicated every earlier commit.
 */
export async function emitWalMarker(db: Pick<pg.ClientBase, 'query'>): Promise<string> {
  const { rows } = await db.query<{ lsn: string }>(
    `SELECT pg_logical_emit_message(false, 'syncline', 'write-checkpoint')::text AS lsn`,
  );
  return rows[0]!.lsn;
}
