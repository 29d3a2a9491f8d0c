/**
 * Sharing, declared in the table definitions: a membership table gives users a role on rows of a resource
 * table (a project shared as `viewer` or `editor`), and tables that reference the resource inherit its access.
 * From the one declaration come the sync rules that deliver shared rows and the upload endpoint's write checks.
 */
import { SyncError } from '@syncline/errors';
import type { AnyTable, ColumnInfo, SyncedTable } from '../table/index.js';

/** The roles a membership row gives: a viewer reads, an editor also writes. */
export const SHARE_ROLES = ['viewer', 'editor'] as const;
/** A membership role. */
export type ShareRole = (typeof SHARE_ROLES)[number];

/**
 * Declares a membership table (`defineTable(…, { membership })`): each row gives `user` the `role` on the row
 * of the resource table that `resource` references (a `ref()` column). Any membership row lets its user read
 * the resource and everything shared through it; `role: 'editor'` also lets them write. Only the resource's
 * owner may write membership rows.
 *
 * @example
 * membership: { resource: 'projectId', user: 'userId', role: 'role' }
 */
export interface MembershipOption<P extends string = string> {
  resource: P;
  user: P;
  role: P;
}

/**
 * Declares that a table's rows inherit access from the shared row a `ref()` column points at
 * (`defineTable(…, { sharing: { via: 'projectId' } })`): a document is visible to the members of its project,
 * and editable by its editors.
 */
export interface SharingOption<P extends string = string> {
  via: P;
}

/** How one table takes part in sharing (resolved; `SyncedTable.sharing`). */
export type TableSharing =
  | {
      readonly kind: 'membership';
      readonly resource: ColumnInfo;
      readonly user: ColumnInfo;
      readonly role: ColumnInfo;
    }
  | { readonly kind: 'via'; readonly column: ColumnInfo };

/** A table whose rows are shared through a membership table, with the tables that inherit its access. */
export interface SharedResource {
  /** The shared table (e.g. `projects`). */
  readonly table: SyncedTable;
  /** The membership table (e.g. `project_members`). */
  readonly members: SyncedTable;
  /** Membership column holding the resource's id (e.g. `project_id`). */
  readonly resource: ColumnInfo;
  /** Membership column holding the member's user id. */
  readonly user: ColumnInfo;
  /** Membership column holding the role (`viewer` / `editor`). */
  readonly role: ColumnInfo;
  /** Tables whose rows inherit access through a column referencing the resource (e.g. `documents.project_id`). */
  readonly children: readonly { readonly table: SyncedTable; readonly column: ColumnInfo }[];
}

const fail = (table: string, message: string) =>
  new SyncError('SCHEMA_INVALID_SHARING', `Table "${table}": ${message}`, { details: { table } });

/** Resolves a table's `membership` / `sharing` options to columns (targets are checked by {@link resolveSharing}). */
export function resolveTableSharing(
  table: string,
  options: { membership?: MembershipOption; sharing?: SharingOption },
  column: (key: string) => ColumnInfo | undefined,
  owner: ColumnInfo | undefined,
): TableSharing | undefined {
  const { membership, sharing } = options;
  if (membership && sharing)
    throw fail(table, 'a table is either a membership table or shared via one, not both');
  const need = (key: unknown, what: string): ColumnInfo => {
    const c = typeof key === 'string' ? column(key) : undefined;
    if (!c) throw fail(table, `${what} names unknown column ${JSON.stringify(key)}`);
    return c;
  };
  if ((membership || sharing) && !owner) {
    throw fail(
      table,
      'sharing needs an owner column (column.owner()): rows are written by their owner or by editors',
    );
  }
  if (membership) {
    const resource = need(membership.resource, 'membership.resource');
    const user = need(membership.user, 'membership.user');
    const role = need(membership.role, 'membership.role');
    if (!resource.references) {
      throw fail(
        table,
        `membership.resource "${resource.name}" must reference the shared table: column.text().ref(() => table)`,
      );
    }
    for (const c of [user, role]) {
      if (c.kind !== 'text')
        throw fail(table, `membership column "${c.name}" must be a text column, not ${c.kind}`);
    }
    if (new Set([resource, user, role, owner]).size !== 4) {
      throw fail(
        table,
        'membership.resource, user and role must be three different columns, none of them the owner',
      );
    }
    return { kind: 'membership', resource, user, role };
  }
  if (sharing) {
    const via = need(sharing.via, 'sharing.via');
    if (!via.references) {
      throw fail(
        table,
        `sharing.via "${via.name}" must reference the shared table: column.text().ref(() => table)`,
      );
    }
    return { kind: 'via', column: via };
  }
  return undefined;
}

/**
 * The shared resources of a set of tables, checked: every membership table references a synced table with an
 * owner (one membership table per resource; a resource is not itself shared through another), and every
 * `sharing.via` column references a resource. Throws `SCHEMA_INVALID_SHARING`.
 *
 * @example
 * resolveSharing(schema.tables); // [{ table: projects, members: project_members, children: [documents] }]
 */
export function resolveSharing(tables: readonly AnyTable[]): SharedResource[] {
  const synced = tables.filter((t): t is SyncedTable => !t.localOnly);
  const inSchema = new Set<AnyTable>(tables);
  const resources = new Map<
    SyncedTable,
    Omit<SharedResource, 'children'> & { children: SharedResource['children'][number][] }
  >();
  for (const m of synced) {
    const s = m.sharing;
    if (s?.kind !== 'membership') continue;
    const target = s.resource.references!.table();
    if (!target || target.localOnly || !inSchema.has(target) || !target.owner) {
      throw fail(
        m.name,
        `membership.resource "${s.resource.name}" must reference a synced table with an owner in this schema`,
      );
    }
    if (target === m) throw fail(m.name, 'a membership table cannot share itself');
    if (target.sharing) {
      throw fail(
        m.name,
        `"${target.name}" cannot be shared through members: it is itself ${target.sharing.kind === 'via' ? 'shared via another table' : 'a membership table'} (one level of sharing)`,
      );
    }
    if (resources.has(target)) {
      throw fail(
        m.name,
        `"${target.name}" already has a membership table ("${resources.get(target)!.members.name}")`,
      );
    }
    resources.set(target, {
      table: target,
      members: m,
      resource: s.resource,
      user: s.user,
      role: s.role,
      children: [],
    });
  }
  for (const c of synced) {
    const s = c.sharing;
    if (s?.kind !== 'via') continue;
    const target = s.column.references!.table();
    const resource = target && !target.localOnly ? resources.get(target) : undefined;
    if (!resource) {
      throw fail(
        c.name,
        `sharing.via "${s.column.name}" must reference a table shared through a membership table (declare one with membership: { resource, user, role })`,
      );
    }
    if (resources.has(c)) throw fail(c.name, 'a shared resource cannot also be shared via another table');
    resource.children.push({ table: c, column: s.column });
  }
  return [...resources.values()];
}

/**
 * What part a table plays in sharing: the shared `resource`, its `membership` table, a `child` that inherits
 * access, or undefined (owner-only).
 */
export function sharingPartOf(
  resources: readonly SharedResource[],
  table: AnyTable,
): { part: 'resource' | 'membership' | 'child'; resource: SharedResource } | undefined {
  for (const r of resources) {
    if (r.table === table) return { part: 'resource', resource: r };
    if (r.members === table) return { part: 'membership', resource: r };
    if (r.children.some((c) => c.table === table)) return { part: 'child', resource: r };
  }
  return undefined;
}
