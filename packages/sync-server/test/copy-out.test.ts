/**
 * The binary COPY reader behind BSON data lines (`storage/copy-out.ts`): bytes arrive exactly as stored (no
 * text decoding on the way — `pg` would turn non-UTF-8 bytes into U+FFFD), SQL NULLs stay null, and a failed
 * or cut query rejects without breaking the pool.
 */
import { randomBytes } from 'node:crypto';
import { quietLogger, useTestDatabase } from '@syncline/test-utils';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../src/db/pool.js';
import { CopyOut, copyFirstRow, copyFirstRowWith, literal } from '../src/storage/copy-out.js';

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

describe('copyFirstRow', () => {
  it('returns the stored bytes exactly, large and non-UTF-8, with NULLs as null', async () => {
    const blobs = [randomBytes(3 * 1024 * 1024), Buffer.from([0, 0xff, 0xfe, 0x80, 0]), randomBytes(10)];
    for (const [i, b] of blobs.entries()) await pool.query('INSERT INTO blobs VALUES ($1, $2)', [i, b]);
    const row = await copyFirstRow(
      pool,
      `SELECT max(id)::int8, count(*), string_agg(data, ''::bytea ORDER BY id), NULL::bytea FROM blobs`,
    );
    expect(row![0]!.readBigInt64BE(0)).toBe(2n);
    expect(row![1]!.readBigInt64BE(0)).toBe(3n);
    expect(row![2]!.equals(Buffer.concat(blobs))).toBe(true);
    expect(row![3]).toBeNull();
  });

  it('returns null when the query has no row, and quotes literals', async () => {
    expect(await copyFirstRow(pool, `SELECT id FROM blobs WHERE id < 0`)).toBeNull();
    const row = await copyFirstRow(pool, `SELECT ${literal("it's a \\ bucket")}::text`);
    expect(row![0]!.toString()).toBe("it's a \\ bucket");
  });

  it('rejects with the Postgres error, and the pool goes on working', async () => {
    await expect(copyFirstRow(pool, 'SELECT no_such_column FROM blobs')).rejects.toMatchObject({
      code: '42703',
    });
    for (let i = 0; i < 3; i++) expect(await copyFirstRow(pool, 'SELECT 1::int8')).toHaveLength(1);
  });

  it('rejects when the connection is cut mid-query, and the pool replaces the connection', async () => {
    const pending = copyFirstRow(pool, `SELECT pg_sleep(5), ${literal('cut-me')}::text`).then(
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
    for (let i = 0; i < 3; i++) expect(await copyFirstRow(pool, 'SELECT 2::int8')).toHaveLength(1);
  });

  it("hands the row to its builder as views, and the builder's result is returned", async () => {
    const seen: number[] = [];
    const total = await copyFirstRowWith(
      pool,
      `SELECT string_agg(data, ''::bytea ORDER BY id) FROM blobs`,
      ([joined]) => {
        seen.push(joined!.length);
        return joined!.readUInt8(0) + joined!.length;
      },
    );
    const { rows } = await pool.query(`SELECT string_agg(data, ''::bytea ORDER BY id) AS j FROM blobs`);
    expect(total).toBe((rows[0].j as Buffer).readUInt8(0) + (rows[0].j as Buffer).length);
    expect(seen).toHaveLength(1);
    await expect(
      copyFirstRowWith(pool, 'SELECT 1::int8', () => {
        throw new Error('builder failed');
      }),
    ).rejects.toThrow('builder failed');
    expect(await copyFirstRow(pool, 'SELECT 3::int8')).toHaveLength(1);
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
  const row = [randomBytes(300), null, Buffer.from('x')];

  /** Feeds `stream` cut at `cuts` as CopyData messages (each a view into a reused buffer, as pg's are). */
  function feed(stream: Buffer, cuts: number[]): Promise<(Buffer | null)[] | null> {
    return new Promise((resolve, reject) => {
      const copy = new CopyOut('', (f) => f.map((x) => (x ? Buffer.from(x) : null)), resolve, reject);
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

  it('reads the same row whatever the split', async () => {
    const stream = Buffer.concat([header, tuple(row), tuple([Buffer.from('second')]), trailer]);
    // Every single cut, and pairs of cuts around the header and inside the tuple.
    const splits: number[][] = [[]];
    for (let at = 1; at < stream.length; at++) splits.push([at]);
    for (const a of [1, 11, header.length - 1, header.length, header.length + 2]) {
      for (let b = a + 1; b < header.length + 320; b += 13) splits.push([a, b]);
    }
    for (const cuts of splits) {
      const got = await feed(stream, cuts);
      expect(got, `cuts ${cuts}`).toEqual(row);
    }
  });

  it('returns null for no rows, and rejects a stream that is not binary COPY', async () => {
    expect(await feed(Buffer.concat([header, trailer]), [])).toBeNull();
    expect(await feed(Buffer.concat([header, trailer]), [5])).toBeNull();
    await expect(feed(Buffer.from('id\tname\n1\tx\n'), [])).rejects.toThrow(/not in binary format/);
    await expect(feed(Buffer.concat([header, tuple(row).subarray(0, 50)]), [])).rejects.toThrow(
      /not in binary format/,
    );
  });
});
