import { SyncError } from '@syncline/errors';
import { withTransaction } from '@syncline/postgres/tx';
import type pg from 'pg';
import type { Encoding } from '../protocol/lines.js';
import { DERIVED_TABLES, ensureStorage } from './ddl.js';
import { type OpsRange, readOps } from './read-ops.js';

export type { OpsRange } from './read-ops.js';

import { WriteCheckpointTable } from './write-checkpoints.js';

/** The replication/storage state row. */
export interface SyncState {
  rulesHash: string;
  rulesVersion: number;
  slotName: string;
  snapshotDone: boolean;
  head: bigint;
  nextOpId: bigint;
  lsn: string;
  compactionEpoch: bigint;
}

/** A bucket's state at a checkpoint. */
export interface BucketState {
  checksum: number;
  count: number;
  lastOpId: bigint;
  compactedThrough: bigint;
}

type Queryable = Pick<pg.ClientBase, 'query'>;

/**
 * Reads and administers bucket storage. Writes of replicated data go through `StorageWriter`; everything a
 * sync stream reads comes from here (or from the in-memory recent-ops cache in front of it).
 */
export class BucketStore {
  readonly pool: pg.Pool;
  readonly schema: string;
  private readonly s: string;

  /** Write checkpoints and checkpoint requests. */
  readonly writeCheckpoints: WriteCheckpointTable;

  constructor(pool: pg.Pool, schema = 'syncline') {
    this.pool = pool;
    this.schema = schema;
    this.s = `"${schema.replace(/"/g, '""')}"`;
    this.writeCheckpoints = new WriteCheckpointTable(pool, this.s);
  }

  /** Creates the storage tables if missing (rebuilding derived tables of another storage format). */
  async init(): Promise<void> {
    await ensureStorage(this.pool, this.schema);
  }

  /** The state row, or null before the first start. */
  async state(db: Queryable = this.pool): Promise<SyncState | null> {
    const { rows } = await db.query<Record<string, string | boolean | number>>(
      `SELECT rules_hash, rules_version, slot_name, snapshot_done, head, next_op_id, lsn::text AS lsn, compaction_epoch FROM ${this.s}.sync_state WHERE id = 1`,
    );
    const r = rows[0];
    if (!r) return null;
    return {
      rulesHash: String(r.rules_hash),
      rulesVersion: Number(r.rules_version),
      slotName: String(r.slot_name),
      snapshotDone: Boolean(r.snapshot_done),
      head: BigInt(r.head as string),
      nextOpId: BigInt(r.next_op_id as string),
      lsn: String(r.lsn),
      compactionEpoch: BigInt(r.compaction_epoch as string),
    };
  }

  /**
   * Starts over for new sync rules (or a lost slot): derived tables are emptied, the rules version goes up
   * (new bucket names), the op-id counter and write checkpoints are kept so ids never go backwards.
   */
  async resetForRebuild(rulesHash: string, slotName: string): Promise<SyncState> {
    await withTransaction(this.pool, async (client) => {
      await client.query(`TRUNCATE ${DERIVED_TABLES.map((t) => `${this.s}.${t}`).join(', ')}`);
      await client.query(
        `INSERT INTO ${this.s}.sync_state (id, rules_hash, rules_version, slot_name) VALUES (1, $1, 1, $2)
         ON CONFLICT (id) DO UPDATE SET rules_hash = EXCLUDED.rules_hash, rules_version = ${this.s}.sync_state.rules_version + 1,
           slot_name = EXCLUDED.slot_name, snapshot_done = false, lsn = '0/0', next_op_id = GREATEST(${this.s}.sync_state.next_op_id, ${this.s}.sync_state.head + 1),
           compaction_epoch = ${this.s}.sync_state.compaction_epoch + 1, updated_at = now()`,
        [rulesHash, slotName],
      );
    });
    return (await this.state())!;
  }

  /** Deletes ops above the head: leftovers of a storage transaction that never committed (cannot exist, but cheap to enforce). */
  async discardUncommitted(head: bigint): Promise<void> {
    await this.pool.query(`DELETE FROM ${this.s}.bucket_ops WHERE op_id > $1`, [String(head)]);
  }

  /** Source tables whose snapshot is in storage. */
  async snapshottedTables(): Promise<string[]> {
    const { rows } = await this.pool.query<{ qualified_name: string }>(
      `SELECT qualified_name FROM ${this.s}.source_tables WHERE snapshot_done`,
    );
    return rows.map((r) => r.qualified_name);
  }

  /** Records that these source tables' snapshots are in storage. */
  async markSnapshotted(tables: readonly string[]): Promise<void> {
    if (!tables.length) return;
    await this.pool.query(
      `INSERT INTO ${this.s}.source_tables (qualified_name, snapshot_done) SELECT unnest($1::text[]), true
       ON CONFLICT (qualified_name) DO UPDATE SET snapshot_done = true`,
      [tables],
    );
  }

  /**
   * Gives Postgres statistics of the op log after a bulk load (a snapshot): without them it plans a page
   * read as a bitmap scan plus sort of every remaining op of the bucket instead of an index range scan.
   */
  async analyze(): Promise<void> {
    await this.pool.query(`ANALYZE ${this.s}.bucket_ops, ${this.s}.current_rows`);
  }

  /** Forgets source tables (they left the publication; re-adding them rebuilds their rows). */
  async forgetTables(tables: readonly string[]): Promise<void> {
    if (!tables.length) return;
    await this.pool.query(`DELETE FROM ${this.s}.source_tables WHERE qualified_name = ANY($1::text[])`, [
      tables,
    ]);
  }

  /** Records the replicated WAL position when no data changed (write-checkpoint messages). */
  async advanceLsn(lsn: string): Promise<void> {
    await this.pool.query(
      `UPDATE ${this.s}.sync_state SET lsn = GREATEST(lsn, $1::pg_lsn), updated_at = now() WHERE id = 1`,
      [lsn],
    );
  }

  /**
   * Runs `fn` in a read-only REPEATABLE READ transaction, so the head, parameter lookups and bucket states
   * it reads all belong to one checkpoint.
   */
  async consistentRead<T>(
    fn: (
      db: pg.PoolClient,
      head: { head: bigint; lsn: string; snapshotDone: boolean; epoch: bigint },
    ) => Promise<T>,
  ): Promise<T> {
    return withTransaction(
      this.pool,
      async (client) => {
        const { rows } = await client.query<{
          head: string;
          lsn: string;
          snapshot_done: boolean;
          compaction_epoch: string;
        }>(
          `SELECT head, lsn::text AS lsn, snapshot_done, compaction_epoch FROM ${this.s}.sync_state WHERE id = 1`,
        );
        const r = rows[0];
        if (!r) throw new SyncError('SYNC_NOT_READY', 'Bucket storage is not initialised yet');
        return fn(client, {
          head: BigInt(r.head),
          lsn: r.lsn,
          snapshotDone: r.snapshot_done,
          epoch: BigInt(r.compaction_epoch),
        });
      },
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    );
  }

  /** Bucket states (buckets with no ops are absent). */
  async bucketStates(db: Queryable, buckets: readonly string[]): Promise<Map<string, BucketState>> {
    const out = new Map<string, BucketState>();
    if (buckets.length === 0) return out;
    const { rows } = await db.query<BucketStateRow>(
      `SELECT ${BUCKET_STATE_COLUMNS} FROM ${this.s}.bucket_state WHERE bucket = ANY($1::text[])`,
      [buckets],
    );
    for (const r of rows) out.set(r.bucket, toBucketState(r));
    return out;
  }

  /** Rows stored for parameter lookups. */
  async parameterSets(db: Queryable, lookups: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (lookups.length === 0) return out;
    const { rows } = await db.query<{ lookup: string; params: string }>(
      `SELECT lookup, params FROM ${this.s}.parameter_index WHERE lookup = ANY($1::text[])`,
      [lookups],
    );
    for (const r of rows) {
      const list = out.get(r.lookup);
      if (list) list.push(r.params);
      else out.set(r.lookup, [r.params]);
    }
    return out;
  }

  /**
   * Up to `limit` ops of a bucket with `after < op_id ≤ upTo`, ascending, in the given encoding, already
   * joined by Postgres from the stored encodings (`read-ops.ts`).
   */
  readOps(
    bucket: string,
    after: bigint,
    upTo: bigint,
    limit: number,
    encoding: Encoding = 'ndjson',
  ): Promise<OpsRange> {
    return readOps(this.pool, this.s, { bucket, after, upTo, limit, encoding });
  }

  /** Buckets changed after `since` (for processes that learn about commits through NOTIFY). */
  async changedSince(since: bigint): Promise<{ buckets: Map<string, BucketState>; lookups: Set<string> }> {
    const buckets = new Map<string, BucketState>();
    const { rows } = await this.pool.query<BucketStateRow>(
      `SELECT ${BUCKET_STATE_COLUMNS} FROM ${this.s}.bucket_state WHERE last_op_id > $1`,
      [String(since)],
    );
    for (const r of rows) buckets.set(r.bucket, toBucketState(r));
    const { rows: l } = await this.pool.query<{ lookup: string }>(
      `SELECT lookup FROM ${this.s}.lookup_versions WHERE op_id > $1`,
      [String(since)],
    );
    return { buckets, lookups: new Set(l.map((x) => x.lookup)) };
  }

  /** The highest write checkpoint of `(user, client)` whose WAL position replication has passed. */
  reachedWriteCheckpoint(
    db: Queryable,
    userId: string,
    clientId: string,
    lsn: string,
  ): Promise<bigint | null> {
    return this.writeCheckpoints.reached(db, userId, clientId, lsn);
  }

  /** Storage size figures for metrics. */
  async stats(): Promise<{ ops: number; buckets: number; rows: number }> {
    const { rows } = await this.pool.query<{ ops: string; buckets: string; rows: string }>(
      `SELECT (SELECT coalesce(sum(op_count), 0) FROM ${this.s}.bucket_state) AS ops,
              (SELECT count(*) FROM ${this.s}.bucket_state) AS buckets,
              (SELECT count(*) FROM ${this.s}.current_rows) AS rows`,
    );
    return {
      ops: Number(rows[0]?.ops ?? 0),
      buckets: Number(rows[0]?.buckets ?? 0),
      rows: Number(rows[0]?.rows ?? 0),
    };
  }
}

/** A `bucket_state` row as `pg` returns it (bigints as strings). */
interface BucketStateRow {
  bucket: string;
  checksum: string;
  op_count: string;
  last_op_id: string;
  compacted_through: string;
}

const BUCKET_STATE_COLUMNS = 'bucket, checksum, op_count, last_op_id, compacted_through';

function toBucketState(r: BucketStateRow): BucketState {
  return {
    checksum: Number(r.checksum),
    count: Number(r.op_count),
    lastOpId: BigInt(r.last_op_id),
    compactedThrough: BigInt(r.compacted_through),
  };
}
