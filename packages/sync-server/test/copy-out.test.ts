/**
 * The binary COPY reader behind BSON data lines (`storage/copy-out.ts`): bytes arrive exactly as stored (no
 * text decoding on the way — `pg` would turn non-UTF-8 bytes into U+FFFD), rows in order, SQL NULLs stay null,
 * a row split across messages is reassembled, and a failed or cut query rejects without breaking the pool.
 */
import { randomBytes } from 'node:crypto';
import { quietLogger, useTestDatabase } from '@syncline/test-utils';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../src/db/pool.js';
import { CopyOut, copyRows, literal } from '../src/storage/copy-out.js';

const db = useTestDatabase('copyout');
let pool: pg.Pool;

beforeAll(async () => {
  // The sync server's pool: a connection cut while checked out must not crash the process.
  pool = createPool({ connectionString: db.url, max: 2 }, quietLogger, 'test');
  await pool.query('CREATE TABLE blobs (id int PRIMARY KEY, data bytea)');
});
afterAll(async () => {
  await pool.end();
});

/** Every row, copied (the views are only valid during the callback). */
async function allRows(query: string): Promise<(Buffer | null)[][]> {
  const rows: (Buffer | null)[][] = [];
  await copyRows(pool, query, (fields) => rows.push(fields.map((f) => (f ? Buffer.from(f) : null))));
  return rows;
}

describe('copyRows', () => {
  it('returns the stored bytes exactly, large and non-UTF-8, in order, with NULLs as null', async () => {
    const blobs = [randomBytes(3 * 1024 * 1024), Buffer.from([0, 0xff, 0xfe, 0x80, 0]), randomBytes(10)];
    for (const [i, b] of blobs.entries()) await pool.query('INSERT INTO blobs VALUES ($1, $2)', [i, b]);
    const rows = await allRows(`SELECT id::int8, data, NULL::bytea FROM blobs ORDER BY id`);
    expect(rows).toHaveLength(3);
    for (const [i, row] of rows.entries()) {
      expect(row[0]!.readBigInt64BE(0)).toBe(BigInt(i));
      expect(row[1]!.equals(blobs[i]!)).toBe(true);
      expect(row[2]).toBeNull();
    }
    // Many small rows: several per message of the socket, some split between two of its reads.
    await pool.query(
      `INSERT INTO blobs SELECT g, decode(repeat(md5(g::text), 3), 'hex') FROM generate_series(10, 5009) g`,
    );
    const small = await allRows(`SELECT id::int8, data FROM blobs WHERE id >= 10 ORDER BY id`);
    expect(small.map((r) => Number(r[0]!.readBigInt64BE(0)))).toEqual(
      Array.from({ length: 5000 }, (_, i) => i + 10),
    );
    expect(small.every((r) => r[1]!.length === 48)).toBe(true);
  });

  it('hands over no rows for an empty result, and quotes literals', async () => {
    expect(await allRows(`SELECT id FROM blobs WHERE id < 0`)).toEqual([]);
    const rows = await allRows(`SELECT ${literal("it's a \\ bucket")}::text`);
    expect(rows[0]![0]!.toString()).toBe("it's a \\ bucket");
  });

  it('rejects with the Postgres error or the callback error, and the pool goes on working', async () => {
    await expect(allRows('SELECT no_such_column FROM blobs')).rejects.toMatchObject({ code: '42703' });
    await expect(
      copyRows(pool, 'SELECT 1::int8', () => {
        throw new Error('row handler failed');
      }),
    ).rejects.toThrow('row handler failed');
    for (let i = 0; i < 3; i++) expect(await allRows('SELECT 1::int8')).toHaveLength(1);
  });

  it('rejects when the connection is cut mid-query, and the pool replaces the connection', async () => {
    const pending = allRows(`SELECT pg_sleep(5), ${literal('cut-me')}::text`).then(
      () => null,
      (e: unknown) => e,
    );
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      for (let i = 0; i < 50; i++) {
        const { rowCount } = await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%cut-me%' AND pid <> pg_backend_pid()`,
        );
        if (rowCount) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await admin.end();
    }
    expect(await pending).toBeInstanceOf(Error);
    for (let i = 0; i < 3; i++) expect(await allRows('SELECT 2::int8')).toHaveLength(1);
  });
});

describe('CopyOut (a COPY stream split where Postgres does not split it)', () => {
  const header = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
  const field = (b: Buffer | null) => {
    const len = Buffer.alloc(4);
    len.writeInt32BE(b ? b.length : -1);
    return b ? Buffer.concat([len, b]) : len;
  };
  const tuple = (fields: (Buffer | null)[]) => {
    const n = Buffer.alloc(2);
    n.writeInt16BE(fields.length);
    return Buffer.concat([n, ...fields.map(field)]);
  };
  const trailer = Buffer.from([0xff, 0xff]);
  const rows = [[randomBytes(300), null, Buffer.from('x')], [Buffer.from('second')], [null]];

  /** Feeds `stream` cut at `cuts` as CopyData messages (each a view into a reused buffer, as pg's are). */
  function feed(stream: Buffer, cuts: number[]): Promise<(Buffer | null)[][]> {
    const got: (Buffer | null)[][] = [];
    return new Promise((resolve, reject) => {
      const copy = new CopyOut(
        '',
        (f) => got.push(f.map((x) => (x ? Buffer.from(x) : null))),
        () => resolve(got),
        reject,
      );
      const scratch = Buffer.alloc(stream.length);
      let from = 0;
      for (const to of [...cuts, stream.length]) {
        stream.copy(scratch, 0, from, to);
        copy.handleCopyData({ chunk: scratch.subarray(0, to - from) });
        scratch.fill(0xaa); // pg reuses its buffer: a kept view would now read garbage
        from = to;
      }
      copy.handleReadyForQuery();
    });
  }

  it('reads the same rows whatever the split', async () => {
    const stream = Buffer.concat([header, ...rows.map(tuple), trailer]);
    // Every single cut, and pairs of cuts around the header and inside the first tuple.
    const splits: number[][] = [[]];
    for (let at = 1; at < stream.length; at++) splits.push([at]);
    for (const a of [1, 11, header.length - 1, header.length, header.length + 2]) {
      for (let b = a + 1; b < header.length + 320; b += 13) splits.push([a, b]);
    }
    for (const cuts of splits) expect(await feed(stream, cuts), `cuts ${cuts}`).toEqual(rows);
  });

  it('returns no rows for an empty COPY, and rejects a stream that is not binary COPY or ends inside a row', async () => {
    expect(await feed(Buffer.concat([header, trailer]), [])).toEqual([]);
    expect(await feed(Buffer.concat([header, trailer]), [5])).toEqual([]);
    await expect(feed(Buffer.from('id\tname\n1\tx\n'), [])).rejects.toThrow(/not in binary format/);
    await expect(feed(Buffer.concat([header, tuple(rows[0]!).subarray(0, 50)]), [])).rejects.toThrow(
      /not in binary format/,
    );
  });
});
