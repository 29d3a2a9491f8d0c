import type pg from 'pg';
import { BsonDataLineBuilder } from '../protocol/bson.js';
import type { Encoding } from '../protocol/lines.js';
import { copyRows, literal } from './copy-out.js';

/** A run of pre-encoded ops of one bucket, in one wire encoding. */
export interface OpsRange {
  /** Op id of the last op in the run (0 when empty). */
  lastOpId: bigint;
  count: number;
  /** NDJSON: the ops' JSON joined with commas. BSON: the ops' documents back to back, in one buffer or several. */
  payload: string | Buffer | readonly Buffer[];
  /**
   * BSON read from storage: the whole data line for this range — `after` as asked, `next_after` = `lastOpId`,
   * `has_more` = `lastOpId < upTo` — built while the bytes were copied out of the connection's buffer (one
   * copy, not four); `payload` is then empty.
   */
  line?: Buffer;
}

const EMPTY = Buffer.alloc(0);

/**
 * Up to `limit` ops of a bucket with `after < op_id ≤ upTo`, ascending, in the given encoding, already
 * joined by Postgres from the stored encodings (one row comes back, whatever the count; nothing is
 * parsed or re-serialised). `s` is the quoted storage schema.
 */
export function readOps(
  pool: pg.Pool,
  s: string,
  schema: string,
  q: { bucket: string; after: bigint; upTo: bigint; limit: number; encoding: Encoding },
): Promise<OpsRange> {
  return q.encoding === 'ndjson' ? readNdjson(pool, s, schema, q) : readBson(pool, s, q);
}

async function readNdjson(
  pool: pg.Pool,
  s: string,
  schema: string,
  { bucket, after, upTo, limit }: { bucket: string; after: bigint; upTo: bigint; limit: number },
): Promise<OpsRange> {
  const { rows } = await pool.query<{ last: string | null; n: string; joined: string | null }>({
    name: `syncline_read_ops_ndjson_${schema}`,
    text: `SELECT max(op_id) AS last, count(*) AS n, string_agg(line, ',' ORDER BY op_id) AS joined
             FROM (SELECT op_id, line FROM ${s}.bucket_ops
                    WHERE bucket = $1 AND op_id > $2 AND op_id <= $3 ORDER BY op_id LIMIT $4) o`,
    values: [bucket, String(after), String(upTo), limit],
  });
  const r = rows[0];
  return { lastOpId: r?.last ? BigInt(r.last) : 0n, count: Number(r?.n ?? 0), payload: r?.joined ?? '' };
}

/**
 * Bytes per op (document and array key) of the last BSON page read: sizes the next page's line buffer, so a
 * page is normally written into one allocation. A hint shared by all reads, nothing depends on it being right.
 */
let bsonBytesPerOp = 256;

/**
 * BSON: the stored documents through a binary COPY (the stored bytes, no hex on the way), one row per op, each
 * copied once into the data line as it arrives.
 */
async function readBson(
  pool: pg.Pool,
  s: string,
  { bucket, after, upTo, limit }: { bucket: string; after: bigint; upTo: bigint; limit: number },
): Promise<OpsRange> {
  const line = new BsonDataLineBuilder(bucket, after, Math.ceil(limit * bsonBytesPerOp * 1.1));
  let lastOpId = 0n;
  await copyRows(
    pool,
    `SELECT op_id, bson FROM ${s}.bucket_ops
      WHERE bucket = ${literal(bucket)} AND op_id > ${literal(after)} AND op_id <= ${literal(upTo)}
      ORDER BY op_id LIMIT ${literal(limit)}`,
    ([id, doc]) => {
      lastOpId = id!.readBigInt64BE(0);
      line.add(doc!);
    },
  );
  if (line.count === 0) return { lastOpId: 0n, count: 0, payload: EMPTY };
  if (line.count === limit) bsonBytesPerOp = Math.ceil(line.size / line.count);
  return { lastOpId, count: line.count, payload: EMPTY, line: line.finish(lastOpId, lastOpId < upTo) };
}
