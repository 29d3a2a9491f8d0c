import type pg from 'pg';
import { BsonDataLineBuilder } from '../protocol/bson.js';
import { type Encoding, NdjsonDataLineBuilder } from '../protocol/lines.js';
import { copyRows, literal } from './copy-out.js';

/** A run of pre-encoded ops of one bucket, in one wire encoding. */
export interface OpsRange {
  /** Op id of the last op in the run (0 when empty). */
  lastOpId: bigint;
  count: number;
  /**
   * From the recent-ops cache: NDJSON, the ops' JSON joined with commas; BSON, the ops' documents back to
   * back, in one buffer or several. Empty when `line` is set.
   */
  payload: string | Buffer | readonly Buffer[];
  /**
   * Read from storage: the whole data line for this range, in the encoding asked — `after` as asked,
   * `next_after` = `lastOpId`, `has_more` = `lastOpId < upTo` — built while the bytes were copied out of the
   * connection's buffer (each op copied once).
   */
  line?: Buffer;
}

const EMPTY = Buffer.alloc(0);

/**
 * Up to `limit` ops of a bucket with `after < op_id ≤ upTo`, ascending, as one data line in the given
 * encoding, made of the stored encodings (nothing is parsed or re-serialised). `s` is the quoted storage schema.
 */
export function readOps(
  pool: pg.Pool,
  s: string,
  q: { bucket: string; after: bigint; upTo: bigint; limit: number; encoding: Encoding },
): Promise<OpsRange> {
  return q.encoding === 'ndjson' ? readNdjson(pool, s, q) : readBson(pool, s, q);
}

/**
 * NDJSON: the stored JSON through a binary COPY (UTF-8 bytes, never a JS string), one row per op, each copied
 * once into the data line as it arrives.
 */
async function readNdjson(
  pool: pg.Pool,
  s: string,
  { bucket, after, upTo, limit }: { bucket: string; after: bigint; upTo: bigint; limit: number },
): Promise<OpsRange> {
  const line = new NdjsonDataLineBuilder(
    JSON.stringify(bucket),
    after,
    Math.ceil(limit * bytesPerOp.ndjson * 1.1),
  );
  const lastOpId = await copyOps(pool, s, 'line', { bucket, after, upTo, limit }, (json) => line.add(json));
  if (line.count === 0) return { lastOpId: 0n, count: 0, payload: '' };
  if (line.count === limit) bytesPerOp.ndjson = Math.ceil(line.size / line.count);
  return { lastOpId, count: line.count, payload: '', line: line.finish(lastOpId, lastOpId < upTo) };
}

/**
 * Bytes per op of the last full page read, per encoding: sizes the next page's line buffer, so a page is
 * normally written into one allocation. A hint shared by all reads; nothing depends on it being right.
 */
const bytesPerOp = { ndjson: 256, bson: 256 };

/** Streams one encoding of a bucket's ops in a range to `add`, in op-id order; returns the last op id. */
async function copyOps(
  pool: pg.Pool,
  s: string,
  column: 'line' | 'bson',
  { bucket, after, upTo, limit }: { bucket: string; after: bigint; upTo: bigint; limit: number },
  add: (bytes: Buffer) => void,
): Promise<bigint> {
  let lastOpId = 0n;
  await copyRows(
    pool,
    `SELECT op_id, ${column} FROM ${s}.bucket_ops
      WHERE bucket = ${literal(bucket)} AND op_id > ${literal(after)} AND op_id <= ${literal(upTo)}
      ORDER BY op_id LIMIT ${literal(limit)}`,
    ([id, bytes]) => {
      lastOpId = id!.readBigInt64BE(0);
      add(bytes!);
    },
  );
  return lastOpId;
}

/**
 * BSON: the stored documents through a binary COPY (the stored bytes, no hex on the way), one row per op, each
 * copied once into the data line as it arrives.
 */
async function readBson(
  pool: pg.Pool,
  s: string,
  { bucket, after, upTo, limit }: { bucket: string; after: bigint; upTo: bigint; limit: number },
): Promise<OpsRange> {
  const line = new BsonDataLineBuilder(bucket, after, Math.ceil(limit * bytesPerOp.bson * 1.1));
  const lastOpId = await copyOps(pool, s, 'bson', { bucket, after, upTo, limit }, (doc) => line.add(doc));
  if (line.count === 0) return { lastOpId: 0n, count: 0, payload: EMPTY };
  if (line.count === limit) bytesPerOp.bson = Math.ceil(line.size / line.count);
  return { lastOpId, count: line.count, payload: EMPTY, line: line.finish(lastOpId, lastOpId < upTo) };
}
