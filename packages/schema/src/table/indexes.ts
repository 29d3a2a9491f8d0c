import { type PgColumn, index as pgIndex, uniqueIndex as pgUniqueIndex } from 'drizzle-orm/pg-core';
import {
  type SQLiteColumn,
  index as sqliteIndex,
  uniqueIndex as sqliteUniqueIndex,
} from 'drizzle-orm/sqlite-core';

/** An index over columns, declared once for both dialects. */
export interface IndexSpec<P extends string = string> {
  readonly name: string;
  readonly unique: boolean;
  readonly columns: readonly P[];
  /**
   * Unique indexes only: `'owner'` (default) makes the values unique per owner — on the server the owner
   * column joins the key; `'global'` makes them unique across all users, which lets any user probe whether
   * a value exists (a 409 on another user's value) and squat values others will want.
   */
  readonly scope?: 'owner' | 'global';
}

/**
 * Declares an index for {@link defineTable}; columns are property names.
 *
 * @example
 * indexes: [index('idx_documents_owner').on('ownerId')]
 */
export function index(name: string) {
  return {
    on: <P extends string>(...columns: [P, ...P[]]): IndexSpec<P> => ({ name, unique: false, columns }),
  };
}

/**
 * Declares a unique index for {@link defineTable}; columns are property names. On a synced table the
 * values are unique **per owner**: the server's index also covers the owner column, so one user's rows
 * never collide with (or reveal) another user's. Pass `{ global: true }` for uniqueness across all users
 * (the linter warns: any user can then probe for and squat values).
 *
 * @example
 * indexes: [uniqueIndex('uq_document_groups_pair').on('documentId', 'groupId')]
 * indexes: [uniqueIndex('uq_handles', { global: true }).on('handle')] // one handle in the whole system
 */
export function uniqueIndex(name: string, options: { global?: boolean } = {}) {
  const scope = options.global === true ? 'global' : 'owner';
  return {
    on: <P extends string>(...columns: [P, ...P[]]): IndexSpec<P> => ({ name, unique: true, columns, scope }),
  };
}

/** The index columns of a spec: on the server, owner-scoped unique indexes get the owner column appended. */
function indexColumns<T>(spec: IndexSpec, self: Record<string, T>, ownerProperty?: string): [T, ...T[]] {
  const scoped =
    spec.unique &&
    spec.scope !== 'global' &&
    ownerProperty !== undefined &&
    !spec.columns.includes(ownerProperty);
  const [first, ...rest] = [...spec.columns, ...(scoped ? [ownerProperty] : [])].map((p) => {
    const col = self[p];
    if (!col) throw new Error(`Index "${spec.name}" references unknown column "${p}"`);
    return col;
  });
  return [first as T, ...rest];
}

/** Drizzle sqlite-core index builders. */
export function sqliteIndexBuilders(indexes: readonly IndexSpec[]) {
  return (self: Record<string, SQLiteColumn>) =>
    indexes.map((spec) =>
      (spec.unique ? sqliteUniqueIndex : sqliteIndex)(spec.name).on(...indexColumns(spec, self)),
    );
}

/**
 * Drizzle pg-core index builders. `ownerProperty`: owner-scoped unique indexes get the owner column
 * appended to their key (appended, so the index still serves lookups by its declared columns).
 */
export function pgIndexBuilders(indexes: readonly IndexSpec[], ownerProperty: string | undefined) {
  return (self: Record<string, PgColumn>) =>
    indexes.map((spec) =>
      (spec.unique ? pgUniqueIndex : pgIndex)(spec.name).on(...indexColumns(spec, self, ownerProperty)),
    );
}
