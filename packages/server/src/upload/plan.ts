import { type ErrorDetails, SyncError } from '@syncline/errors';
import {
  type ColumnInfo,
  checkId,
  DEFAULT_ID_SPEC,
  describeIdSpec,
  encodeRow,
  type IdSpec,
  type SyncedTable,
  type SynclineSchema,
} from '@syncline/schema';
import { isSharedTarget, type TablePolicy, tablePolicy } from '../policies/plan.js';
import type { OpId, RawTransaction } from './body.js';

/** How uploads to one synced table are applied. */
export interface TablePlan {
  readonly kind: 'synced';
  readonly name: string;
  readonly table: SyncedTable;
  readonly id: ColumnInfo;
  readonly owner: ColumnInfo;
  /** DELETE sets this column instead of deleting the row. */
  readonly softDelete: ColumnInfo | undefined;
  /** Columns a PUT must carry: NOT NULL without a default (id and owner excepted). */
  readonly required: readonly ColumnInfo[];
  /** Which ids clients may use. */
  readonly idSpec: IdSpec;
  /** Columns declared with `ref()`, and the table each points at. */
  readonly references: readonly ReferencePlan[];
  /** Sharing and conflict policies (`../policies`), if the table has any. */
  readonly policy: TablePolicy | undefined;
}

/** A `ref()` column: its values are ids of `target`'s rows. */
export interface ReferencePlan {
  readonly column: ColumnInfo;
  /** The referenced table's name (its plan is in the same map). */
  readonly target: string;
  readonly targetIdSpec: IdSpec;
  readonly strict: boolean;
  /** The target is shared: the policies check it (with read/write access), not the owner-only check. */
  readonly viaSharing: boolean;
}

/** A table name clients may send, and what happens to ops on it. */
export type TableEntry =
  | TablePlan
  | { readonly kind: 'local'; readonly name: string }
  | { readonly kind: 'read-only'; readonly name: string; readonly reason: string };

/** One checked operation with Postgres-ready values keyed by column name. */
export type PlannedOp =
  | {
      type: 'PUT' | 'PATCH';
      table: TablePlan;
      id: string;
      values: Record<string, unknown>;
      ownerIgnored: boolean;
    }
  | { type: 'DELETE'; table: TablePlan; id: string; ownerIgnored: false };

/** A client transaction whose ops all passed validation. */
export interface PlannedTransaction {
  opId: OpId;
  ops: PlannedOp[];
}

/**
 * What the upload endpoint does with each table of a schema: synced tables with an owner and an
 * id column accept ops; local-only tables and synced tables without an owner refuse them.
 *
 * @example
 * const tables = uploadTables(schema);
 * tables.get('documents')?.kind; // 'synced'
 */
export function uploadTables(schema: SynclineSchema): Map<string, TableEntry> {
  const map = new Map<string, TableEntry>();
  for (const t of schema.tables) {
    if (t.localOnly) {
      map.set(t.name, { kind: 'local', name: t.name });
      continue;
    }
    const id = t.columns.find((c) => c.kind === 'id');
    if (!t.owner || !id) {
      const reason = t.owner ? 'it has no id column' : 'it has no owner column, so no user can own its rows';
      map.set(t.name, { kind: 'read-only', name: t.name, reason });
      continue;
    }
    const required = t.columns.filter(
      (c) => c.notNull && c.default === undefined && c.name !== id.name && c.name !== t.owner!.name,
    );
    const references = t.columns.flatMap((c): ReferencePlan[] => {
      if (!c.references) return [];
      const target = c.references.table();
      const targetId = target?.columns.find((x) => x.kind === 'id');
      if (!target || target.localOnly || !target.owner || !targetId || schema.table(target.name) !== target) {
        throw new SyncError(
          'CONFIG_INVALID_OPTION',
          `${t.name}.${c.name} references ${target?.name ? `"${target.name}"` : 'a table'}, which is not a synced table with an owner in this schema (see lintSchema).`,
        );
      }
      const targetIdSpec = targetId.id ?? DEFAULT_ID_SPEC;
      const viaSharing = isSharedTarget(schema, target);
      return [{ column: c, target: target.name, targetIdSpec, strict: c.references.strict, viaSharing }];
    });
    map.set(t.name, {
      kind: 'synced',
      name: t.name,
      table: t,
      id,
      owner: t.owner,
      softDelete: t.softDelete,
      required,
      idSpec: id.id ?? DEFAULT_ID_SPEC,
      references,
      policy: tablePolicy(schema, t),
    });
  }
  return map;
}

/** An id shortened for error details (ids can be megabytes long before they are refused). */
function shortId(id: unknown): string | null {
  if (typeof id !== 'string') return null;
  return id.length > 80 ? `${id.slice(0, 80)}…` : id;
}

/** A copy of a SyncError with more details. */
export function withDetails(err: SyncError, extra: ErrorDetails): SyncError {
  return new SyncError(err.code, err.message, {
    status: err.status,
    details: { ...err.details, ...extra },
    cause: err.cause,
  });
}

/**
 * Checks every op of a client transaction against the table definitions and converts its values
 * (codecs, snake_case or camelCase keys); throws the first problem as a SyncError whose details name
 * the op (`op` index, `opType`, `table`, `id`). The owner value a client sends is dropped.
 *
 * @example
 * planTransaction(uploadTables(schema), { op_id: 7, ops: [{ op: 'PUT', table: 'documents', id: 'd1', data: { content: 'x' } }] });
 */
export function planTransaction(
  tables: ReadonlyMap<string, TableEntry>,
  tx: RawTransaction,
): PlannedTransaction {
  return { opId: tx.op_id, ops: tx.ops.map((raw, index) => planOp(tables, raw, index)) };
}

function planOp(tables: ReadonlyMap<string, TableEntry>, raw: unknown, index: number): PlannedOp {
  const o = (typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? raw : {}) as Record<
    string,
    unknown
  >;
  const where: ErrorDetails = {
    op: index,
    opType: typeof o.op === 'string' ? o.op : null,
    table: typeof o.table === 'string' ? o.table : null,
    id: shortId(o.id),
  };
  const fail = (code: 'UPLOAD_INVALID_OP' | 'UPLOAD_INVALID_ID', message: string) =>
    new SyncError(code, message, { details: where });
  try {
    if (o !== raw)
      throw fail('UPLOAD_INVALID_OP', `Operation ${index} must be an object { op, table, id, data }.`);
    const type = o.op;
    if (type !== 'PUT' && type !== 'PATCH' && type !== 'DELETE') {
      throw fail(
        'UPLOAD_INVALID_OP',
        `Operation ${index}: "op" must be PUT, PATCH or DELETE, got ${JSON.stringify(type)}.`,
      );
    }
    if (typeof o.id !== 'string' || o.id === '') {
      throw fail('UPLOAD_INVALID_OP', `Operation ${index}: "id" must be a non-empty string.`);
    }
    const table = lookupTable(tables, o.table);
    const badId = checkId(table.idSpec, o.id);
    if (badId) {
      throw fail(
        'UPLOAD_INVALID_ID',
        `Operation ${index} (${type} ${table.name}): the id ${badId}. Ids of "${table.name}" are ${describeIdSpec(table.idSpec)}.`,
      );
    }
    if (type === 'DELETE') return { type, table, id: o.id, ownerIgnored: false };
    const data = o.data ?? {};
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw fail('UPLOAD_INVALID_OP', `Operation ${index}: "data" must be an object of column values.`);
    }
    const { values, ownerIgnored } = encodeData(table, o.id, data as Record<string, unknown>, type);
    return { type, table, id: o.id, values, ownerIgnored };
  } catch (e) {
    throw SyncError.is(e) ? withDetails(e, where) : e;
  }
}

function lookupTable(tables: ReadonlyMap<string, TableEntry>, name: unknown): TablePlan {
  const entry = typeof name === 'string' ? tables.get(name) : undefined;
  if (!entry) {
    const synced = [...tables.values()].filter((t) => t.kind === 'synced').map((t) => t.name);
    throw new SyncError(
      'UPLOAD_UNKNOWN_TABLE',
      `Table ${JSON.stringify(name)} is not synced. Synced tables: ${synced.join(', ')}.`,
    );
  }
  if (entry.kind === 'local') {
    throw new SyncError(
      'UPLOAD_LOCAL_ONLY_TABLE',
      `Table "${entry.name}" is local-only: its rows never leave the device. Check the client schema (localOnly).`,
    );
  }
  if (entry.kind === 'read-only') {
    throw new SyncError(
      'UPLOAD_READ_ONLY_TABLE',
      `Table "${entry.name}" cannot be written by clients: ${entry.reason}.`,
    );
  }
  return entry;
}

function encodeData(table: TablePlan, id: string, data: Record<string, unknown>, type: 'PUT' | 'PATCH') {
  const rest: Record<string, unknown> = {};
  let ownerIgnored = false;
  for (const [key, value] of Object.entries(data)) {
    if (key === table.owner.name || key === table.owner.property) {
      ownerIgnored ||= value !== null && value !== undefined;
      continue; // never trust the client's owner: it is set from the authenticated user
    }
    if (key === table.id.name || key === table.id.property) {
      if (value !== id) {
        throw new SyncError(
          'UPLOAD_INVALID_OP',
          `The data's "${key}" (${JSON.stringify(value)}) differs from the op id.`,
          {
            details: { column: table.id.name },
          },
        );
      }
      continue;
    }
    rest[key] = value;
  }
  const encoded = encodeRow(table.table, rest);
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(encoded)) {
    const column = table.table.column(name)!;
    if (value === null && column.notNull) throw missing(table, column);
    // jsonb parameters go as JSON text: pg would turn JS arrays into Postgres arrays.
    values[name] = column.kind === 'json' && value !== null ? jsonText(table, column, value) : value;
  }
  for (const ref of table.references) {
    const value = values[ref.column.name];
    if (typeof value !== 'string') continue;
    const bad = checkId(ref.targetIdSpec, value);
    if (bad) {
      throw new SyncError(
        'UPLOAD_INVALID_VALUE',
        `Column ${table.name}.${ref.column.name} holds ids of "${ref.target}", and this one ${bad}.`,
        { details: { column: ref.column.name, references: ref.target } },
      );
    }
  }
  if (type === 'PUT') {
    const absent = table.required.find((c) => !Object.hasOwn(values, c.name));
    if (absent) throw missing(table, absent);
  }
  return { values, ownerIgnored };
}

/** JSON text of a json column's value; a document too deeply nested to serialise is the client's fault. */
function jsonText(table: TablePlan, column: ColumnInfo, value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (e) {
    throw new SyncError(
      'UPLOAD_INVALID_VALUE',
      `Invalid value for ${table.name}.${column.name} (json): ${(e as Error).message}`,
      { details: { column: column.name, kind: 'json' } },
    );
  }
}

function missing(table: TablePlan, column: ColumnInfo): SyncError {
  return new SyncError(
    'UPLOAD_MISSING_VALUE',
    `Column ${table.name}.${column.name} is required (NOT NULL) and has no value.`,
    {
      details: { column: column.name },
    },
  );
}
