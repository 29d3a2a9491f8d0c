import { describe, expect, it } from 'vitest';
import { column } from '../columns/index.js';
import { defineTable } from '../table/index.js';
import { decodeRow, encodeRow } from './index.js';

const t = defineTable('things', {
  id: column.id(),
  title: column.text(),
  ownerId: column.owner(),
  count: column.integer(),
  ratio: column.real(),
  isDone: column.boolean(),
  dueAt: column.timestamp(),
  meta: column.json<{ tags: string[] }>(),
});

describe('encodeRow (client → Postgres)', () => {
  it('accepts snake_case and camelCase keys and returns column names', () => {
    expect(encodeRow(t, { title: 'a', is_done: 1, dueAt: null })).toEqual({
      title: 'a',
      is_done: true,
      due_at: null,
    });
  });

  it('converts ISO strings, unix seconds and unix milliseconds to the same instant', () => {
    const iso = encodeRow(t, { due_at: '2023-11-14T22:13:20.000Z' }).due_at as Date;
    const secs = encodeRow(t, { due_at: 1_700_000_000 }).due_at as Date;
    const ms = encodeRow(t, { due_at: 1_700_000_000_000 }).due_at as Date;
    const secString = encodeRow(t, { due_at: '1700000000' }).due_at as Date;
    const offset = encodeRow(t, { due_at: '2023-11-15T00:13:20+02:00' }).due_at as Date;
    for (const d of [secs, ms, secString, offset]) expect(d.getTime()).toBe(iso.getTime());
  });

  it('rejects timestamps that are not ISO-8601 or unix time', () => {
    expect(() => encodeRow(t, { due_at: 'next tuesday' })).toThrow(/things\.due_at/);
    expect(() => encodeRow(t, { due_at: '2023-13-45T00:00:00Z' })).toThrow(/not a valid date/);
    expect(() => encodeRow(t, { due_at: {} })).toThrow(/UPLOAD_INVALID_VALUE|ISO-8601/);
  });

  it('maps 0/1 and true/false to booleans and rejects anything else', () => {
    expect(encodeRow(t, { is_done: 0 }).is_done).toBe(false);
    expect(encodeRow(t, { is_done: true }).is_done).toBe(true);
    expect(() => encodeRow(t, { is_done: 2 })).toThrow(/expected 0 or 1/);
  });

  it('parses JSON text for jsonb and rejects broken JSON', () => {
    expect(encodeRow(t, { meta: '{"tags":["a"]}' }).meta).toEqual({ tags: ['a'] });
    expect(encodeRow(t, { meta: { tags: [] } }).meta).toEqual({ tags: [] });
    expect(() => encodeRow(t, { meta: '{"tags":' })).toThrow(/does not parse/);
  });

  it('checks numbers', () => {
    expect(encodeRow(t, { count: '42', ratio: '0.5' })).toEqual({ count: 42, ratio: 0.5 });
    expect(() => encodeRow(t, { count: 1.5 })).toThrow(/integer/);
    expect(() => encodeRow(t, { ratio: 'abc' })).toThrow(/number/);
  });

  it('rejects unknown columns with UPLOAD_UNKNOWN_COLUMN naming table and column', () => {
    try {
      encodeRow(t, { nope: 1 });
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({
        code: 'UPLOAD_UNKNOWN_COLUMN',
        details: { table: 'things', column: 'nope' },
      });
    }
  });

  it('rejects the same column given under both spellings', () => {
    expect(() => encodeRow(t, { is_done: 1, isDone: 0 })).toThrow(/given twice/);
  });
});

describe('decodeRow (Postgres → client)', () => {
  it('produces what the client stores: ISO text, 0/1, JSON text', () => {
    const row = decodeRow(t, {
      id: 'x',
      is_done: true,
      due_at: new Date('2023-11-14T22:13:20Z'),
      meta: { tags: ['a'] },
      count: '3',
    });
    expect(row).toEqual({
      id: 'x',
      is_done: 1,
      due_at: '2023-11-14T22:13:20.000Z',
      meta: '{"tags":["a"]}',
      count: 3,
    });
  });
});
