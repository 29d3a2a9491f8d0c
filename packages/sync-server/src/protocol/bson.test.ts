/**
 * Hand-assembled BSON against the `bson` library: stored op documents must be byte-identical to
 * `BSON.serialize` of the JSON op line, and a data line built from stored bytes must decode to exactly the
 * NDJSON line's object (random ops, seeded).
 */
import { BSON } from 'bson';
import { describe, expect, it } from 'vitest';
import {
  BsonDataLineBuilder,
  bsonDataLine,
  bsonLine,
  clearOpBson,
  putOpBson,
  removeOpBson,
  withOpIdBson,
} from './bson.js';
import { clearOpJson, dataLine, putOpJson, removeOpJson, withOpId } from './lines.js';

/** Small seeded PRNG (mulberry32). */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ['a', 'Z', '0', ' ', '"', '\\', '\n', 'é', '€', '😀', '\u0001', '/'];

function randomText(r: () => number, max = 20): string {
  let s = '';
  const n = Math.floor(r() * max);
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(r() * ALPHABET.length)];
  return s;
}

function randomOp(r: () => number, opId: bigint): { json: string; bson: Buffer } {
  const kind = r();
  const checksum = Math.floor(r() * 4294967296);
  const type = randomText(r, 8) || 't';
  const id = randomText(r);
  const subkey = randomText(r, 30);
  if (kind < 0.6) {
    const data = JSON.stringify({ id, title: randomText(r, 60), n: Math.floor(r() * 1e6) });
    return {
      json: putOpJson(opId, type, id, data, checksum, subkey),
      bson: putOpBson(opId, type, id, data, checksum, subkey),
    };
  }
  if (kind < 0.9)
    return {
      json: removeOpJson(opId, type, id, checksum, subkey),
      bson: removeOpBson(opId, type, id, checksum, subkey),
    };
  return { json: clearOpJson(opId, checksum), bson: clearOpBson(opId, checksum) };
}

describe('BSON encoding', () => {
  it('op documents are byte-identical to BSON.serialize of the JSON op (1000 random ops)', () => {
    const r = rng(13);
    for (let i = 1; i <= 1000; i++) {
      const opId = BigInt(Math.floor(r() * 2 ** 52));
      const { json, bson } = randomOp(r, opId);
      expect(bson.equals(Buffer.from(BSON.serialize(JSON.parse(json)))), json).toBe(true);
    }
  });

  it('replacing the op id keeps the document valid and equal to the JSON rewrite', () => {
    const r = rng(7);
    for (let i = 0; i < 200; i++) {
      const { json, bson } = randomOp(r, BigInt(Math.floor(r() * 1000)));
      const id = BigInt(Math.floor(r() * 2 ** 60));
      const rewritten = withOpIdBson(bson, id);
      expect(BSON.deserialize(rewritten)).toEqual(JSON.parse(withOpId(json, id)));
    }
  });

  it('a data line from stored op bytes is byte-identical to BSON.serialize of the NDJSON data line', () => {
    const r = rng(99);
    for (const count of [0, 1, 2, 11, 300]) {
      const ops = Array.from({ length: count }, (_, i) => randomOp(r, BigInt(100 + i)));
      const bucket = `1#b${randomText(r)}["x"]`;
      const bson = bsonDataLine(
        bucket,
        99n,
        BigInt(99 + count),
        count === 11,
        Buffer.concat(ops.map((o) => o.bson)),
      );
      const json = dataLine(
        JSON.stringify(bucket),
        99n,
        BigInt(99 + count),
        count === 11,
        ops.map((o) => o.json).join(','),
      );
      expect(bson.readInt32LE(0)).toBe(bson.length);
      expect(BSON.deserialize(bson)).toEqual(JSON.parse(json));
      expect(bson.equals(Buffer.from(BSON.serialize(JSON.parse(json))))).toBe(true);
    }
  });

  it('a line built one document at a time is byte-identical to bsonDataLine, whatever the size hint', () => {
    const r = rng(31);
    for (const count of [0, 1, 2, 11, 300]) {
      const ops = Array.from({ length: count }, (_, i) => randomOp(r, BigInt(100 + i)));
      const bucket = `1#b${randomText(r)}["x"]`;
      const docs = ops.map((o) => o.bson);
      const bytes = docs.reduce((n, d) => n + d.length + 6, 0);
      for (const [hint, last] of [
        [0, 9n],
        [7, 12345678901234567890n],
        [bytes, BigInt(99 + count)],
        [bytes * 3, 1n],
      ] as const) {
        const builder = new BsonDataLineBuilder(bucket, 99n, hint);
        for (const d of docs) builder.add(d);
        const line = builder.finish(last, count % 2 === 0);
        expect(builder.count).toBe(count);
        expect(line.equals(bsonDataLine(bucket, 99n, last, count % 2 === 0, Buffer.concat(docs)))).toBe(true);
        expect(
          bsonDataLine(bucket, 99n, last, false, docs).equals(
            bsonDataLine(bucket, 99n, last, false, Buffer.concat(docs)),
          ),
        ).toBe(true);
      }
    }
  });

  it('control lines keep op ids as strings and checksums as numbers', () => {
    const line = {
      checkpoint: { last_op_id: '12', buckets: [{ bucket: 'b', checksum: -93886621, count: 2 }] },
    };
    expect(BSON.deserialize(bsonLine(line))).toEqual(line);
  });
});
