import type { Logger } from '@syncline/errors';
import type pg from 'pg';
import { clearOpBson, withOpIdBson } from '../protocol/bson.js';
import { addChecksums } from '../protocol/checksum.js';
import { clearOpJson, OP, withOpId } from '../protocol/lines.js';
import type { BucketUpdate, CheckpointEvent } from './events.js';

/** When to compact: dead ops (superseded PUTs, REMOVEs) above both this floor and the live-row count. */
export interface CompactionPolicy {
  /** Default 1000. */
  minDeadOps: number;
  /** Compact when dead > live × ratio. Default 1. */
  deadToLiveRatio: number;
}

export const DEFAULT_COMPACTION: CompactionPolicy = { minDeadOps: 1000, deadToLiveRatio: 1 };

/** Whether a bucket with these counts should be compacted. */
export function needsCompaction(
  opCount: number,
  liveCount: number,
  policy: CompactionPolicy = DEFAULT_COMPACTION,
): boolean {
  const dead = opCount - liveCount;
  return dead > policy.minDeadOps && dead > liveCount * policy.deadToLiveRatio;
}

/** Op-id allocation shared with the writer (single writer). */
export interface OpIdSource {
  nextOpId: bigint;
  head: bigint;
}

/**
 * Compacts one bucket in one transaction: every op ≤ its last op id is replaced by a single CLEAR whose
 * checksum is the sum of the replaced ops (so the bucket checksum never changes), and the live rows are
 * re-put at the end with new op ids (read and written `pageRows` at a time). Storage per bucket is then 1 + live rows, however often rows changed.
 * Returns the checkpoint event describing the new state.
 */
export async function compactBucket(
  pool: pg.Pool,
  schema: string,
  bucket: string,
  ids: OpIdSource,
  log: Logger,
  pageRows = COMPACT_PAGE_ROWS,
): Promise<CheckpointEvent | null> {
  const s = `"${schema}"`;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows: st } = await client.query<{
      checksum: string;
      op_count: string;
      live_count: string;
      last_op_id: string;
    }>(
      `SELECT checksum, op_count, live_count, last_op_id FROM ${s}.bucket_state WHERE bucket = $1 FOR UPDATE`,
      [bucket],
    );
    const state = st[0];
    if (!state) {
      await client.query('ROLLBACK');
      return null;
    }
    const through = BigInt(state.last_op_id);
    const total = Number(state.checksum);
    // The live rows (latest op per row is a PUT), in op-id order, read through a server-side cursor a page at a
    // time: a bucket's rows are never all in memory at once. The cursor's snapshot is taken here, so the
    // re-puts inserted below (new op ids) are not read back.
    await client.query(
      `DECLARE live NO SCROLL CURSOR FOR
       SELECT op_id, checksum, line, bson, row_key FROM (
         SELECT DISTINCT ON (row_key) op_id, op, checksum, line, bson, row_key FROM ${s}.bucket_ops
          WHERE bucket = $1 ORDER BY row_key, op_id DESC) latest
        WHERE op = ${OP.PUT} ORDER BY op_id`,
      [bucket],
    );
    let added = 0;
    let liveCount = 0;
    let lastOpId = through;
    for (;;) {
      const { rows: page } = await client.query<LiveRow>(`FETCH ${pageRows} FROM live`);
      if (page.length === 0) break;
      const re = reput(page, ids);
      added = addChecksums(added, re.added);
      liveCount += page.length;
      lastOpId = re.lastOpId;
      await insertOps(client, s, bucket, re.ops);
      if (page.length < pageRows) break;
    }
    await client.query('CLOSE live');
    await client.query(`DELETE FROM ${s}.bucket_ops WHERE bucket = $1 AND op_id <= $2`, [
      bucket,
      String(through),
    ]);
    await insertOps(client, s, bucket, [
      {
        opId: through,
        op: OP.CLEAR,
        rowKey: null,
        checksum: total,
        line: clearOpJson(through, total),
        bson: clearOpBson(through, total),
      },
    ]);
    const newHead = ids.nextOpId - 1n > ids.head ? ids.nextOpId - 1n : ids.head;
    const { rows: upd } = await client.query<{ checksum: string; op_count: string }>(
      `UPDATE ${s}.bucket_state SET checksum = (checksum + $2) % 4294967296, op_count = $3, live_count = $4, last_op_id = $5, compacted_through = $6
        WHERE bucket = $1 RETURNING checksum, op_count`,
      [bucket, added, liveCount + 1, liveCount, String(lastOpId), String(through)],
    );
    const { rows: epoch } = await client.query<{ compaction_epoch: string; lsn: string }>(
      `UPDATE ${s}.sync_state SET head = $1, next_op_id = $2, compaction_epoch = compaction_epoch + 1, updated_at = now()
        WHERE id = 1 RETURNING compaction_epoch, lsn::text AS lsn`,
      [String(newHead), String(ids.nextOpId)],
    );
    await client.query(`SELECT pg_notify('syncline_checkpoint', $1)`, [String(newHead)]);
    await client.query('COMMIT');
    ids.head = newHead;
    log.info('bucket compacted', {
      bucket,
      before: Number(state.op_count),
      after: liveCount + 1,
      through: String(through),
    });
    const update: BucketUpdate = {
      checksum: Number(upd[0]!.checksum),
      count: Number(upd[0]!.op_count),
      lastOpId,
      compactedThrough: through,
    };
    return {
      head: newHead,
      lsn: epoch[0]!.lsn,
      buckets: new Map([[bucket, update]]),
      lookups: new Set(),
      compactionEpoch: BigInt(epoch[0]!.compaction_epoch),
      compacted: new Set([bucket]),
    };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/** Live rows read per page while compacting (measured: the whole bucket at once held every row in memory). */
export const COMPACT_PAGE_ROWS = 2000;

interface LiveRow {
  op_id: string;
  checksum: string;
  line: string;
  bson: Buffer;
  row_key: string;
}

interface NewOp {
  opId: bigint;
  op: number;
  rowKey: string | null;
  checksum: number;
  line: string;
  bson: Buffer;
}

/** A page of live rows re-put with new op ids (allocated in order). */
function reput(page: readonly LiveRow[], ids: OpIdSource): { ops: NewOp[]; added: number; lastOpId: bigint } {
  const ops: NewOp[] = [];
  let added = 0;
  for (const r of page) {
    const id = ids.nextOpId;
    ids.nextOpId += 1n;
    const checksum = Number(r.checksum);
    ops.push({
      opId: id,
      op: OP.PUT,
      rowKey: r.row_key,
      checksum,
      line: withOpId(r.line, id),
      bson: withOpIdBson(r.bson, id),
    });
    added = addChecksums(added, checksum);
  }
  return { ops, added, lastOpId: ops[ops.length - 1]!.opId };
}

async function insertOps(
  client: pg.PoolClient,
  s: string,
  bucket: string,
  ops: readonly NewOp[],
): Promise<void> {
  await client.query(
    `INSERT INTO ${s}.bucket_ops (bucket, op_id, op, row_key, checksum, line, bson)
     SELECT $1, i, k, r, c, l, substring($7::bytea FROM (sum(n) OVER (ORDER BY ord) - n + 1)::int FOR n)
       FROM unnest($2::bigint[], $3::smallint[], $4::text[], $5::bigint[], $6::text[], $8::int[])
            WITH ORDINALITY AS x(i, k, r, c, l, n, ord)`,
    [
      bucket,
      ops.map((o) => String(o.opId)),
      ops.map((o) => o.op),
      ops.map((o) => o.rowKey),
      ops.map((o) => o.checksum),
      ops.map((o) => o.line),
      Buffer.concat(ops.map((o) => o.bson)),
      ops.map((o) => o.bson.length),
    ],
  );
}
