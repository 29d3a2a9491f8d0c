export declare const projects: import('@syncline/schema/client').SyncedTable<
  'projects',
  {
    id: import('@syncline/schema/client').ColumnDef<'id', true, false, string>;
    name: import('@syncline/schema/client').ColumnDef<'text', true, false, string>;
    ownerId: import('@syncline/schema/client').ColumnDef<'owner', false, false, string>;
    isDefault: import('@syncline/schema/client').ColumnDef<'boolean', true, true, boolean>;
    createdAt: import('@syncline/schema/client').TimestampColumnDef<true, true>;
    updatedAt: import('@syncline/schema/client').TimestampColumnDef<true, true>;
    deletedAt: import('@syncline/schema/client').TimestampColumnDef<false, false>;
  }
>;
export declare const documents: import('@syncline/schema/client').SyncedTable<
  'documents',
  {
    id: import('@syncline/schema/client').ColumnDef<'id', true, false, string>;
    title: import('@syncline/schema/client').ColumnDef<'text', false, false, string>;
    content: import('@syncline/schema/client').ColumnDef<'text', true, false, string>;
    ownerId: import('@syncline/schema/client').ColumnDef<'owner', false, false, string>;
    projectId: import('@syncline/schema/client').ColumnDef<'text', false, false, string>;
    deviceId: import('@syncline/schema/client').ColumnDef<'text', true, false, string>;
    createdAt: import('@syncline/schema/client').TimestampColumnDef<true, true>;
    updatedAt: import('@syncline/schema/client').TimestampColumnDef<true, true>;
    deletedAt: import('@syncline/schema/client').TimestampColumnDef<false, false>;
  }
>;
export declare const documentVersions: import('@syncline/schema/client').SyncedTable<
  'document_versions',
  {
    id: import('@syncline/schema/client').ColumnDef<'id', true, false, string>;
    documentId: import('@syncline/schema/client').ColumnDef<'text', true, false, string>;
    ownerId: import('@syncline/schema/client').ColumnDef<'owner', false, false, string>;
    title: import('@syncline/schema/client').ColumnDef<'text', false, false, string>;
    content: import('@syncline/schema/client').ColumnDef<'text', true, false, string>;
    version: import('@syncline/schema/client').ColumnDef<'integer', true, false, number>;
    deviceId: import('@syncline/schema/client').ColumnDef<'text', false, false, string>;
    createdAt: import('@syncline/schema/client').TimestampColumnDef<true, true>;
  }
>;
export declare const groups: import('@syncline/schema/client').SyncedTable<
  'groups',
  {
    id: import('@syncline/schema/client').ColumnDef<'id', true, false, string>;
    name: import('@syncline/schema/client').ColumnDef<'text', true, false, string>;
    ownerId: import('@syncline/schema/client').ColumnDef<'owner', false, false, string>;
    color: import('@syncline/schema/client').ColumnDef<'text', false, false, string>;
    createdAt: import('@syncline/schema/client').TimestampColumnDef<true, true>;
    updatedAt: import('@syncline/schema/client').TimestampColumnDef<true, true>;
    deletedAt: import('@syncline/schema/client').TimestampColumnDef<false, false>;
  }
>;
/** Parent → child links between groups (a tree, or a DAG). */
export declare const groupHierarchy: import('@syncline/schema/client').SyncedTable<
  'group_hierarchy',
  {
    id: import('@syncline/schema/client').ColumnDef<'id', true, false, string>;
    parentGroupId: import('@syncline/schema/client').ColumnDef<'text', true, false, string>;
    childGroupId: import('@syncline/schema/client').ColumnDef<'text', true, false, string>;
    ownerId: import('@syncline/schema/client').ColumnDef<'owner', false, false, string>;
    createdAt: import('@syncline/schema/client').TimestampColumnDef<true, true>;
  }
>;
/** Many-to-many documents ⇄ groups: a synthetic id plus a unique index on the pair. */
export declare const documentGroups: import('@syncline/schema/client').SyncedTable<
  'document_groups',
  {
    id: import('@syncline/schema/client').ColumnDef<'id', true, false, string>;
    documentId: import('@syncline/schema/client').ColumnDef<'text', true, false, string>;
    groupId: import('@syncline/schema/client').ColumnDef<'text', true, false, string>;
    ownerId: import('@syncline/schema/client').ColumnDef<'owner', false, false, string>;
    createdAt: import('@syncline/schema/client').TimestampColumnDef<true, true>;
  }
>;
/** Device-specific settings: never leave the device, survive an account switch. */
export declare const preferences: import('@syncline/schema/client').LocalTable<
  'preferences',
  {
    id: import('@syncline/schema/client').ColumnDef<'id', true, false, string>;
    key: import('@syncline/schema/client').ColumnDef<'text', true, false, string>;
    value: import('@syncline/schema/client').ColumnDef<'text', false, false, string>;
    updatedAt: import('@syncline/schema/client').TimestampColumnDef<true, true>;
  }
>;
/** App state and cache flags: local only. */
export declare const localMetadata: import('@syncline/schema/client').LocalTable<
  'local_metadata',
  {
    id: import('@syncline/schema/client').ColumnDef<'id', true, false, string>;
    key: import('@syncline/schema/client').ColumnDef<'text', true, false, string>;
    value: import('@syncline/schema/client').ColumnDef<'text', false, false, string>;
  }
>;
export declare const schema: import('@syncline/schema/client').SynclineSchema<{
  projects: import('@syncline/schema/client').SyncedTable<
    'projects',
    {
      id: import('@syncline/schema/client').ColumnDef<'id', true, false, string>;
      name: import('@syncline/schema/client').ColumnDef<'text', true, false, string>;
      ownerId: import('@syncline/schema/client').ColumnDef<'owner', false, false, string>;
      isDefault: import('@syncline/schema/client').ColumnDef<'boolean', true, true, boolean>;
      createdAt: import('@syncline/schema/client').TimestampColumnDef<true, true>;
      updatedAt: import('@syncline/schema/client').TimestampColumnDef<true, true>;
      deletedAt: import('@syncline/schema/client').TimestampColumnDef<false, false>;
    }
  >;
  documents: import('@syncline/schema/client').SyncedTable<
    'documents',
    {
      id: import('@syncline/schema/client').ColumnDef<'id', true, false, string>;
      title: import('@syncline/schema/client').ColumnDef<'text', false, false, string>;
      content: import('@syncline/schema/client').ColumnDef<'text', true, false, string>;
      ownerId: import('@syncline/schema/client').ColumnDef<'owner', false, false, string>;
      projectId: import('@syncline/schema/client').ColumnDef<'text', false, false, string>;
      deviceId: import('@syncline/schema/client').ColumnDef<'text', true, false, string>;
      createdAt: import('@syncline/schema/client').TimestampColumnDef<true, true>;
      updatedAt: import('@syncline/schema/client').TimestampColumnDef<true, true>;
      deletedAt: import('@syncline/schema/client').TimestampColumnDef<false, false>;
    }
  >;
  documentVersions: import('@syncline/schema/client').SyncedTable<
    'document_versions',
    {
      id: import('@syncline/schema/client').ColumnDef<'id', true, false, string>;
      documentId: import('@syncline/schema/client').ColumnDef<'text', true, false, string>;
      ownerId: import('@syncline/schema/client').ColumnDef<'owner', false, false, string>;
      title: import('@syncline/schema/client').ColumnDef<'text', false, false, string>;
      content: import('@syncline/schema/client').ColumnDef<'text', true, false, string>;
      version: import('@syncline/schema/client').ColumnDef<'integer', true, false, number>;
      deviceId: import('@syncline/schema/client').ColumnDef<'text', false, false, string>;
      createdAt: import('@syncline/schema/client').TimestampColumnDef<true, true>;
    }
  >;
  groups: import('@syncline/schema/client').SyncedTable<
    'groups',
    {
      id: import('@syncline/schema/client').ColumnDef<'id', true, false, string>;
      name: import('@syncline/schema/client').ColumnDef<'text', true, false, string>;
      ownerId: import('@syncline/schema/client').ColumnDef<'owner', false, false, string>;
      color: import('@syncline/schema/client').ColumnDef<'text', false, false, string>;
      createdAt: import('@syncline/schema/client').TimestampColumnDef<true, true>;
      updatedAt: import('@syncline/schema/client').TimestampColumnDef<true, true>;
      deletedAt: import('@syncline/schema/client').TimestampColumnDef<false, false>;
    }
  >;
  groupHierarchy: import('@syncline/schema/client').SyncedTable<
    'group_hierarchy',
    {
      id: import('@syncline/schema/client').ColumnDef<'id', true, false, string>;
      parentGroupId: import('@syncline/schema/client').ColumnDef<'text', true, false, string>;
      childGroupId: import('@syncline/schema/client').ColumnDef<'text', true, false, string>;
      ownerId: import('@syncline/schema/client').ColumnDef<'owner', false, false, string>;
      createdAt: import('@syncline/schema/client').TimestampColumnDef<true, true>;
    }
  >;
  documentGroups: import('@syncline/schema/client').SyncedTable<
    'document_groups',
    {
      id: import('@syncline/schema/client').ColumnDef<'id', true, false, string>;
      documentId: import('@syncline/schema/client').ColumnDef<'text', true, false, string>;
      groupId: import('@syncline/schema/client').ColumnDef<'text', true, false, string>;
      ownerId: import('@syncline/schema/client').ColumnDef<'owner', false, false, string>;
      createdAt: import('@syncline/schema/client').TimestampColumnDef<true, true>;
    }
  >;
  preferences: import('@syncline/schema/client').LocalTable<
    'preferences',
    {
      id: import('@syncline/schema/client').ColumnDef<'id', true, false, string>;
      key: import('@syncline/schema/client').ColumnDef<'text', true, false, string>;
      value: import('@syncline/schema/client').ColumnDef<'text', false, false, string>;
      updatedAt: import('@syncline/schema/client').TimestampColumnDef<true, true>;
    }
  >;
  localMetadata: import('@syncline/schema/client').LocalTable<
    'local_metadata',
    {
      id: import('@syncline/schema/client').ColumnDef<'id', true, false, string>;
      key: import('@syncline/schema/client').ColumnDef<'text', true, false, string>;
      value: import('@syncline/schema/client').ColumnDef<'text', false, false, string>;
    }
  >;
}>;
export type Project = typeof projects.sqlite.$inferSelect;
export type Document = typeof documents.sqlite.$inferSelect;
export type DocumentVersion = typeof documentVersions.sqlite.$inferSelect;
export type Group = typeof groups.sqlite.$inferSelect;
export type DocumentGroup = typeof documentGroups.sqlite.$inferSelect;
