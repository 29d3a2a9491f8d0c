import { useTestDatabase } from '@syncline/test-utils';
import { testSchema as schema } from '@syncline/test-utils/schema';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertReplicationReady,
  checkReplicationSettings,
  ensurePublication,
  missingTables,
} from '../src/index.js';
import { applySchema } from '../src/migrate/index.js';

const db = useTestDatabase('postgres_pkg');
let client: pg.Client;

beforeAll(async () => {
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});
afterAll(async () => {
  await client.end();
});

const expectedPgType: Record<string, string> = {
  id: 'text',
  text: 'text',
  owner: 'text',
  integer: 'integer',
  real: 'double precision',
  boolean: 'boolean',
  timestamp: 'timestamp with time zone',
  json: 'jsonb',
};

describe('applySchema (the test schema on embedded Postgres)', () => {
  it('creates every synced table with the defined names, types and nullability', async () => {
    const result = await applySchema(db.url, schema);
    expect(result.statements.length).toBeGreaterThan(0);
    const { rows } = await client.query<{
      table_name: string;
      column_name: string;
      data_type: string;
      is_nullable: string;
    }>(
      `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
        WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
    );
    const tables = new Set(rows.map((r) => r.table_name));
    expect([...tables].sort()).toEqual(schema.synced.map((t) => t.name).sort());
    for (const t of schema.synced) {
      const cols = rows.filter((r) => r.table_name === t.name);
      expect(cols.map((c) => c.column_name)).toEqual(t.columns.map((c) => c.name));
      for (const c of t.columns) {
        const actual = cols.find((r) => r.column_name === c.name)!;
        expect(actual.data_type, `${t.name}.${c.name}`).toBe(expectedPgType[c.kind]);
        expect(actual.is_nullable, `${t.name}.${c.name}`).toBe(c.notNull ? 'NO' : 'YES');
      }
    }
  });

  it('creates the indexes, including the per-owner unique pair index of document_groups', async () => {
    const { rows } = await client.query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'document_groups'`,
    );
    const pair = rows.find((r) => r.indexname === 'uq_document_groups_pair');
    // Unique per owner: the owner column joins the declared key.
    expect(pair?.indexdef).toMatch(/UNIQUE INDEX .*\(document_id, group_id, owner_id\)/);
    await client.query(
      `INSERT INTO document_groups (id, document_id, group_id, owner_id) VALUES ('a', 'd', 'g', 'u')`,
    );
    await expect(
      client.query(
        `INSERT INTO document_groups (id, document_id, group_id, owner_id) VALUES ('b', 'd', 'g', 'u')`,
      ),
    ).rejects.toThrow(/duplicate key/);
    // Another owner's identical pair is no conflict.
    await client.query(
      `INSERT INTO document_groups (id, document_id, group_id, owner_id) VALUES ('c', 'd', 'g', 'v')`,
    );
  });

  it('is idempotent: a second run applies nothing', async () => {
    const again = await applySchema(db.url, schema);
    expect(again.statements).toEqual([]);
  });

  it('publishes exactly the synced tables under "powersync"', async () => {
    const { rows } = await client.query<{ tablename: string }>(
      `SELECT tablename FROM pg_publication_tables WHERE pubname = 'powersync' ORDER BY tablename`,
    );
    expect(rows.map((r) => r.tablename)).toEqual(schema.synced.map((t) => t.name).sort());
    expect(await missingTables(client, { name: 'powersync', tables: ['projects'] })).toEqual([]);
  });

  it('adds tables to an existing publication without removing others', async () => {
    await client.query('CREATE TABLE memberships (id text primary key, user_id text)');
    const added = await ensurePublication(client, { name: 'powersync', tables: ['memberships'] });
    expect(added).toEqual(['memberships']);
    const { rowCount } = await client.query(
      `SELECT 1 FROM pg_publication_tables WHERE pubname = 'powersync'`,
    );
    expect(rowCount).toBe(schema.synced.length + 1);
  });
});

describe('logical replication', () => {
  it('the server is configured for it', async () => {
    const checks = await assertReplicationReady(client);
    expect(checks.every((c) => c.ok)).toBe(true);
    expect(checks.find((c) => c.name === 'wal_level')?.current).toBe('logical');
  });

  it('a pgoutput slot sees an insert into a synced table', async () => {
    const slot = `t_${Date.now()}`;
    await client.query(`SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [slot]);
    try {
      await client.query(
        `INSERT INTO projects (id, name, owner_id) VALUES ('p-repl-1', 'Replicated', 'user-1')`,
      );
      const { rows } = await client.query<{ data: Buffer }>(
        `SELECT data FROM pg_logical_slot_get_binary_changes($1, NULL, NULL, 'proto_version', '1', 'publication_names', 'powersync')`,
        [slot],
      );
      const tags = rows.map((r) => String.fromCharCode(r.data[0]!));
      expect(tags).toEqual(['B', 'R', 'I', 'C']); // begin, relation, insert, commit
      const insert = rows[2]!.data.toString('latin1');
      expect(insert).toContain('p-repl-1');
      expect(insert).toContain('user-1');
      expect(rows[1]!.data.toString('latin1')).toContain('projects');
    } finally {
      await client.query('SELECT pg_drop_replication_slot($1)', [slot]);
    }
  });
});

describe('settings checks', () => {
  it('reports a failing setting with its current value and the SQL that fixes it', async () => {
    const fake = {
      query: async (sql: string) =>
        sql.includes('pg_settings')
          ? {
              rows: [
                { name: 'wal_level', setting: 'replica', unit: null },
                { name: 'max_replication_slots', setting: '10' },
                { name: 'max_wal_senders', setting: '10' },
                { name: 'max_slot_wal_keep_size', setting: '-1', unit: 'MB' },
              ],
            }
          : { rows: [{ rolname: 'app', rolreplication: false, rolsuper: false }] },
    } as unknown as pg.Client;
    const checks = await checkReplicationSettings(fake);
    expect(checks.filter((c) => !c.ok).map((c) => c.name)).toEqual([
      'wal_level',
      'max_slot_wal_keep_size',
      'replication privilege',
    ]);
    await expect(assertReplicationReady(fake)).rejects.toMatchObject({
      code: 'PG_SETTING_INVALID',
      message: expect.stringContaining("ALTER SYSTEM SET wal_level = 'logical'"),
    });
  });
});
