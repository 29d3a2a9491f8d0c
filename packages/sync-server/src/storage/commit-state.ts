import type pg from 'pg';
import type { Statement } from './flush.js';

/** A bucket's changes in one storage commit. */
export interface BucketChange {
  bucket: string;
  checksum: number;
  ops: number;
  live: number;
  lastOpId: bigint;
}

/** A bucket's state after the commit, and its last op id before it. */
export interface BucketAfter {
  bucket: string;
  checksum: number;
  opCount: number;
  liveCount: number;
  lastOpId: bigint;
  compactedThrough: bigint;
  prevLastOpId: bigint;
}

/** What the end of a commit writes. */
export interface CommitStateInput {
  buckets: readonly BucketChange[];
  lookups: readonly string[];
  head: bigint;
  nextOpId: bigint;
  lsn: string;
  snapshotDone?: boolean;
}

/**
 * The end of a storage commit, as one statement (one round trip on the latency path): adds the buckets'
 * checksums and counts, stamps changed parameter lookups with the new head, moves head, next op id and the
 * replicated LSN, and notifies reader processes (delivered when the transaction commits). `before` are
 * data-modifying statements run as part of the same statement (placeholders numbered before this one's).
 */
export function commitStateStatement(
  s: string,
  input: CommitStateInput,
  before: readonly Statement[] = [],
): Statement {
  const at = before.reduce((n, x) => n + x.params.length, 0);
  const $ = (n: number) => `$${n + at}`;
  const b = input.buckets;
  const pre = before.map((x, i) => `w${i} AS (${x.sql}),\n     `).join('');
  return {
    sql: `WITH ${pre}d AS (SELECT * FROM unnest(${$(1)}::text[], ${$(2)}::bigint[], ${$(3)}::bigint[], ${$(4)}::bigint[], ${$(5)}::bigint[]) AS d(bucket, checksum, ops, live, last_op_id)),
     prev AS (SELECT b.bucket, b.last_op_id FROM ${s}.bucket_state b JOIN d USING (bucket)),
     up AS (
       INSERT INTO ${s}.bucket_state AS b (bucket, checksum, op_count, live_count, last_op_id)
       SELECT bucket, checksum, ops, live, last_op_id FROM d
       ON CONFLICT (bucket) DO UPDATE SET
         checksum = (b.checksum + EXCLUDED.checksum) % 4294967296,
         op_count = b.op_count + EXCLUDED.op_count,
         live_count = b.live_count + EXCLUDED.live_count,
         last_op_id = EXCLUDED.last_op_id
       RETURNING b.bucket, b.checksum, b.op_count, b.live_count, b.last_op_id, b.compacted_through,
         (SELECT prev.last_op_id FROM prev WHERE prev.bucket = b.bucket) AS prev_last),
     lv AS (
       INSERT INTO ${s}.lookup_versions (lookup, op_id) SELECT unnest(${$(6)}::text[]), ${$(7)}::bigint
       ON CONFLICT (lookup) DO UPDATE SET op_id = EXCLUDED.op_id),
     st AS (
       UPDATE ${s}.sync_state SET head = ${$(7)}::bigint, next_op_id = ${$(8)}::bigint, lsn = GREATEST(lsn, ${$(9)}::pg_lsn),
         updated_at = now()${input.snapshotDone ? ', snapshot_done = true' : ''}
       WHERE id = 1 RETURNING compaction_epoch)
     SELECT (SELECT compaction_epoch FROM st)::text AS epoch,
       (SELECT coalesce(json_agg(json_build_array(bucket, checksum::text, op_count::text, live_count::text,
          last_op_id::text, compacted_through::text, coalesce(prev_last, 0)::text)), '[]'::json) FROM up) AS buckets,
       pg_notify('syncline_checkpoint', ${$(7)}::text) AS notified`,
    params: [
      ...before.flatMap((x) => x.params),
      b.map((x) => x.bucket),
      b.map((x) => x.checksum),
      b.map((x) => x.ops),
      b.map((x) => x.live),
      b.map((x) => String(x.lastOpId)),
      input.lookups,
      String(input.head),
      String(input.nextOpId),
      input.lsn,
    ],
  };
}

/** Runs {@link commitStateStatement} and reads what it returns. */
export async function writeCommitState(
  client: pg.PoolClient,
  s: string,
  input: CommitStateInput,
  before: readonly Statement[] = [],
): Promise<{ buckets: BucketAfter[]; compactionEpoch: bigint }> {
  const { sql, params } = commitStateStatement(s, input, before);
  const { rows } = await client.query<{ epoch: string | null; buckets: string[][] }>(sql, params);
  const row = rows[0]!;
  return {
    compactionEpoch: BigInt(row.epoch ?? 0),
    buckets: row.buckets.map(([bucket, checksum, ops, live, last, compacted, prev]) => ({
      bucket: bucket!,
      checksum: Number(checksum),
      opCount: Number(ops),
      liveCount: Number(live),
      lastOpId: BigInt(last!),
      compactedThrough: BigInt(compacted!),
      prevLastOpId: BigInt(prev!),
    })),
  };
}
