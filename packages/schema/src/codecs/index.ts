import { SyncError } from '@syncline/errors';
import type { ColumnKind } from '../columns/index.js';
import type { ColumnInfo, SyncedTable } from '../table/index.js';

/** Converts one column's values between the client (SQLite) form and the server (Postgres) form. */
export interface Codec {
  /** Client value → value for a Postgres write (through `pg` or Drizzle's pg-core). Throws on bad input. */
  toServer(value: unknown): unknown;
  /** Postgres value → the client's representation (what the client stores in SQLite). */
  toClient(value: unknown): unknown;
}

class CodecError extends Error {}

/** Unix timestamps below this are seconds, above are milliseconds (1e10 s is the year 2286). */
const SECONDS_LIMIT = 10_000_000_000;

function parseTimestamp(value: unknown): Date {
  let date: Date;
  if (value instanceof Date) date = value;
  else if (typeof value === 'number' || typeof value === 'bigint') {
    const n = Number(value);
    if (!Number.isFinite(n)) throw new CodecError('not a finite number');
    date = new Date(Math.abs(n) < SECONDS_LIMIT ? n * 1000 : n);
  } else if (typeof value === 'string') {
    const s = value.trim();
    if (/^-?\d+(\.\d+)?$/.test(s)) return parseTimestamp(Number(s));
    // ISO-8601 (date, date-time with T or space, optional offset). Reject free-form strings Date.parse accepts.
    if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?\s*(Z|z|[+-]\d{2}(:?\d{2})?)?$/.test(s)) {
      throw new CodecError('expected an ISO-8601 string, unix seconds or unix milliseconds');
    }
    date = new Date(s.replace(' ', 'T'));
  } else throw new CodecError(`expected an ISO-8601 string or a unix timestamp, got ${typeof value}`);
  if (Number.isNaN(date.getTime())) throw new CodecError('not a valid date');
  return date;
}

const identityText: Codec = {
  toServer(v) {
    if (typeof v !== 'string') throw new CodecError(`expected a string, got ${describe(v)}`);
    return v;
  },
  toClient: (v) => v,
};

/** The codec for each column kind. `null` and `undefined` never reach a codec. */
export const codecs: Record<ColumnKind, Codec> = {
  id: identityText,
  owner: identityText,
  text: identityText,
  integer: {
    toServer(v) {
      if (typeof v === 'number' && Number.isInteger(v)) return v;
      if (typeof v === 'bigint') return Number(v);
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v);
      throw new CodecError(`expected an integer, got ${describe(v)}`);
    },
    toClient: (v) => (typeof v === 'string' ? Number(v) : v),
  },
  real: {
    toServer(v) {
      if (typeof v === 'number' && Number.isFinite(v)) return v;
      if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
      throw new CodecError(`expected a number, got ${describe(v)}`);
    },
    toClient: (v) => (typeof v === 'string' ? Number(v) : v),
  },
  boolean: {
    toServer(v) {
      if (v === 1 || v === true || v === '1' || v === 'true' || v === 1n) return true;
      if (v === 0 || v === false || v === '0' || v === 'false' || v === 0n) return false;
      throw new CodecError(`expected 0 or 1 (or true/false), got ${describe(v)}`);
    },
    toClient: (v) => (v === true || v === 't' || v === 'true' ? 1 : 0),
  },
  timestamp: {
    toServer: (v) => parseTimestamp(v),
    toClient: (v) => parseTimestamp(v).toISOString(),
  },
  json: {
    toServer(v) {
      if (typeof v === 'string') {
        try {
          return JSON.parse(v);
        } catch {
          throw new CodecError('expected JSON text, got text that does not parse');
        }
      }
      if (typeof v === 'object' || typeof v === 'number' || typeof v === 'boolean') return v;
      throw new CodecError(`expected JSON, got ${describe(v)}`);
    },
    toClient: (v) => (typeof v === 'string' ? v : JSON.stringify(v)),
  },
};

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

/**
 * Converts one client value for a column to its Postgres value, with a `UPLOAD_INVALID_VALUE`
 * SyncError naming the table and column when it cannot.
 *
 * @example
 * encodeValue(documents, documents.column('created_at')!, 1700000000); // Date 2023-11-14T22:13:20Z
 */
export function encodeValue(table: SyncedTable, column: ColumnInfo, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  try {
    return codecs[column.kind].toServer(value);
  } catch (e) {
    if (!(e instanceof CodecError)) throw e;
    throw new SyncError(
      'UPLOAD_INVALID_VALUE',
      `Invalid value for ${table.name}.${column.name} (${column.kind}): ${e.message}`,
      { details: { table: table.name, column: column.name, kind: column.kind } },
    );
  }
}

/** Postgres value → client value for one column. */
export function decodeValue(column: ColumnInfo, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  return codecs[column.kind].toClient(value);
}

/**
 * Converts a row from the client (keys in snake_case or camelCase) to Postgres values keyed by column
 * name. Unknown keys raise `UPLOAD_UNKNOWN_COLUMN`; a key given twice (both spellings) is an error too.
 *
 * @example
 * encodeRow(documents, { title: 'Hi', created_at: '2024-01-01T00:00:00Z', isPinned: 1 });
 * // { title: 'Hi', created_at: Date, is_pinned: true }
 */
export function encodeRow(table: SyncedTable, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    const column = table.column(key);
    if (!column) {
      throw new SyncError(
        'UPLOAD_UNKNOWN_COLUMN',
        `Table "${table.name}" has no column "${key}". Columns: ${table.columns.map((c) => c.name).join(', ')}`,
        { details: { table: table.name, column: key } },
      );
    }
    if (Object.hasOwn(out, column.name)) {
      throw new SyncError(
        'UPLOAD_INVALID_BODY',
        `Column ${table.name}.${column.name} is given twice (as "${column.name}" and "${column.property}")`,
        { details: { table: table.name, column: column.name } },
      );
    }
    out[column.name] = encodeValue(table, column, value);
  }
  return out;
}

/**
 * Converts a Postgres row (keyed by column name) to the client's representation.
 *
 * @example
 * decodeRow(projects, { id: 'p1', is_default: true }); // { id: 'p1', is_default: 1 }
 */
export function decodeRow(table: SyncedTable, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    const column = table.column(key);
    out[column ? column.name : key] = column ? decodeValue(column, value) : value;
  }
  return out;
}
