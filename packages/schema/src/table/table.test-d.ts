/**
 * Type-level tests: Drizzle's inference must stay intact on both dialects. Checked by `tsc -b`
 * (part of `npm test`); a wrong type here fails the build.
 */
import { describe, expectTypeOf, it } from 'vitest';
import { column } from '../columns/index.js';
import { defineSchema } from '../schema/index.js';
import { defineLocalTable, defineTable } from './index.js';

const docs = defineTable('docs', {
  id: column.id(),
  title: column.text(),
  body: column.text().notNull(),
  ownerId: column.owner(),
  pinned: column.boolean().notNull().default(false),
  views: column.integer(),
  score: column.real().notNull(),
  createdAt: column.timestamp().notNull().defaultNow(),
  deletedAt: column.timestamp(),
  meta: column.json<{ tags: string[] }>(),
  status: column.text().notNull().$type<'draft' | 'published'>(),
});

const prefs = defineLocalTable('prefs', { id: column.id(), key: column.text().notNull() });

describe('client (sqlite-core) inference', () => {
  it('$inferSelect', () => {
    expectTypeOf(docs.sqlite.$inferSelect).toEqualTypeOf<{
      id: string;
      title: string | null;
      body: string;
      ownerId: string | null;
      pinned: boolean;
      views: number | null;
      score: number;
      createdAt: string;
      deletedAt: string | null;
      meta: { tags: string[] } | null;
      status: 'draft' | 'published';
    }>();
  });

  it('$inferInsert: defaults and nullable columns are optional, the owner is optional on the client', () => {
    expectTypeOf(docs.sqlite.$inferInsert).toEqualTypeOf<{
      id: string;
      title?: string | null;
      body: string;
      ownerId?: string | null;
      pinned?: boolean;
      views?: number | null;
      score: number;
      createdAt?: string;
      deletedAt?: string | null;
      meta?: { tags: string[] } | null;
      status: 'draft' | 'published';
    }>();
  });
});

describe('server (pg-core) inference', () => {
  it('$inferSelect: owner NOT NULL, timestamps are Dates', () => {
    expectTypeOf(docs.pg.$inferSelect).toEqualTypeOf<{
      id: string;
      title: string | null;
      body: string;
      ownerId: string;
      pinned: boolean;
      views: number | null;
      score: number;
      createdAt: Date;
      deletedAt: Date | null;
      meta: { tags: string[] } | null;
      status: 'draft' | 'published';
    }>();
  });

  it('$inferInsert: the owner is required on the server', () => {
    expectTypeOf(docs.pg.$inferInsert).toHaveProperty('ownerId').toEqualTypeOf<string>();
    expectTypeOf(docs.pg.$inferInsert).toHaveProperty('createdAt').toEqualTypeOf<Date | undefined>();
  });
});

describe('schema maps', () => {
  const schema = defineSchema({ docs, prefs });
  it('keeps each table type and leaves local tables out of pg', () => {
    expectTypeOf(schema.sqlite.docs).toEqualTypeOf(docs.sqlite);
    expectTypeOf(schema.sqlite.prefs).toEqualTypeOf(prefs.sqlite);
    expectTypeOf(schema.pg).toEqualTypeOf<{ docs: typeof docs.pg }>();
    expectTypeOf(schema.powersync.prefs.options.localOnly).toEqualTypeOf<true>();
  });
});
