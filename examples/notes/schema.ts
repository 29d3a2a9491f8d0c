/**
 * The notes data model, defined once. Everything else — the client's SQLite tables, the server's
 * Postgres tables, the PowerSync client schema, the sync rules and the upload handler's mapping — is
 * derived from these definitions. `ref()` marks every column holding the id of another synced table's
 * row: uploads pointing at a row the user may not see are refused.
 *
 * Sharing: a project is shared through `project_members` (a viewer reads it, an editor also writes it), and
 * its documents inherit that access (`sharing: { via: 'projectId' }`). Conflicts: documents carry a
 * `version` the client increments with every edit, so a stale edit is rejected with the server's row
 * instead of silently overwriting another device's text; `updatedAt` is stamped by the server.
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

/**
 * Who a project is shared with: one row per member, written by the project's owner only. The id derives from
 * the pair (see `memberId` in the shared notes layer), so sharing again with the same person changes the role.
 */
export const projectMembers = defineTable(
  'project_members',
  {
    id: column.id(),
    projectId: column
      .text()
      .notNull()
      .ref(() => projects),
    userId: column.text().notNull(),
    /** The member's email, as the owner entered it (shown in the share dialog). */
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

export const documents = defineTable(
  'documents',
  {
    id: column.id(),
    title: column.text(),
    content: column.text().notNull(),
    ownerId: column.owner(),
    projectId: column.text().ref(() => projects),
    deviceId: column.text().notNull(),
    /** Incremented by the client with every edit of the title or the text (conflict policy below). */
    version: column.integer().notNull().default(1),
    createdAt: column.timestamp().notNull().defaultNow(),
    /** Stamped by the server on every write: clients cannot set it. */
    updatedAt: column.timestamp().notNull().defaultNow().serverOwned('now'),
    deletedAt: column.timestamp(),
  },
  {
    sharing: { via: 'projectId' },
    // Moving and trashing need no version: last write wins for those columns; deletes always win.
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

/** Parent → child links between groups (a tree, or a DAG); each user's pairs are unique. */
export const groupHierarchy = defineTable(
  'group_hierarchy',
  {
    id: column.id(),
    parentGroupId: column
      .text()
      .notNull()
      .ref(() => groups),
    childGroupId: column
      .text()
      .notNull()
      .ref(() => groups),
    ownerId: column.owner(),
    createdAt: column.timestamp().notNull().defaultNow(),
  },
  {
    indexes: [
      index('idx_group_hierarchy_owner').on('ownerId'),
      uniqueIndex('uq_group_hierarchy_pair').on('parentGroupId', 'childGroupId'),
    ],
  },
);

/**
 * Many-to-many documents ⇄ groups: a synthetic id plus a unique index on the pair — unique per owner,
 * so another user's links neither block nor reveal anything.
 */
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

/** Device-specific settings: never leave the device, survive an account switch. */
export const preferences = defineLocalTable('preferences', {
  id: column.id(),
  key: column.text().notNull(),
  value: column.text(),
  updatedAt: column.timestamp().notNull().defaultNow(),
});

/** App state and cache flags: local only. */
export const localMetadata = defineLocalTable('local_metadata', {
  id: column.id(),
  key: column.text().notNull(),
  value: column.text(),
});

export const schema = defineSchema({
  projects,
  projectMembers,
  documents,
  documentVersions,
  groups,
  groupHierarchy,
  documentGroups,
  preferences,
  localMetadata,
});

export type Project = typeof projects.sqlite.$inferSelect;
export type ProjectMember = typeof projectMembers.sqlite.$inferSelect;
export type Document = typeof documents.sqlite.$inferSelect;
export type DocumentVersion = typeof documentVersions.sqlite.$inferSelect;
export type Group = typeof groups.sqlite.$inferSelect;
export type DocumentGroup = typeof documentGroups.sqlite.$inferSelect;
