import type pg from 'pg';

/**
 * Bucket storage tables, in their own Postgres schema (default `syncline`). Everything here is derived
 * from the source tables and can be rebuilt; only `write_checkpoints` and the op-id counter must never
 * go backwards.
 */
export function storageDdl(schema: string): string[] {
  const s = `"${schema.replace(/"/g, '""')}"`;
  return [
    `CREATE SCHEMA IF NOT EXISTS ${s}`,
    // One row: replication position, checkpoint head and the op-id counter.
    `CREATE TABLE IF NOT EXISTS ${s}.sync_state (
      id int PRIMARY KEY CHECK (id = 1),
      rules_hash text NOT NULL,
      rules_version int NOT NULL,
      slot_name text NOT NULL,
      snapshot_done boolean NOT NULL DEFAULT false,
      head bigint NOT NULL DEFAULT 0,
      next_op_id bigint NOT NULL DEFAULT 1,
      lsn pg_lsn NOT NULL DEFAULT '0/0',
      compaction_epoch bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now())`,
    // The op log: one row per op, pre-encoded for both wire formats (never re-serialised on read):
    // `line` is the op's JSON (NDJSON streams), `bson` its BSON document (BSON streams, RSocket).
    `CREATE TABLE IF NOT EXISTS ${s}.bucket_ops (
      bucket text NOT NULL,
      op_id bigint NOT NULL,
      op smallint NOT NULL,
      row_key text,
      checksum bigint NOT NULL,
      line text NOT NULL,
      bson bytea NOT NULL,
      PRIMARY KEY (bucket, op_id))`,
    // Per-bucket checksum (u32 sum of all ops), op count and live-row count, maintained incrementally.
    `CREATE TABLE IF NOT EXISTS ${s}.bucket_state (
      bucket text PRIMARY KEY,
      checksum bigint NOT NULL,
      op_count bigint NOT NULL,
      live_count bigint NOT NULL,
      last_op_id bigint NOT NULL,
      compacted_through bigint NOT NULL DEFAULT 0)`,
    `CREATE INDEX IF NOT EXISTS bucket_state_last_op_id ON ${s}.bucket_state (last_op_id)`,
    // Which bucket entries and parameter lookups each source row currently produces.
    `CREATE TABLE IF NOT EXISTS ${s}.current_rows (
      source_table text NOT NULL,
      row_key text NOT NULL,
      entries text NOT NULL,
      lookups text NOT NULL,
      PRIMARY KEY (source_table, row_key))`,
    // Parameter-query results: lookup → bucket parameters, per source row.
    `CREATE TABLE IF NOT EXISTS ${s}.parameter_index (
      lookup text NOT NULL,
      source_table text NOT NULL,
      row_key text NOT NULL,
      params text NOT NULL,
      PRIMARY KEY (lookup, source_table, row_key))`,
    `CREATE TABLE IF NOT EXISTS ${s}.lookup_versions (
      lookup text PRIMARY KEY,
      op_id bigint NOT NULL)`,
    `CREATE INDEX IF NOT EXISTS lookup_versions_op_id ON ${s}.lookup_versions (op_id)`,
    // Write checkpoints: per (user, client) an increasing id and the WAL position it stands for.
    `CREATE TABLE IF NOT EXISTS ${s}.write_checkpoints (
      user_id text NOT NULL,
      client_id text NOT NULL,
      id bigint NOT NULL,
      lsn pg_lsn NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (user_id, client_id, id))`,
    // Source tables whose initial snapshot is done.
    `CREATE TABLE IF NOT EXISTS ${s}.source_tables (
      qualified_name text PRIMARY KEY,
      snapshot_done boolean NOT NULL DEFAULT false)`,
  ];
}

/**
 * Version of the derived tables' layout. A server that finds another version drops them and rebuilds from
 * the source tables (op ids and write checkpoints live in kept tables and never go backwards).
 */
export const STORAGE_FORMAT = 3;

/** Tables holding derived data, truncated on a rebuild. */
export const DERIVED_TABLES = [
  'bucket_ops',
  'bucket_state',
  'current_rows',
  'parameter_index',
  'lookup_versions',
  'source_tables',
];

/**
 * Creates the storage tables if missing. Under an advisory lock (several processes may start at once); a
 * different storage format drops the derived tables, so they are rebuilt from the source tables.
 */
export async function ensureStorage(pool: pg.Pool, schema: string): Promise<void> {
  const s = `"${schema.replace(/"/g, '""')}"`;
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`syncline-storage-ddl:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${s}.storage_format (id int PRIMARY KEY CHECK (id = 1), version int NOT NULL)`,
    );
    const { rows } = await client.query<{ version: number }>(
      `SELECT version FROM ${s}.storage_format WHERE id = 1`,
    );
    const found = rows[0]?.version;
    if (found !== STORAGE_FORMAT) {
      // Another layout (or a first start): the derived tables are rebuilt from the source tables.
      for (const t of DERIVED_TABLES) await client.query(`DROP TABLE IF EXISTS ${s}.${t}`);
      await client
        .query(`UPDATE ${s}.sync_state SET snapshot_done = false WHERE id = 1`)
        .catch(() => undefined);
      await client.query(
        `INSERT INTO ${s}.storage_format (id, version) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version`,
        [STORAGE_FORMAT],
      );
    }
    for (const sql of storageDdl(schema)) await client.query(sql);
  } finally {
    await client
      .query('SELECT pg_advisory_unlock(hashtext($1))', [`syncline-storage-ddl:${schema}`])
      .catch(() => undefined);
    client.release();
  }
}
