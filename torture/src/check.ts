/**
 * The checks at quiescence: every device holds exactly the rows its user may see (ids and values), bucket
 * storage holds exactly the rows Postgres has, every acknowledged upload is in Postgres.
 */
import type pg from 'pg';
import type { Device } from './devices.js';
import { allIds, type Row, TABLES, visibleRows } from './model.js';

/** Differences of one device (or fresh verifier) from what its user may see. */
export interface DeviceDiff {
  device: string;
  rows: number;
  /** Rows the user may see that the device lacks. */
  missing: number;
  /** Rows the device holds that the user may not see (deleted, revoked, or never theirs). */
  extra: number;
  /** Rows with values that differ from Postgres. */
  stale: number;
  samples: string[];
}

function norm(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return String(v);
}

/** Compares a device's tables with the expected rows. */
export async function diffDevice(
  device: Device,
  expected: Map<string, Map<string, Row>>,
): Promise<DeviceDiff> {
  const diff: DeviceDiff = { device: device.name, rows: 0, missing: 0, extra: 0, stale: 0, samples: [] };
  const sample = (s: string) => {
    if (diff.samples.length < 8) diff.samples.push(s);
  };
  for (const t of TABLES) {
    const want = expected.get(t.name)!;
    const have = new Map(
      (await device.all<Row>(`SELECT * FROM ${t.name}`)).map((r) => [String(r.id), r] as const),
    );
    diff.rows += have.size;
    for (const [id, row] of want) {
      const got = have.get(id);
      if (!got) {
        diff.missing++;
        sample(`missing ${t.name}/${id}`);
        continue;
      }
      const bad = t.columns.filter((c) => norm(got[c.name]) !== norm(row[c.name]));
      if (bad.length) {
        diff.stale++;
        const c = bad[0]!.name;
        sample(`stale ${t.name}/${id}.${c}: device ${JSON.stringify(got[c])} ≠ pg ${JSON.stringify(row[c])}`);
      }
    }
    for (const id of have.keys()) {
      if (!want.has(id)) {
        diff.extra++;
        sample(`extra ${t.name}/${id}`);
      }
    }
  }
  return diff;
}

/** Rows per source table in Postgres vs in bucket storage (`current_rows`). */
export interface StorageDiff {
  table: string;
  postgres: number;
  storage: number;
  missing: number;
  extra: number;
  samples: string[];
}

export async function diffStorage(
  source: Pick<pg.Pool, 'query'>,
  storage: Pick<pg.Pool, 'query'>,
  schemaName = 'syncline',
): Promise<StorageDiff[]> {
  const ids = await allIds(source);
  const out: StorageDiff[] = [];
  for (const [table, pgIds] of ids) {
    const { rows } = await storage.query<{ row_key: string }>(
      `SELECT row_key FROM "${schemaName}".current_rows WHERE source_table = $1`,
      [`public.${table}`],
    );
    const stored = new Set(rows.map((r) => r.row_key));
    const d: StorageDiff = {
      table,
      postgres: pgIds.size,
      storage: stored.size,
      missing: 0,
      extra: 0,
      samples: [],
    };
    for (const id of pgIds)
      if (!stored.has(id)) {
        d.missing++;
        if (d.samples.length < 5) d.samples.push(`missing ${id}`);
      }
    for (const id of stored)
      if (!pgIds.has(id)) {
        d.extra++;
        if (d.samples.length < 5) d.samples.push(`extra ${id}`);
      }
    out.push(d);
  }
  return out;
}

/** Acknowledged uploads (completed, not rejected) that Postgres does not have. */
export async function lostUploads(
  source: Pick<pg.Pool, 'query'>,
  device: Device,
): Promise<{ acknowledged: number; lost: string[] }> {
  const rejected = new Set(
    (
      await device.all<{ row_id: string }>(
        `SELECT row_id FROM sync_rejections WHERE table_name = 'document_versions'`,
      )
    ).map((r) => r.row_id),
  );
  const ids = device.stats.versions.filter((id) => !rejected.has(id));
  const { rows } = await source.query<{ id: string }>('SELECT id FROM document_versions WHERE id = ANY($1)', [
    ids,
  ]);
  const found = new Set(rows.map((r) => r.id));
  return { acknowledged: ids.length, lost: ids.filter((id) => !found.has(id)) };
}

export { visibleRows };
