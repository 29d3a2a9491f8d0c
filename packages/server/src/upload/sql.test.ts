import { column, defineSchema, defineTable } from '@syncline/schema';
import { describe, expect, it } from 'vitest';
import { type TablePlan, uploadTables } from './plan.js';
import { patchRowsStatement, putRowsStatement } from './rows-sql.js';
import { deleteStatement, ident, patchStatement, putStatement } from './sql.js';

const tables = uploadTables(
  defineSchema({
    docs: defineTable('docs', {
      id: column.id(),
      ownerId: column.owner(),
      title: column.text(),
      deletedAt: column.timestamp(),
    }),
    links: defineTable('links', { id: column.id(), ownerId: column.owner(), target: column.text() }),
  }),
);
const docs = tables.get('docs') as TablePlan;
const links = tables.get('links') as TablePlan;

describe('statements', () => {
  it('PUT inserts with the user as owner and updates only the user’s own row', () => {
    const s = putStatement(docs, 'd1', 'u1', { title: 'T' });
    expect(s.text).toBe(
      'INSERT INTO "docs" AS t ("id", "owner_id", "title") VALUES ($1, $2, $3) ' +
        'ON CONFLICT ("id") DO UPDATE SET "title" = EXCLUDED."title", "owner_id" = EXCLUDED."owner_id" ' +
        'WHERE t."owner_id" = $2 RETURNING (t.xmax = 0) AS inserted',
    );
    expect(s.values).toEqual(['d1', 'u1', 'T']);
    expect(putStatement(docs, 'd1', 'u1', {}).text).toContain(
      'DO UPDATE SET "owner_id" = EXCLUDED."owner_id" WHERE',
    );
  });

  it('rows decided as missing are never updated (SPEC.md U1): insert only, or excluded by id', () => {
    expect(putStatement(docs, 'd1', 'u1', { title: 'T' }, true).text).toBe(
      'INSERT INTO "docs" AS t ("id", "owner_id", "title") VALUES ($1, $2, $3) ' +
        'ON CONFLICT ("id") DO NOTHING RETURNING true AS inserted',
    );
    const rows = [
      { id: 'd1', values: { title: 'A' } },
      { id: 'd2', values: { title: 'B' } },
    ];
    const put = putRowsStatement(docs, 'u1', ['title'], rows, ['d2']);
    expect(put.text).toMatch(/WHERE t\."owner_id" = \$1 AND t\."id" <> ALL\(\$3::text\[\]\) RETURNING/);
    expect(put.values[2]).toEqual(['d2']);
    const patch = patchRowsStatement(docs, 'u1', ['title'], rows, ['d1']);
    expect(patch.text).toMatch(/AND t\."owner_id" = \$1 AND t\."id" <> ALL\(\$6::text\[\]\) RETURNING/);
    expect(patch.values[5]).toEqual(['d1']);
    // Without such rows, the statements are unchanged.
    expect(putRowsStatement(docs, 'u1', ['title'], rows).text).not.toContain('ALL(');
    expect(patchRowsStatement(docs, 'u1', ['title'], rows, []).text).not.toContain('ALL(');
  });

  it('PATCH and DELETE match id and owner', () => {
    expect(patchStatement(docs, 'd1', 'u1', { title: 'T' })).toEqual({
      text: 'UPDATE "docs" SET "title" = $3 WHERE "id" = $1 AND "owner_id" = $2 RETURNING 1',
      values: ['d1', 'u1', 'T'],
    });
    expect(deleteStatement(docs, 'd1', 'u1').text).toBe(
      'UPDATE "docs" SET "deleted_at" = COALESCE("deleted_at", now()) WHERE "id" = $1 AND "owner_id" = $2 RETURNING 1',
    );
    expect(deleteStatement(links, 'l1', 'u1').text).toBe(
      'DELETE FROM "links" WHERE "id" = $1 AND "owner_id" = $2 RETURNING 1',
    );
  });

  it('quotes identifiers', () => {
    expect(ident('we"ird')).toBe('"we""ird"');
  });
});
