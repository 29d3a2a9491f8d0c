/**
 * The test schema (`@syncline/test-utils/schema`): a small data model every package's tests and the bench use,
 * so no library test depends on an example app. Each table exercises one feature of `@syncline/schema`:
 *
 * - `projects`: a plain owned table (the owner column is set from the token).
 * - `project_members`: the membership table sharing a project (viewer reads, editor writes).
 * - `documents`: shared through its project, conflicts by a `version` column, a server-stamped column.
 * - `document_versions`: a child table referencing `documents` (not shared).
 * - `groups` and `document_groups`: many-to-many with a per-owner unique pair.
 * - `preferences`: a local-only table (never synced).
 *
 * It imports `@syncline/schema/client` only, so browser pages can bundle it.
 */
import {
  column,
  defineLocalTable,
  defineSchema,
  defineTable,
  index,
  type ShareRole,
  uniqueIndex,
} from '@syncline/schema/client';

export const projects = defineTable(
  'projects',
  {
    id: column.id(),
    name: column.text().notNull(),
    ownerId: column.owner(),
    isDefault: column.boolean().notNull().default(false),
    createdAt: column.timestamp().notNull().defaultNow(),
    updatedAt: column.timestamp().notNull().defaultNow(),
    deletedAt: column.timestamp(),
  },
  { indexes: [index('idx_projects_owner').on('ownerId')] },
);

/** Who a project is shared with: one row per member, written by the project's owner only. */
export const projectMembers = defineTable(
  'project_members',
  {
    id: column.id(),
    projectId: column
      .text()
      .notNull()
      .ref(() => projects),
    userId: column.text().notNull(),
    email: column.text(),
    role: column.text().notNull().$type<ShareRole>(),
    ownerId: column.owner(),
    createdAt: column.timestamp().notNull().defaultNow(),
  },
  {
    membership: { resource: 'projectId', user: 'userId', role: 'role' },
    indexes: [
      index('idx_project_members_owner').on('ownerId'),
      index('idx_project_members_user').on('userId'),
      uniqueIndex('uq_project_members_pair').on('projectId', 'userId'),
    ],
  },
);

/** Shared through `projectId`; a stale `version` is a conflict; `updatedAt` is stamped by the server. */
export const documents = defineTable(
  'documents',
  {
    id: column.id(),
    title: column.text(),
    content: column.text().notNull(),
    ownerId: column.owner(),
    projectId: column.text().ref(() => projects),
    deviceId: column.text().notNull(),
    version: column.integer().notNull().default(1),
    createdAt: column.timestamp().notNull().defaultNow(),
    updatedAt: column.timestamp().notNull().defaultNow().serverOwned('now'),
    deletedAt: column.timestamp(),
  },
  {
    sharing: { via: 'projectId' },
    conflicts: { policy: 'version', column: 'version', lww: ['projectId', 'deletedAt'] },
    indexes: [
      index('idx_documents_owner').on('ownerId'),
      index('idx_documents_project').on('projectId'),
      index('idx_documents_deleted').on('deletedAt'),
    ],
  },
);

export const documentVersions = defineTable(
  'document_versions',
  {
    id: column.id(),
    documentId: column
      .text()
      .notNull()
      .ref(() => documents),
    ownerId: column.owner(),
    title: column.text(),
    content: column.text().notNull(),
    version: column.integer().notNull(),
    deviceId: column.text(),
    createdAt: column.timestamp().notNull().defaultNow(),
  },
  {
    indexes: [
      index('idx_document_versions_owner').on('ownerId'),
      index('idx_document_versions_document').on('documentId'),
    ],
  },
);

export const groups = defineTable(
  'groups',
  {
    id: column.id(),
    name: column.text().notNull(),
    ownerId: column.owner(),
    color: column.text(),
    createdAt: column.timestamp().notNull().defaultNow(),
    updatedAt: column.timestamp().notNull().defaultNow(),
    deletedAt: column.timestamp(),
  },
  { indexes: [index('idx_groups_owner').on('ownerId')] },
);

/** Documents ⇄ groups: a synthetic id plus a unique index on the pair, unique per owner. */
export const documentGroups = defineTable(
  'document_groups',
  {
    id: column.id(),
    documentId: column
      .text()
      .notNull()
      .ref(() => documents),
    groupId: column
      .text()
      .notNull()
      .ref(() => groups),
    ownerId: column.owner(),
    createdAt: column.timestamp().notNull().defaultNow(),
  },
  {
    indexes: [
      index('idx_document_groups_owner').on('ownerId'),
      index('idx_document_groups_group').on('groupId'),
      uniqueIndex('uq_document_groups_pair').on('documentId', 'groupId'),
    ],
  },
);

/** Device-specific settings: never leave the device. */
export const preferences = defineLocalTable('preferences', {
  id: column.id(),
  key: column.text().notNull(),
  value: column.text(),
  updatedAt: column.timestamp().notNull().defaultNow(),
});

export const testSchema = defineSchema({
  projects,
  projectMembers,
  documents,
  documentVersions,
  groups,
  documentGroups,
  preferences,
});

/** The schema's type (for `SyncClient<TestSchema>` and the like). */
export type TestSchema = typeof testSchema;
