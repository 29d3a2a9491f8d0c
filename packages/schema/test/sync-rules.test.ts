import { DEFAULT_HYDRATION_STATE, SqlSyncRules } from '@powersync/service-sync-rules';
import { testSchema as schema } from '@syncline/test-utils/schema';
import { describe, expect, it } from 'vitest';
import {
  column,
  defineTable,
  parseSyncRules,
  rulesOutputTables,
  sourceTablesOf,
  toSyncRules,
} from '../src/index.js';

describe('toSyncRules', () => {
  const yaml = toSyncRules(schema);

  it('parses with the official @powersync/service-sync-rules without errors or warnings', () => {
    const { errors } = SqlSyncRules.fromYaml(yaml, { defaultSchema: 'public', throwOnError: false });
    expect(errors).toEqual([]);
  });

  it('references only real columns of the Postgres tables', () => {
    expect(parseSyncRules(yaml, { tables: sourceTablesOf(schema.synced) }).issues).toEqual([]);
  });

  it('syncs every synced table, with every column, and no local-only table', () => {
    const { config } = parseSyncRules(yaml);
    const out = rulesOutputTables(config, sourceTablesOf(schema.synced));
    expect(out.map((t) => t.name).sort()).toEqual(schema.synced.map((t) => t.name).sort());
    for (const t of schema.synced) {
      const cols = out
        .find((o) => o.name === t.name)!
        .columns.map((c) => c.name)
        .sort();
      expect(cols).toEqual(
        t.columns
          .map((c) => c.name)
          .filter((c) => c !== 'id')
          .sort(),
      );
    }
  });

  it('puts each row into its owner bucket only', () => {
    const { config } = parseSyncRules(yaml);
    const hydrated = config.hydrate({ hydrationState: DEFAULT_HYDRATION_STATE, sqlite: null } as never);
    const rows = hydrated.evaluateRow({
      sourceTable: { connectionTag: 'default', schema: 'public', name: 'documents' } as never,
      record: {
        id: 'd1',
        owner_id: 'alice',
        content: 'x',
        device_id: 'dev',
        created_at: 'a',
        updated_at: 'b',
      },
    });
    expect(rows.map((r: { bucket: string }) => r.bucket)).toEqual(['user_data["alice"]']);
  });

  it('merges extra bucket definitions', () => {
    const extra = toSyncRules(schema, {
      extraBuckets: {
        shared: {
          parameters: 'SELECT group_id FROM document_groups WHERE owner_id = request.user_id()',
          data: ['SELECT * FROM groups WHERE id = bucket.group_id'],
        },
      },
    });
    expect(SqlSyncRules.fromYaml(extra, { defaultSchema: 'public', throwOnError: false }).errors).toEqual([]);
    expect(extra).toContain('shared:');
  });

  it('refuses a synced table without owner', () => {
    const t = defineTable('loose', { id: column.id(), title: column.text() });
    expect(() => toSyncRules([t])).toThrow(expect.objectContaining({ code: 'SCHEMA_MISSING_OWNER' }));
  });
});
