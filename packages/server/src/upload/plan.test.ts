import { SyncError } from '@syncline/errors';
import { column, defineLocalTable, defineSchema, defineTable } from '@syncline/schema';
import { describe, expect, it } from 'vitest';
import { planTransaction, uploadTables } from './plan.js';

const notes = defineTable('notes', {
  id: column.id(),
  ownerId: column.owner(),
  body: column.text().notNull(),
  pinned: column.boolean().notNull().default(false),
  tags: column.json(),
  createdAt: column.timestamp().notNull().defaultNow(),
  deletedAt: column.timestamp(),
});
const logs = defineTable('logs', { id: column.id(), ownerId: column.owner(), line: column.text() });
const feed = defineTable('feed', { id: column.id(), text: column.text() });
const prefs = defineLocalTable('prefs', { id: column.id(), key: column.text() });
const tables = uploadTables(defineSchema({ notes, logs, feed, prefs }));

const plan = (...ops: unknown[]) => planTransaction(tables, { op_id: 9, ops });
const error = (...ops: unknown[]): SyncError => {
  try {
    plan(...ops);
  } catch (e) {
    if (SyncError.is(e)) return e;
    throw e;
  }
  throw new Error('expected a SyncError');
};

describe('uploadTables', () => {
  it('classifies tables and finds the soft-delete column and the required columns', () => {
    const n = tables.get('notes');
    expect(n?.kind).toBe('synced');
    if (n?.kind !== 'synced') return;
    expect(n.softDelete?.name).toBe('deleted_at');
    expect(n.required.map((c) => c.name)).toEqual(['body']);
    expect(tables.get('logs')).toMatchObject({ kind: 'synced', softDelete: undefined });
    expect(tables.get('feed')?.kind).toBe('read-only');
    expect(tables.get('prefs')?.kind).toBe('local');
  });
});

describe('planTransaction', () => {
  it('converts values, accepts both key spellings and drops the client owner', () => {
    const { ops } = plan(
      {
        op: 'PUT',
        table: 'notes',
        id: 'n1',
        data: { id: 'n1', body: 'b', pinned: 1, tags: '["a"]', created_at: 0, owner_id: 'mallory' },
      },
      {
        op: 'PATCH',
        table: 'notes',
        id: 'n1',
        data: { ownerId: 'mallory', deletedAt: '2024-01-01T00:00:00Z' },
      },
      { op: 'DELETE', table: 'logs', id: 'l1', data: { ignored: true } },
    );
    expect(ops[0]).toMatchObject({
      type: 'PUT',
      id: 'n1',
      ownerIgnored: true,
      values: { body: 'b', pinned: true, tags: '["a"]', created_at: new Date(0) },
    });
    expect(Object.keys((ops[0] as { values: object }).values)).not.toContain('owner_id');
    expect(ops[1]).toMatchObject({ type: 'PATCH', values: { deleted_at: new Date('2024-01-01T00:00:00Z') } });
    expect(ops[2]).toMatchObject({ type: 'DELETE', id: 'l1' });
  });

  it('sends JSON values as JSON text (so arrays stay JSON arrays)', () => {
    const { ops } = plan({ op: 'PATCH', table: 'notes', id: 'n1', data: { tags: [1, 2] } });
    expect(ops[0]).toMatchObject({ values: { tags: '[1,2]' } });
  });

  it('names the op in every error', () => {
    const e = error(
      { op: 'PUT', table: 'notes', id: 'n1', data: { body: 'b' } },
      { op: 'PUT', table: 'nope', id: 'x' },
    );
    expect(e.code).toBe('UPLOAD_UNKNOWN_TABLE');
    expect(e.details).toMatchObject({ op: 1, opType: 'PUT', table: 'nope', id: 'x' });
    expect(e.message).toContain('notes, logs');
  });

  it.each([
    ['a local-only table', { op: 'PUT', table: 'prefs', id: 'p' }, 'UPLOAD_LOCAL_ONLY_TABLE'],
    ['a table without owner', { op: 'DELETE', table: 'feed', id: 'f' }, 'UPLOAD_READ_ONLY_TABLE'],
    ['an unknown op', { op: 'UPSERT', table: 'notes', id: 'n' }, 'UPLOAD_INVALID_OP'],
    ['an empty id', { op: 'DELETE', table: 'notes', id: '' }, 'UPLOAD_INVALID_OP'],
    ['data that is not an object', { op: 'PATCH', table: 'notes', id: 'n', data: 'x' }, 'UPLOAD_INVALID_OP'],
    [
      'a data id that differs',
      { op: 'PATCH', table: 'notes', id: 'n', data: { id: 'm' } },
      'UPLOAD_INVALID_OP',
    ],
    [
      'an unknown column',
      { op: 'PATCH', table: 'notes', id: 'n', data: { colour: 1 } },
      'UPLOAD_UNKNOWN_COLUMN',
    ],
    [
      'a bad value',
      { op: 'PATCH', table: 'notes', id: 'n', data: { pinned: 'yes' } },
      'UPLOAD_INVALID_VALUE',
    ],
    [
      'a PUT without a required column',
      { op: 'PUT', table: 'notes', id: 'n', data: {} },
      'UPLOAD_MISSING_VALUE',
    ],
    [
      'null for a NOT NULL column',
      { op: 'PATCH', table: 'notes', id: 'n', data: { pinned: null } },
      'UPLOAD_MISSING_VALUE',
    ],
    [
      'a column given twice',
      { op: 'PATCH', table: 'notes', id: 'n', data: { created_at: 1, createdAt: 1 } },
      'UPLOAD_INVALID_BODY',
    ],
  ])('rejects %s', (_, op, code) => {
    expect(error(op).code).toBe(code);
  });
});
