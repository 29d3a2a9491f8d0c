import { getTableConfig as pgConfig } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteConfig } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import { column } from '../columns/index.js';
import { defineSchema } from '../schema/index.js';
import { defineLocalTable, defineTable, index, uniqueIndex } from './index.js';

const links = defineTable(
  'doc_links',
  {
    id: column.id(),
    fromDocId: column.text().notNull(),
    toDocId: column.text().notNull(),
    ownerId: column.owner(),
    isPinned: column.boolean().notNull().default(false),
    createdAt: column.timestamp().notNull().defaultNow(),
    deletedAt: column.timestamp(),
  },
  {
    indexes: [
      index('idx_links_owner').on('ownerId'),
      uniqueIndex('uq_links_pair').on('fromDocId', 'toDocId'),
    ],
  },
);

describe('defineTable', () => {
  it('derives snake_case column names on both dialects', () => {
    expect(sqliteConfig(links.sqlite).columns.map((c) => c.name)).toEqual([
      'id',
      'from_doc_id',
      'to_doc_id',
      'owner_id',
      'is_pinned',
      'created_at',
      'deleted_at',
    ]);
    expect(pgConfig(links.pg).columns.map((c) => c.name)).toEqual(
      sqliteConfig(links.sqlite).columns.map((c) => c.name),
    );
  });

  it('makes the owner nullable on the client and NOT NULL on the server', () => {
    expect(sqliteConfig(links.sqlite).columns.find((c) => c.name === 'owner_id')?.notNull).toBe(false);
    expect(pgConfig(links.pg).columns.find((c) => c.name === 'owner_id')?.notNull).toBe(true);
  });

  it('maps kinds to client and server types', () => {
    const s = Object.fromEntries(sqliteConfig(links.sqlite).columns.map((c) => [c.name, c.getSQLType()]));
    const p = Object.fromEntries(pgConfig(links.pg).columns.map((c) => [c.name, c.getSQLType()]));
    expect(s).toMatchObject({ id: 'text', is_pinned: 'integer', created_at: 'text' });
    expect(p).toMatchObject({ id: 'text', is_pinned: 'boolean', created_at: 'timestamp with time zone' });
  });

  it('creates indexes on both sides', () => {
    expect(sqliteConfig(links.sqlite).indexes.map((i) => [i.config.name, i.config.unique])).toEqual([
      ['idx_links_owner', false],
      ['uq_links_pair', true],
    ]);
    expect(pgConfig(links.pg).indexes.map((i) => [i.config.name, i.config.unique])).toEqual([
      ['idx_links_owner', false],
      ['uq_links_pair', true],
    ]);
  });

  it('applies defaults at runtime on the client (PowerSync views ignore SQL defaults)', () => {
    const cols = sqliteConfig(links.sqlite).columns;
    const pinned = cols.find((c) => c.name === 'is_pinned')!;
    const created = cols.find((c) => c.name === 'created_at')!;
    expect(pinned.defaultFn?.()).toBe(false);
    expect(String(created.defaultFn?.())).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const pgCreated = pgConfig(links.pg).columns.find((c) => c.name === 'created_at')!;
    expect(pgCreated.hasDefault).toBe(true);
  });

  it('finds the owner and soft-delete columns', () => {
    expect(links.owner?.name).toBe('owner_id');
    expect(links.softDelete?.name).toBe('deleted_at');
    expect(links.column('fromDocId')?.name).toBe('from_doc_id');
    expect(links.column('from_doc_id')?.property).toBe('fromDocId');
  });

  it('rejects an owner option naming a missing column', () => {
    expect(() => defineTable('x', { id: column.id(), a: column.text() }, { owner: 'b' as 'a' })).toThrow(
      /option "owner"/,
    );
  });

  it('builds the DrizzleAppSchema entries with localOnly', () => {
    const prefs = defineLocalTable('prefs', { id: column.id(), key: column.text() });
    const schema = defineSchema({ links, prefs });
    expect(schema.powersync.links.options.localOnly).toBe(false);
    expect(schema.powersync.prefs.options.localOnly).toBe(true);
    expect(Object.keys(schema.pg)).toEqual(['links']);
    expect(schema.table('doc_links')).toBe(links);
  });

  it('rejects two definitions with the same table name', () => {
    const a = defineTable('same', { id: column.id(), ownerId: column.owner() });
    const b = defineTable('same', { id: column.id(), ownerId: column.owner() });
    expect(() => defineSchema({ a, b })).toThrow(expect.objectContaining({ code: 'SCHEMA_DUPLICATE_TABLE' }));
  });
});
