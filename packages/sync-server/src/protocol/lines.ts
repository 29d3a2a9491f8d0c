/**
 * Builders for protocol lines. Control lines are small objects the output encodes (NDJSON or BSON). Ops are
 * stored as ready-made JSON (`bucket_ops.line`) and BSON (`bucket_ops.bson`, see `bson.ts`), so an NDJSON
 * data line is string concatenation: no row is parsed or re-serialised on the way out.
 */
import { toSigned } from './checksum.js';

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
  return `{"data":{"bucket":${bucketJsonName},"after":"${after}","next_after":"${nextAfter}","has_more":${hasMore},"data":[${opsJoined}]}}\n`;
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
