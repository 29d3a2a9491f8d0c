/**
 * BSON encodings of protocol lines (`application/vnd.powersync.bson-stream` and RSocket payloads).
 *
 * Ops are stored pre-encoded (`bucket_ops.bson`, one document per op, built here at write time), so a
 * data line is assembled from stored bytes: array keys and a few headers are the only bytes written per
 * request. Op documents and control lines (checkpoints, completes, keepalives) go through the `bson`
 * library; only the data-line wrapper around stored bytes is written by hand (unit-tested against it).
 */
import { BSON } from 'bson';

const T_DOUBLE = 0x01;
const T_STRING = 0x02;
const T_DOCUMENT = 0x03;
const T_ARRAY = 0x04;
const T_BOOLEAN = 0x08;
const T_INT32 = 0x10;

type Value = string | number | boolean;

/** Encoded size of one element (type byte, name, value); names are ASCII. */
function elementSize(name: string, value: Value): number {
  const head = 1 + name.length + 1;
  if (typeof value === 'string') return head + 4 + Buffer.byteLength(value) + 1;
  if (typeof value === 'boolean') return head + 1;
  return head + (isInt32(value) ? 4 : 8);
}

function isInt32(n: number): boolean {
  return Number.isInteger(n) && n >= -2147483648 && n <= 2147483647;
}

function writeElement(buf: Buffer, at: number, name: string, value: Value): number {
  let pos = at;
  const type =
    typeof value === 'string'
      ? T_STRING
      : typeof value === 'boolean'
        ? T_BOOLEAN
        : isInt32(value)
          ? T_INT32
          : T_DOUBLE;
  buf[pos++] = type;
  pos += buf.write(name, pos, 'latin1');
  buf[pos++] = 0;
  if (type === T_STRING) {
    const len = buf.write(value as string, pos + 4, 'utf8');
    buf.writeInt32LE(len + 1, pos);
    pos += 4 + len;
    buf[pos++] = 0;
  } else if (type === T_BOOLEAN) {
    buf[pos++] = value ? 1 : 0;
  } else if (type === T_INT32) {
    buf.writeInt32LE(value as number, pos);
    pos += 4;
  } else {
    buf.writeDoubleLE(value as number, pos);
    pos += 8;
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

/**
 * Array elements (`\x03 "<i>" \0 <doc>`) for stored op documents: the body of a data line's `data` array.
 */
export function arrayElements(docs: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < docs.length; i++) {
    parts.push(Buffer.from(`\x03${i}\x00`, 'latin1'), docs[i]!);
  }
  return Buffer.concat(parts);
}

/**
 * `{"data": {"bucket", "after", "next_after", "has_more", "data": [ops]}}` around pre-encoded array
 * elements (from {@link arrayElements} or `BucketStore.readOpsBson`).
 */
export function bsonDataLine(
  bucket: string,
  after: bigint,
  nextAfter: bigint,
  hasMore: boolean,
  elements: Buffer,
): Buffer {
  const fields: [string, Value][] = [
    ['bucket', bucket],
    ['after', String(after)],
    ['next_after', String(nextAfter)],
    ['has_more', hasMore],
  ];
  let headerSize = 0;
  for (const [name, value] of fields) headerSize += elementSize(name, value);
  const arraySize = 4 + elements.length + 1;
  const innerSize = 4 + headerSize + 1 + 5 + arraySize + 1; // + array element head `\x04data\0`
  const outerSize = 4 + 1 + 5 + innerSize + 1; // `\x03data\0` + inner + terminator
  const head = Buffer.allocUnsafe(outerSize - elements.length - 3);
  let pos = 0;
  head.writeInt32LE(outerSize, pos);
  pos += 4;
  head[pos++] = T_DOCUMENT;
  pos += head.write('data\0', pos, 'latin1');
  head.writeInt32LE(innerSize, pos);
  pos += 4;
  for (const [name, value] of fields) pos = writeElement(head, pos, name, value);
  head[pos++] = T_ARRAY;
  pos += head.write('data\0', pos, 'latin1');
  head.writeInt32LE(arraySize, pos);
  pos += 4;
  return Buffer.concat([head.subarray(0, pos), elements, TERMINATORS], outerSize);
}

/** End of the array, of the inner document and of the line. */
const TERMINATORS = Buffer.from([0, 0, 0]);
