/**
 * Replication lag as the clients feel it: how far bucket storage's replicated position (`sync_state.lsn`)
 * is behind Postgres' WAL, sampled every second during the load, and how long storage took after the
 * load to pass the WAL position where the load ended. A device applies nothing newer than its own last
 * upload until storage passed it, so a lag that outgrows the quiescence wait shows up as devices that
 * "do not catch up" — this tells that apart from a device that is stuck.
 */
import type pg from 'pg';
import { sleep } from './random.js';

export interface LagStats {
  /** Largest lag seen during the load (bytes of WAL). */
  maxBytes: number;
  /** Lag when the load stopped. */
  endBytes: number;
  /** ms from the end of the load until storage passed the markers committed after it (null: not within the wait). */
  drainMs: number | null;
}

const LAG_SQL = `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), lsn)::float8 AS lag
  FROM syncline.sync_state WHERE id = 1`;

async function lagNow(storage: pg.Pool): Promise<{ lag: number } | null> {
  const { rows } = await storage.query<{ lag: number }>(LAG_SQL);
  return rows[0] ?? null;
}

/** Samples the lag every second until `signal` aborts. */
export async function sampleLag(storage: pg.Pool, signal: AbortSignal, stats: LagStats): Promise<void> {
  while (!signal.aborted) {
    await sleep(1000, signal);
    const r = await lagNow(storage).catch(() => null); // Postgres restarting
    if (r && r.lag > stats.maxBytes) stats.maxBytes = r.lag;
  }
}

/** The lag right now (when the load stopped). */
export async function endLag(storage: pg.Pool, stats: LagStats): Promise<void> {
  const r = await lagNow(storage).catch(() => null);
  if (r) stats.endBytes = Math.max(0, r.lag);
}

/**
 * Waits (≤ `timeoutMs`) until storage's replicated position passed `target` (a WAL position inside the last
 * marker's transaction) and records how long after the load (`loadEndedAt`) that was. Returns whether it did.
 */
export async function waitStoragePassed(
  storage: pg.Pool,
  target: string,
  stats: LagStats,
  timeoutMs: number,
  loadEndedAt: number,
): Promise<boolean> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    try {
      const { rows } = await storage.query<{ passed: boolean }>(
        'SELECT lsn >= $1::pg_lsn AS passed FROM syncline.sync_state WHERE id = 1',
        [target],
      );
      if (rows[0]?.passed) {
        stats.drainMs = Date.now() - loadEndedAt;
        return true;
      }
    } catch {
      // Postgres restarting
    }
    await sleep(250);
  }
  return false;
}

export const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
