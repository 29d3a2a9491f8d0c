/** What the sharing and conflict declarations of a table mean for uploads to it (computed once per schema). */
import {
  type ColumnInfo,
  type SharedResource,
  type SyncedTable,
  type SynclineSchema,
  sharingPartOf,
} from '@syncline/schema';

/** The tables and columns of one shared resource, by name. */
export interface ResourcePlan {
  /** The shared table (`projects`), its id and owner columns. */
  readonly table: string;
  readonly id: string;
  readonly owner: string;
  /** The membership table and its resource, user and role columns. */
  readonly members: string;
  readonly memberResource: string;
  readonly memberUser: string;
  readonly memberRole: string;
}

/** A `ref()` column whose target is shared: whether the user may point at a row is a sharing question. */
export interface SharedRefPlan {
  readonly column: ColumnInfo;
  readonly target: string;
  readonly strict: boolean;
}

/** The policies of one synced table. */
export interface TablePolicy {
  /** The part the table plays in sharing, if any. */
  readonly part: 'resource' | 'child' | 'membership' | undefined;
  readonly resource: ResourcePlan | undefined;
  /** Child tables: the column referencing the resource. Membership tables: the resource column. */
  readonly link: ColumnInfo | undefined;
  /** Membership tables: the role column (its values must be `viewer` or `editor`). */
  readonly role: ColumnInfo | undefined;
  /** `version` policy: the version column and the columns that stay last-write-wins. */
  readonly version: { readonly column: ColumnInfo; readonly lww: ReadonlySet<string> } | undefined;
  /** Server-owned columns (their client values are dropped). */
  readonly serverOwned: readonly ColumnInfo[];
  /** Other `ref()` columns pointing at a shared resource or a table shared via one (read access needed). */
  readonly sharedRefs: readonly SharedRefPlan[];
  /** Ops on this table need its current rows (locked) before they apply: sharing, versions, counters. */
  readonly fetch: boolean;
}

function resourcePlan(r: SharedResource): ResourcePlan {
  return {
    table: r.table.name,
    id: r.table.columns.find((c) => c.kind === 'id')!.name,
    owner: r.table.owner!.name,
    members: r.members.name,
    memberResource: r.resource.name,
    memberUser: r.user.name,
    memberRole: r.role.name,
  };
}

/** Whether rows of `target` are shared (a resource or a table shared via one): references to them need read access. */
export function isSharedTarget(schema: SynclineSchema, target: SyncedTable): boolean {
  const part = sharingPartOf(schema.sharing, target)?.part;
  return part === 'resource' || part === 'child';
}

/**
 * The policies of a synced table, or undefined when it has none (owner-only, last write wins, no server-owned
 * columns, no reference to a shared table): the upload path then does exactly what it did before sharing.
 *
 * @example
 * tablePolicy(schema, documents)?.part; // 'child'
 */
export function tablePolicy(schema: SynclineSchema, table: SyncedTable): TablePolicy | undefined {
  const found = sharingPartOf(schema.sharing, table);
  const conflicts = table.conflicts;
  const serverOwned = table.columns.filter((c) => c.serverOwned !== undefined);
  const link =
    found?.part === 'child'
      ? found.resource.children.find((c) => c.table === table)!.column
      : found?.part === 'membership'
        ? found.resource.resource
        : undefined;
  const sharedRefs = table.columns.flatMap((c): SharedRefPlan[] => {
    if (!c.references || c === link) return [];
    const target = c.references.table();
    if (!target || target.localOnly || !isSharedTarget(schema, target)) return [];
    return [{ column: c, target: target.name, strict: c.references.strict }];
  });
  const version =
    conflicts.policy === 'version'
      ? { column: conflicts.column, lww: new Set(conflicts.lww.map((c) => c.name)) }
      : undefined;
  if (!found && !version && serverOwned.length === 0 && sharedRefs.length === 0) return undefined;
  return {
    part: found?.part,
    resource: found ? resourcePlan(found.resource) : undefined,
    link,
    role: found?.part === 'membership' ? found.resource.role : undefined,
    version,
    serverOwned,
    sharedRefs,
    fetch:
      found !== undefined || version !== undefined || serverOwned.some((c) => c.serverOwned === 'increment'),
  };
}
