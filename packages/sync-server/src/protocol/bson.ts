/**
 * BSON encodings of protocol lines (`application/vnd.powersync.bson-stream` and RSocket payloads).
 *
 * Ops are stored pre-encoded (`bucket_ops.bson`, one document per op, built here at write time), so a
 * data line is assembled from stored bytes: array keys and a few headers are the only bytes written per
 * request. Op documents and control lines (checkpoints, completes, keepalives) go through the `bson`
 * library; only the data-line wrapper around stored bytes is written by hand (unit-tested against it).
 */
import { BSON } from 'bson';
import { RoomBuffer } from './room-buffer.js';

const T_STRING = 0x02;
const T_DOCUMENT = 0x03;
const T_ARRAY = 0x04;
const T_BOOLEAN = 0x08;

/** The field types of a data line's header. */
type Value = string | boolean;

/** Encoded size of one element (type byte, ASCII name, value). */
function elementSize(name: string, value: Value): number {
  const head = 1 + name.length + 1;
  return typeof value === 'string' ? head + 4 + Buffer.byteLength(value) + 1 : head + 1;
}

function writeElement(buf: Buffer, at: number, name: string, value: Value): number {
  let pos = at;
  buf[pos++] = typeof value === 'string' ? T_STRING : T_BOOLEAN;
  pos += buf.write(name, pos, 'latin1');
  buf[pos++] = 0;
  if (typeof value === 'string') {
    const len = buf.write(value, pos + 4, 'utf8');
    buf.writeInt32LE(len + 1, pos);
    pos += 4 + len;
    buf[pos++] = 0;
  } else {
    buf[pos++] = value ? 1 : 0;
  }
  return pos;
}

function serialize(doc: BSON.Document): Buffer {
  const bytes = BSON.serialize(doc);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A stored PUT op (the `bson` library measured faster here than hand-written encoding). */
export function putOpBson(
  opId: bigint,
  objectType: string,
  objectId: string,
  data: string,
  checksum: number,
  subkey: string,
): Buffer {
  return serialize({
    op_id: String(opId),
    op: 'PUT',
    object_type: objectType,
    object_id: objectId,
    data,
    checksum,
    subkey,
  });
}

/** A stored REMOVE op. */
export function removeOpBson(
  opId: bigint,
  objectType: string,
  objectId: string,
  checksum: number,
  subkey: string,
): Buffer {
  return serialize({
    op_id: String(opId),
    op: 'REMOVE',
    object_type: objectType,
    object_id: objectId,
    checksum,
    subkey,
  });
}

/** A stored CLEAR op. */
export function clearOpBson(opId: bigint, checksum: number): Buffer {
  return serialize({ op_id: String(opId), op: 'CLEAR', checksum });
}

/** Offset of the `op_id` string's length in an op document: int32 size, type byte, `op_id\0`. */
const OP_ID_LENGTH_AT = 4 + 1 + 6;

/** Replaces the op id of a stored op document (its first element); used when compaction re-puts rows. */
export function withOpIdBson(doc: Buffer, opId: bigint): Buffer {
  const oldLen = doc.readInt32LE(OP_ID_LENGTH_AT); // includes the terminating 0
  const id = String(opId);
  const rest = doc.subarray(OP_ID_LENGTH_AT + 4 + oldLen);
  const head = OP_ID_LENGTH_AT + 4 + id.length + 1;
  const out = Buffer.allocUnsafe(head + rest.length);
  doc.copy(out, 0, 0, OP_ID_LENGTH_AT);
  out.writeInt32LE(id.length + 1, OP_ID_LENGTH_AT);
  out.write(id, OP_ID_LENGTH_AT + 4, 'latin1');
  out[head - 1] = 0;
  rest.copy(out, head);
  out.writeInt32LE(out.length, 0);
  return out;
}

/** `{"<name>": {...}}` — a control line, through the `bson` library. */
export function bsonLine(line: object): Buffer {
  return serialize(line as BSON.Document);
}

/** Longest decimal op id (a signed 64-bit integer). */
const MAX_OP_ID_DIGITS = 20;

/**
 * Builds the same line as {@link bsonDataLine} while op documents arrive one at a time (views into a
 * connection's buffer, copied in as they come): each document is written once, next to its array key. The
 * header, which needs the last op id, is written at the end into room kept in front ({@link RoomBuffer}).
 */
export class BsonDataLineBuilder extends RoomBuffer {
  count = 0;

  constructor(
    private readonly bucket: string,
    private readonly after: bigint,
    bytesHint: number,
  ) {
    super(LINE_HEAD + headerFieldsSize(bucket, after, '9'.repeat(MAX_OP_ID_DIGITS)), bytesHint + 3);
  }

  add(doc: Buffer): void {
    const key = String(this.count++);
    this.ensure(2 + key.length + doc.length + 3);
    const out = this.buf;
    out[this.pos++] = T_DOCUMENT;
    this.pos += out.write(key, this.pos, 'latin1');
    out[this.pos++] = 0;
    this.pos += doc.copy(out, this.pos);
  }

  /** The line, with `next_after` and `has_more` (a view into the builder's buffer). */
  finish(nextAfter: bigint, hasMore: boolean): Buffer {
    const out = this.buf;
    const fields = dataFields(this.bucket, this.after, String(nextAfter), hasMore);
    let headerSize = 0;
    for (const [name, value] of fields) headerSize += elementSize(name, value);
    const arraySize = 4 + this.size + 1;
    const innerSize = 4 + headerSize + 1 + 5 + arraySize + 1;
    const outerSize = 4 + 1 + 5 + innerSize + 1;
    const start = this.room - (LINE_HEAD + headerSize);
    let pos = start;
    out.writeInt32LE(outerSize, pos);
    pos += 4;
    out[pos++] = T_DOCUMENT;
    pos += out.write('data\0', pos, 'latin1');
    out.writeInt32LE(innerSize, pos);
    pos += 4;
    for (const [name, value] of fields) pos = writeElement(out, pos, name, value);
    out[pos++] = T_ARRAY;
    pos += out.write('data\0', pos, 'latin1');
    out.writeInt32LE(arraySize, pos);
    out[this.pos++] = 0; // end of the array
    out[this.pos++] = 0; // end of the inner document
    out[this.pos++] = 0; // end of the line
    return out.subarray(start, this.pos);
  }
}

/** Bytes of a data line before its array's first element, besides the header fields. */
const LINE_HEAD = 4 + 1 + 5 + 4 + 1 + 5 + 4;

function dataFields(bucket: string, after: bigint, nextAfter: string, hasMore: boolean): [string, Value][] {
  return [
    ['bucket', bucket],
    ['after', String(after)],
    ['next_after', nextAfter],
    ['has_more', hasMore],
  ];
}

function headerFieldsSize(bucket: string, after: bigint, nextAfter: string): number {
  let size = 0;
  for (const [name, value] of dataFields(bucket, after, nextAfter, false)) size += elementSize(name, value);
  return size;
}

/**
 * `{"data": {"bucket", "after", "next_after", "has_more", "data": [ops]}}` around stored op documents: `docs`
 * holds the documents back to back, in one buffer or several (as the recent-ops cache has them; a view into a
 * connection's receive buffer is fine, it is copied). Through {@link BsonDataLineBuilder}, sized exactly.
 */
export function bsonDataLine(
  bucket: string,
  after: bigint,
  nextAfter: bigint,
  hasMore: boolean,
  docs: Buffer | readonly Buffer[],
): Buffer {
  const parts = Buffer.isBuffer(docs) ? [docs] : docs;
  // Array element heads: type byte, decimal index, terminating 0 — one per document.
  let bytes = 0;
  let count = 0;
  for (const part of parts) {
    for (let pos = 0; pos < part.length; pos += part.readInt32LE(pos)) bytes += 2 + String(count++).length;
    bytes += part.length;
  }
  const line = new BsonDataLineBuilder(bucket, after, bytes);
  for (const part of parts) {
    for (let at = 0; at < part.length; ) {
      const size = part.readInt32LE(at);
      line.add(part.subarray(at, at + size));
      at += size;
    }
  }
  return line.finish(nextAfter, hasMore);
}
