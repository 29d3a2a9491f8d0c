/**
 * Builders for protocol lines. Control lines are small objects the output encodes (NDJSON or BSON). Ops are
 * stored as ready-made JSON (`bucket_ops.line`) and BSON (`bucket_ops.bson`, see `bson.ts`), so an NDJSON
 * data line is string concatenation: no row is parsed or re-serialised on the way out.
 */
import { toSigned } from './checksum.js';
import { RoomBuffer } from './room-buffer.js';

/** The two wire encodings of sync lines. */
export type Encoding = 'ndjson' | 'bson';

/** A bucket in a checkpoint line. */
export interface BucketChecksum {
  bucket: string;
  checksum: number;
  count: number;
  priority: number;
  /** Index into the checkpoint's `streams` (a default stream/definition). */
  definitionIndex?: number;
  /** Subscription indexes (explicit stream subscriptions). */
  subscriptions?: number[];
}

/** A stream/definition entry of a full checkpoint. */
export interface StreamInfo {
  name: string;
  is_default: boolean;
  errors: { subscription: 'default' | number; message: string }[];
}

function bucketJson(b: BucketChecksum): object {
  const subscriptions: object[] = [];
  if (b.definitionIndex !== undefined) subscriptions.push({ default: b.definitionIndex });
  for (const s of b.subscriptions ?? []) subscriptions.push({ sub: s });
  return {
    bucket: b.bucket,
    checksum: toSigned(b.checksum),
    count: b.count,
    priority: b.priority,
    ...(subscriptions.length ? { subscriptions } : {}),
  };
}

/** A protocol line other than `data`: one key, encoded as one JSON line or one BSON document. */
export type ControlLine = Record<string, unknown>;

/** `{"checkpoint":{…}}` */
export function checkpointLine(
  lastOpId: bigint,
  writeCheckpoint: bigint | null,
  buckets: readonly BucketChecksum[],
  streams: readonly StreamInfo[],
): ControlLine {
  return {
    checkpoint: {
      last_op_id: String(lastOpId),
      ...(writeCheckpoint !== null ? { write_checkpoint: String(writeCheckpoint) } : {}),
      buckets: buckets.map(bucketJson),
      streams,
    },
  };
}

/** `{"checkpoint_diff":{…}}` */
export function checkpointDiffLine(
  lastOpId: bigint,
  writeCheckpoint: bigint | null,
  updated: readonly BucketChecksum[],
  removed: readonly string[],
): ControlLine {
  return {
    checkpoint_diff: {
      last_op_id: String(lastOpId),
      ...(writeCheckpoint !== null ? { write_checkpoint: String(writeCheckpoint) } : {}),
      updated_buckets: updated.map(bucketJson),
      removed_buckets: removed,
    },
  };
}

/** `{"checkpoint_complete":{…}}` */
export function checkpointCompleteLine(lastOpId: bigint): ControlLine {
  return { checkpoint_complete: { last_op_id: String(lastOpId) } };
}

/** `{"partial_checkpoint_complete":{…}}`: every bucket with priority ≤ `priority` is complete. */
export function partialCheckpointCompleteLine(lastOpId: bigint, priority: number): ControlLine {
  return { partial_checkpoint_complete: { last_op_id: String(lastOpId), priority } };
}

/** `{"token_expires_in":n}` */
export function tokenExpiresLine(seconds: number): ControlLine {
  return { token_expires_in: Math.max(0, Math.floor(seconds)) };
}

/**
 * `{"data":{…}}` from pre-serialised ops joined with commas.
 *
 * @param bucketJsonName `JSON.stringify(bucket)`, computed once per bucket.
 */
export function dataLine(
  bucketJsonName: string,
  after: bigint,
  nextAfter: bigint,
  hasMore: boolean,
  opsJoined: string,
): string {
  return `${dataLineHead(bucketJsonName, after, String(nextAfter), hasMore)}${opsJoined}${DATA_LINE_END}`;
}

function dataLineHead(bucketJsonName: string, after: bigint, nextAfter: string, hasMore: boolean): string {
  return `{"data":{"bucket":${bucketJsonName},"after":"${after}","next_after":"${nextAfter}","has_more":${hasMore},"data":[`;
}

const DATA_LINE_END = ']}}\n';

/**
 * Builds the same bytes as {@link dataLine} while the ops' JSON arrives as UTF-8 bytes (views into a
 * connection's buffer), each copied once: no string is made of the ops and none is encoded again on the way
 * to the socket. The head, which needs the last op id, is written at the end ({@link RoomBuffer}).
 */
export class NdjsonDataLineBuilder extends RoomBuffer {
  count = 0;

  constructor(
    private readonly bucketJsonName: string,
    private readonly after: bigint,
    bytesHint: number,
  ) {
    super(Buffer.byteLength(dataLineHead(bucketJsonName, after, '9'.repeat(20), false)), bytesHint + 4);
  }

  add(json: Buffer): void {
    this.ensure(1 + json.length + 4);
    if (this.count++ > 0) this.buf[this.pos++] = 0x2c; // ,
    this.pos += json.copy(this.buf, this.pos);
  }

  /** The line, with `next_after` and `has_more` (a view into the builder's buffer). */
  finish(nextAfter: bigint, hasMore: boolean): Buffer {
    const head = dataLineHead(this.bucketJsonName, this.after, String(nextAfter), hasMore);
    const start = this.room - Buffer.byteLength(head);
    this.buf.write(head, start, 'utf8');
    this.pos += this.buf.write(DATA_LINE_END, this.pos, 'latin1');
    return this.buf.subarray(start, this.pos);
  }
}

/** Op kinds as stored in `bucket_ops.op`. */
export const OP = { PUT: 1, REMOVE: 2, MOVE: 3, CLEAR: 4 } as const;

/** A serialised PUT op. */
export function putOpJson(
  opId: bigint,
  objectType: string,
  objectId: string,
  data: string,
  checksum: number,
  subkey: string,
): string {
  return `{"op_id":"${opId}","op":"PUT","object_type":${JSON.stringify(objectType)},"object_id":${JSON.stringify(objectId)},"data":${JSON.stringify(data)},"checksum":${checksum},"subkey":${JSON.stringify(subkey)}}`;
}

/** A serialised REMOVE op. */
export function removeOpJson(
  opId: bigint,
  objectType: string,
  objectId: string,
  checksum: number,
  subkey: string,
): string {
  return `{"op_id":"${opId}","op":"REMOVE","object_type":${JSON.stringify(objectType)},"object_id":${JSON.stringify(objectId)},"checksum":${checksum},"subkey":${JSON.stringify(subkey)}}`;
}

/** A serialised CLEAR op. */
export function clearOpJson(opId: bigint, checksum: number): string {
  return `{"op_id":"${opId}","op":"CLEAR","checksum":${checksum}}`;
}

/** Replaces the op id of a serialised op (used when compaction re-puts live rows at the end). */
export function withOpId(line: string, opId: bigint): string {
  const end = line.indexOf('"', 11); // after {"op_id":"
  return `{"op_id":"${opId}${line.slice(end)}`;
}
