/**
 * Conflict policies: what the upload endpoint does when two devices change the same row. Declared per table
 * (`conflicts`) and per column (`serverOwned`), enforced by `@syncline/server`'s upload endpoint.
 */
import { SyncError } from '@syncline/errors';
import type { ColumnInfo } from '../table/index.js';

/**
 * A table's conflict policy as declared in `defineTable(…, { conflicts })`.
 *
 * - `'lww'` (default): last write wins, field by field — a PATCH changes only the columns it carries, so two
 *   devices editing different fields both keep their change, and on the same field the later upload wins.
 * - `{ policy: 'version', column, lww? }`: an integer version column the client increments with every edit;
 *   a PATCH (or a PUT over an existing row) that changes a checked column must carry the server's version + 1,
 *   otherwise it is rejected (`UPLOAD_VERSION_CONFLICT`, with the server's row in `details.serverRow`).
 *   Columns listed in `lww` stay last-write-wins (a PATCH carrying only those needs no version).
 *
 * Deletes always win: a DELETE is never version-checked, and an edit arriving after it changes nothing
 * (a hard-deleted row is gone; a soft-deleted row stays deleted unless the edit itself restores it).
 *
 * @example
 * conflicts: { policy: 'version', column: 'version', lww: ['projectId', 'deletedAt'] }
 */
export type ConflictOption<P extends string = string> =
  | 'lww'
  | { policy: 'lww' }
  | { policy: 'version'; column: P; lww?: readonly P[] };

/** A resolved conflict policy. */
export type ConflictPolicy =
  | { readonly policy: 'lww' }
  | {
      readonly policy: 'version';
      /** The integer version column. */
      readonly column: ColumnInfo;
      /** Columns that stay last-write-wins (no version needed to change them). */
      readonly lww: readonly ColumnInfo[];
    };

const fail = (table: string, message: string) =>
  new SyncError('SCHEMA_INVALID_CONFLICT_POLICY', `defineTable("${table}"): ${message}`, {
    details: { table },
  });

/** Resolves `conflicts` and checks server-owned columns (throws `SCHEMA_INVALID_CONFLICT_POLICY`). */
export function resolveConflicts(
  table: string,
  option: ConflictOption | undefined,
  column: (key: string) => ColumnInfo | undefined,
  columns: readonly ColumnInfo[],
): ConflictPolicy {
  for (const c of columns) {
    if (c.serverOwned && c.notNull && c.default === undefined) {
      throw fail(
        table,
        `server-owned column "${c.name}" is NOT NULL without a default: clients cannot give it a value, so declare one (.default(…) / .defaultNow()).`,
      );
    }
  }
  if (option === undefined || option === 'lww') return { policy: 'lww' };
  if (typeof option !== 'object' || option === null)
    throw fail(table, `"conflicts" must be 'lww' or { policy: 'version', column }`);
  if (option.policy === 'lww') return { policy: 'lww' };
  if (option.policy !== 'version') {
    throw fail(table, `unknown conflict policy ${JSON.stringify((option as { policy: unknown }).policy)}`);
  }
  const version = column(option.column);
  if (!version) throw fail(table, `the version column "${option.column}" does not exist`);
  if (version.kind !== 'integer' || !version.notNull) {
    throw fail(
      table,
      `the version column "${version.name}" must be column.integer().notNull() (with a default, e.g. 1)`,
    );
  }
  if (version.serverOwned)
    throw fail(table, `the version column "${version.name}" cannot be server-owned: clients increment it`);
  const lww = (option.lww ?? []).map((key) => {
    const c = column(key);
    if (!c) throw fail(table, `the lww column "${key}" does not exist`);
    if (c.kind === 'id' || c.kind === 'owner' || c === version) {
      throw fail(
        table,
        `"${c.name}" cannot be listed in lww (id, owner and the version column are never client-merged)`,
      );
    }
    return c;
  });
  return { policy: 'version', column: version, lww };
}
