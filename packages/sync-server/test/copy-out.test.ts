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
import { copyFirstRow, literal } from '../src/storage/copy-out.js';

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
});
