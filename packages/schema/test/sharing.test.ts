/**
 * Sharing and conflict declarations: what `defineTable`/`defineSchema` accept and refuse, and the sync rules they
 * generate, evaluated by the official `@powersync/service-sync-rules` (the library both sync servers use).
 */
import { DEFAULT_HYDRATION_STATE, SqlSyncRules } from '@powersync/service-sync-rules';
import { testSchema as schema } from '@syncline/test-utils/schema';
import { describe, expect, it } from 'vitest';
import {
  column,
  defineSchema,
  defineTable,
  parseSyncRules,
  rulesOutputTables,
  sourceTablesOf,
  toSyncRules,
} from '../src/index.js';

const ref = (name: string) => ({ connectionTag: 'default', schema: 'public', name }) as never;

describe('sharing in the generated sync rules', () => {
  const yaml = toSyncRules(schema);
  const { config } = parseSyncRules(yaml);
  const hydrated = config.hydrate({ hydrationState: DEFAULT_HYDRATION_STATE, sqlite: null } as never);

  it('parse with the official library without errors or warnings, against the real columns', () => {
    expect(SqlSyncRules.fromYaml(yaml, { defaultSchema: 'public', throwOnError: false }).errors).toEqual([]);
    expect(parseSyncRules(yaml, { tables: sourceTablesOf(schema.synced) }).issues).toEqual([]);
    expect(
      schema.sharing.map((r) => [r.table.name, r.members.name, r.children.map((c) => c.table.name)]),
    ).toEqual([['projects', 'project_members', ['documents']]]);
  });

  it('still give every synced table with every column', () => {
    const out = rulesOutputTables(config, sourceTablesOf(schema.synced));
    expect(out.map((t) => t.name).sort()).toEqual(schema.synced.map((t) => t.name).sort());
  });

  it("a document goes to its owner's bucket and to its project's bucket", () => {
    const rows = hydrated.evaluateRow({
      sourceTable: ref('documents'),
      record: { id: 'd1', owner_id: 'alice', project_id: 'p1', content: 'x', device_id: 'x', version: 1 },
    });
    expect(rows.map((r: { bucket: string }) => r.bucket).sort()).toEqual([
      'shared_projects["p1"]',
      'user_data["alice"]',
    ]);
    const loose = hydrated.evaluateRow({
      sourceTable: ref('documents'),
      record: { id: 'd2', owner_id: 'alice', project_id: null, content: 'x', device_id: 'x', version: 1 },
    });
    expect(loose.map((r: { bucket: string }) => r.bucket)).toEqual(['user_data["alice"]']);
  });

  it('a project and its membership rows go to the project bucket; rows of other tables do not', () => {
    const project = hydrated.evaluateRow({
      sourceTable: ref('projects'),
      record: { id: 'p1', owner_id: 'alice', name: 'P' },
    });
    expect(project.map((r: { bucket: string }) => r.bucket).sort()).toEqual([
      'shared_projects["p1"]',
      'user_data["alice"]',
    ]);
    const member = hydrated.evaluateRow({
      sourceTable: ref('project_members'),
      record: { id: 'm1', project_id: 'p1', user_id: 'bob', role: 'viewer', owner_id: 'alice' },
    });
    expect(member.map((r: { bucket: string }) => r.bucket).sort()).toEqual([
      'shared_projects["p1"]',
      'user_data["alice"]',
    ]);
    const version = hydrated.evaluateRow({
      sourceTable: ref('document_versions'),
      record: { id: 'v1', document_id: 'd1', owner_id: 'bob', content: 'x', version: 1 },
    });
    expect(version.map((r: { bucket: string }) => r.bucket)).toEqual(['user_data["bob"]']);
  });

  it("a membership row gives its user the project's bucket; owning the project gives it to the owner", () => {
    const fromMember = hydrated.evaluateParameterRow(ref('project_members'), {
      id: 'm1',
      project_id: 'p1',
      user_id: 'bob',
      role: 'viewer',
      owner_id: 'alice',
    } as never);
    expect(fromMember.map((r: { bucketParameters: unknown[] }) => r.bucketParameters)).toEqual([
      [{ project_id: 'p1' }],
    ]);
    const fromOwner = hydrated.evaluateParameterRow(ref('projects'), {
      id: 'p1',
      owner_id: 'alice',
    } as never);
    expect(fromOwner.map((r: { bucketParameters: unknown[] }) => r.bucketParameters)).toEqual([
      [{ project_id: 'p1' }],
    ]);
  });
});

describe('sharing declarations', () => {
  const projects = defineTable('projects', { id: column.id(), name: column.text(), ownerId: column.owner() });
  type Target = Parameters<ReturnType<typeof column.text>['ref']>[0];
  const members = (options: Record<string, unknown> = {}, target: Target = () => projects) =>
    defineTable(
      'members',
      {
        id: column.id(),
        projectId: column.text().notNull().ref(target),
        userId: column.text().notNull(),
        role: column.text().notNull(),
        ownerId: column.owner(),
        plain: column.text(),
        count: column.integer(),
      },
      { membership: { resource: 'projectId', user: 'userId', role: 'role', ...options } as never },
    );
  const docs = (via = 'projectId', target: Target = () => projects) =>
    defineTable(
      'docs',
      {
        id: column.id(),
        projectId: column.text().ref(target),
        plain: column.text(),
        ownerId: column.owner(),
      },
      { sharing: { via: via as never } },
    );
  const invalid = expect.objectContaining({ code: 'SCHEMA_INVALID_SHARING' });

  it('accepts a resource, its membership table and a child', () => {
    const s = defineSchema({ projects, members: members(), docs: docs() });
    expect(s.sharing).toHaveLength(1);
    expect(s.sharing[0]!.children.map((c) => c.column.name)).toEqual(['project_id']);
  });

  it('refuses columns that are missing, not references, or not text', () => {
    expect(() => members({ user: 'nope' })).toThrow(invalid);
    expect(() => members({ resource: 'plain' })).toThrow(invalid);
    expect(() => members({ role: 'count' })).toThrow(invalid);
    expect(() => members({ user: 'projectId' })).toThrow(invalid);
    expect(() => docs('plain')).toThrow(invalid);
    expect(() => docs('nope')).toThrow(invalid);
  });

  it('refuses a child whose reference is not a shared resource, and a resource shared twice', () => {
    const other = defineTable('other', { id: column.id(), ownerId: column.owner() });
    expect(() => defineSchema({ projects, other, docs: docs('projectId', () => other) })).toThrow(invalid);
    const second = defineTable(
      'members2',
      {
        id: column.id(),
        projectId: column.text().ref(() => projects),
        userId: column.text(),
        role: column.text(),
        ownerId: column.owner(),
      },
      { membership: { resource: 'projectId', user: 'userId', role: 'role' } },
    );
    expect(() => defineSchema({ projects, members: members(), second })).toThrow(invalid);
  });

  it('refuses nesting (sharing a table that is itself shared via another) and tables without owner', () => {
    const m = members();
    const d = docs();
    const nested = defineTable(
      'doc_members',
      {
        id: column.id(),
        docId: column.text().ref(() => d),
        userId: column.text(),
        role: column.text(),
        ownerId: column.owner(),
      },
      { membership: { resource: 'docId', user: 'userId', role: 'role' } },
    );
    expect(() => defineSchema({ projects, m, d, nested })).toThrow(invalid);
    expect(() =>
      defineTable(
        'ownerless',
        { id: column.id(), projectId: column.text().ref(() => projects) },
        { sharing: { via: 'projectId' } },
      ),
    ).toThrow(invalid);
  });
});

describe('conflict policies and server-owned columns', () => {
  const cols = () => ({
    id: column.id(),
    ownerId: column.owner(),
    title: column.text(),
    version: column.integer().notNull().default(1),
    loose: column.integer(),
  });
  const policy = expect.objectContaining({ code: 'SCHEMA_INVALID_CONFLICT_POLICY' });

  it('resolves lww (default) and version with lww columns', () => {
    expect(defineTable('t', cols()).conflicts).toEqual({ policy: 'lww' });
    const t = defineTable('t', cols(), {
      conflicts: { policy: 'version', column: 'version', lww: ['title'] },
    });
    expect(
      t.conflicts.policy === 'version' && [t.conflicts.column.name, t.conflicts.lww.map((c) => c.name)],
    ).toEqual(['version', ['title']]);
  });

  it('refuses a version column that is missing, nullable or not an integer, and bad lww columns', () => {
    const bad = (conflicts: unknown) => () => defineTable('t', cols(), { conflicts: conflicts as never });
    expect(bad({ policy: 'version', column: 'nope' })).toThrow(policy);
    expect(bad({ policy: 'version', column: 'loose' })).toThrow(policy);
    expect(bad({ policy: 'version', column: 'title' })).toThrow(policy);
    expect(bad({ policy: 'version', column: 'version', lww: ['version'] })).toThrow(policy);
    expect(bad({ policy: 'version', column: 'version', lww: ['ownerId'] })).toThrow(policy);
    expect(bad({ policy: 'merge' })).toThrow(policy);
  });

  it('server-owned: kinds must fit, NOT NULL needs a default', () => {
    expect(() => column.text().serverOwned('now')).toThrow(/timestamp/);
    expect(() => column.timestamp().serverOwned('increment')).toThrow(/integer/);
    expect(() => column.owner().serverOwned()).toThrow(/already set by the server/);
    expect(() =>
      defineTable('t', { id: column.id(), at: column.timestamp().notNull().serverOwned('now') }),
    ).toThrow(policy);
    const t = defineTable('t', {
      id: column.id(),
      at: column.timestamp().notNull().defaultNow().serverOwned('now'),
      edits: column.integer().notNull().default(0).serverOwned('increment'),
    });
    expect(t.columns.map((c) => c.serverOwned)).toEqual([undefined, 'now', 'increment']);
  });
});
