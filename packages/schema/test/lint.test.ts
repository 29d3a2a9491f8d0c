import { describe, expect, it } from 'vitest';
import { column, defineTable, lintDrizzleTables, lintSchema, tablesInModule } from '../src/index.js';
import * as bad from './fixtures/lint-bad.js';
import * as badPg from './fixtures/lint-bad-pg.js';

const issuesFor = (table: string, issues: ReturnType<typeof lintSchema>) =>
  issues.filter((i) => i.table === table).map((i) => [i.code, i.column ?? null]);

describe('lint (hand-written Drizzle fixtures)', () => {
  const issues = lintDrizzleTables([...tablesInModule(bad).values(), ...tablesInModule(badPg).values()], {
    localOnly: ['settings'],
  });

  it('rejects a non-text id', () => {
    expect(issuesFor('int_ids', issues)).toEqual([['SCHEMA_ID_NOT_TEXT', 'id']]);
  });
  it('rejects composite primary keys (and the missing id they imply)', () => {
    expect(issuesFor('pairs', issues)).toEqual([
      ['SCHEMA_COMPOSITE_PRIMARY_KEY', null],
      ['SCHEMA_MISSING_ID', null],
    ]);
  });
  it('rejects foreign keys, naming the column', () => {
    expect(issuesFor('children', issues)).toEqual([['SCHEMA_FOREIGN_KEY', 'parent_id']]);
  });
  it('rejects column types the client cannot carry', () => {
    expect(issuesFor('files', issues)).toEqual([['SCHEMA_UNSUPPORTED_TYPE', 'data']]);
    expect(issuesFor('geo', issues)).toEqual([['SCHEMA_UNSUPPORTED_TYPE', 'at']]);
    expect(issuesFor('raw', issues)).toEqual([['SCHEMA_UNSUPPORTED_TYPE', 'payload']]);
  });
  it('accepts a uuid id on the server (it is text on the wire)', () => {
    expect(issuesFor('uuids', issues)).toEqual([]);
  });
  it('rejects synced tables without an owner, but not local-only ones', () => {
    expect(issuesFor('ownerless', issues)).toEqual([['SCHEMA_MISSING_OWNER', null]]);
    expect(issuesFor('settings', issues)).toEqual([]);
  });
  it('rejects a missing id and a primary key that is not id', () => {
    expect(issuesFor('no_id', issues)).toEqual([
      ['SCHEMA_MISSING_ID', null],
      ['SCHEMA_ID_NOT_PRIMARY_KEY', 'uuid'],
    ]);
  });
  it('rejects the ps_ prefix PowerSync reserves', () => {
    expect(issuesFor('ps_things', issues)).toEqual([['SCHEMA_INVALID_NAME', null]]);
  });
  it('accepts a correct table', () => {
    expect(issuesFor('parents', issues)).toEqual([]);
  });
  it('messages name the table and say what to do', () => {
    const fk = issues.find((i) => i.code === 'SCHEMA_FOREIGN_KEY')!;
    expect(fk.message).toContain('children');
    expect(fk.message).toMatch(/drop the constraint/);
  });
});

describe('lint (definitions)', () => {
  it('rejects a synced definition without owner and with a non-text id', () => {
    const t = defineTable('loose', { id: column.integer(), title: column.text() });
    const codes = lintSchema([t]).map((i) => i.code);
    expect(codes).toContain('SCHEMA_MISSING_OWNER');
    expect(codes).toContain('SCHEMA_ID_NOT_TEXT');
  });
  it('passes the test schema', async () => {
    const { testSchema: schema } = await import('@syncline/test-utils/schema');
    expect(lintSchema(schema)).toEqual([]);
  });
});
