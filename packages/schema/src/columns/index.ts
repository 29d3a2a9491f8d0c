import { DEFAULT_ID_MAX_LENGTH, DEFAULT_ID_SPEC, type IdFormat, type IdSpec } from '../ids/index.js';
import type { AnyTable } from '../table/index.js';

/**
 * Dialect-neutral column descriptors. A descriptor knows how it looks on the client (SQLite via
 * PowerSync) and on the server (Postgres), and which codec converts values between the two.
 */

/** The column kinds a synced table can use. Each maps to one client type and one server type. */
export type ColumnKind = 'id' | 'text' | 'integer' | 'real' | 'boolean' | 'timestamp' | 'json' | 'owner';

/** How each kind is stored: client (SQLite/PowerSync) type and server (Postgres) type. */
export const kindStorage: Record<ColumnKind, { client: 'text' | 'integer' | 'real'; server: string }> = {
  id: { client: 'text', server: 'text' },
  text: { client: 'text', server: 'text' },
  integer: { client: 'integer', server: 'integer' },
  real: { client: 'real', server: 'double precision' },
  boolean: { client: 'integer', server: 'boolean' },
  timestamp: { client: 'text', server: 'timestamp with time zone' },
  json: { client: 'text', server: 'jsonb' },
  owner: { client: 'text', server: 'text' },
};

/** The TypeScript value type a kind has in application code. */
export type KindValue<K extends ColumnKind> = K extends 'id' | 'text' | 'owner' | 'timestamp'
  ? string
  : K extends 'integer' | 'real'
    ? number
    : K extends 'boolean'
      ? boolean
      : unknown;

/** A default: a constant, a factory, or the current time (timestamps only). */
export type ColumnDefault =
  | { kind: 'value'; value: unknown }
  | { kind: 'fn'; fn: () => unknown }
  | { kind: 'now' };

/** A column that holds the id of a row of another synced table (see {@link ColumnDef.ref}). */
export interface ReferenceSpec {
  /** The referenced table (a thunk, so tables can reference each other in any order). */
  readonly table: () => AnyTable;
  /**
   * Refuse a value naming a row that does not exist (`UPLOAD_MISSING_REFERENCE`). Default false: rows
   * arrive in any order offline, and soft-deleted targets are still rows.
   */
  readonly strict: boolean;
}

/**
 * Who writes a server-owned column (see {@link ColumnDef.serverOwned}): `'keep'` — clients' values are
 * ignored, the server keeps what it has (its default on insert); `'now'` — stamped with the transaction time on
 * every insert and update (timestamps); `'increment'` — its default on insert, + 1 on every update (integers).
 */
export type ServerOwned = 'keep' | 'now' | 'increment';

/** Runtime configuration of a column descriptor. */
export interface ColumnConfig {
  readonly kind: ColumnKind;
  /** Explicit column name; otherwise the property name in snake_case. */
  readonly name: string | undefined;
  readonly notNull: boolean;
  readonly default: ColumnDefault | undefined;
  /** The id format (`id` columns only). */
  readonly id?: IdSpec;
  /** The table this column points at. */
  readonly references?: ReferenceSpec;
  /** Set by the server only; what clients send for it is ignored. */
  readonly serverOwned?: ServerOwned;
}

/**
 * A column descriptor. Type parameters track what Drizzle's type inference needs: the kind, whether
 * the column is NOT NULL, whether it has a default, and its TypeScript value type.
 */
export class ColumnDef<
  K extends ColumnKind = ColumnKind,
  TNotNull extends boolean = boolean,
  THasDefault extends boolean = boolean,
  TValue = KindValue<K>,
> {
  declare readonly _: { kind: K; notNull: TNotNull; hasDefault: THasDefault; value: TValue };
  readonly config: ColumnConfig;

  constructor(config: ColumnConfig) {
    this.config = config;
  }

  /** NOT NULL on both client and server. */
  notNull(): ColumnDef<K, true, THasDefault, TValue> {
    return new ColumnDef({ ...this.config, notNull: true });
  }

  /**
   * A default applied when an insert omits the column: a SQL default on Postgres, and a runtime
   * default in Drizzle on the client (PowerSync tables are views, so SQL defaults never apply there).
   */
  default(value: TValue | (() => TValue)): ColumnDef<K, TNotNull, true, TValue> {
    const d: ColumnDefault =
      typeof value === 'function' ? { kind: 'fn', fn: value as () => unknown } : { kind: 'value', value };
    return new ColumnDef({ ...this.config, default: d });
  }

  /**
   * Declares that the column holds the id of a row of another synced table. The upload endpoint then
   * refuses a value naming a row owned by another user (`UPLOAD_FOREIGN_REFERENCE`) and a value that is
   * not a valid id of that table (`UPLOAD_INVALID_VALUE`); a row that does not exist (yet) is accepted
   * unless `strict` is set. It costs one query per referenced table per client transaction.
   *
   * @example
   * projectId: column.text().ref(() => projects),
   * documentId: column.text().notNull().ref(() => documents, { strict: true }),
   */
  ref(
    table: () => AnyTable,
    options: { strict?: boolean } = {},
  ): ColumnDef<K, TNotNull, THasDefault, TValue> {
    if (this.config.kind !== 'text') {
      throw new Error(`column.ref(): only text columns can reference a table, not ${this.config.kind}`);
    }
    if (typeof table !== 'function') throw new Error('column.ref(): pass a function returning the table');
    return new ColumnDef({ ...this.config, references: { table, strict: options.strict === true } });
  }

  /**
   * Makes the column server-owned: clients can never set it — the upload endpoint drops what they send (as it
   * does for the owner column), and the value the server writes syncs back to every device. `'keep'` (default):
   * the server keeps what it has (the column's default on insert; set by your own server code or SQL).
   * `'now'` (timestamps): stamped with the transaction time on every insert and update. `'increment'`
   * (integers, with a default): the default on insert, + 1 on every update — a write counter.
   *
   * @example
   * updatedAt: column.timestamp().notNull().defaultNow().serverOwned('now'),
   * edits: column.integer().notNull().default(0).serverOwned('increment'),
   */
  serverOwned(how: ServerOwned = 'keep'): ColumnDef<K, TNotNull, THasDefault, TValue> {
    const kind = this.config.kind;
    if (how !== 'keep' && how !== 'now' && how !== 'increment') {
      throw new Error(`column.serverOwned(): expected 'keep', 'now' or 'increment', got ${String(how)}`);
    }
    if (kind === 'id' || kind === 'owner') {
      throw new Error(`column.serverOwned(): the ${kind} column is already set by the server`);
    }
    if (how === 'now' && kind !== 'timestamp') {
      throw new Error(`column.serverOwned('now'): only timestamp columns can be stamped, not ${kind}`);
    }
    if (how === 'increment' && kind !== 'integer') {
      throw new Error(`column.serverOwned('increment'): only integer columns can count, not ${kind}`);
    }
    return this.with({ serverOwned: how });
  }

  /** A copy of this descriptor with more configuration (keeps the subclass). */
  protected with(change: Partial<ColumnConfig>): this {
    const Ctor = this.constructor as new (c: ColumnConfig) => this;
    return new Ctor({ ...this.config, ...change });
  }

  /** Use an explicit column name instead of the snake_case of the property name. */
  named(name: string): ColumnDef<K, TNotNull, THasDefault, TValue> {
    return new ColumnDef({ ...this.config, name });
  }

  /** Narrow the TypeScript type of values (e.g. a JSON shape or a string union). */
  $type<T extends TValue>(): ColumnDef<K, TNotNull, THasDefault, T> {
    return this as unknown as ColumnDef<K, TNotNull, THasDefault, T>;
  }
}

/** A timestamp column descriptor, with `defaultNow()`. */
export class TimestampColumnDef<
  TNotNull extends boolean = boolean,
  THasDefault extends boolean = boolean,
> extends ColumnDef<'timestamp', TNotNull, THasDefault, string> {
  /** Defaults to the current time: `now()` on Postgres, `new Date().toISOString()` on the client. */
  defaultNow(): TimestampColumnDef<TNotNull, true> {
    return new TimestampColumnDef({ ...this.config, default: { kind: 'now' } });
  }
  override notNull(): TimestampColumnDef<true, THasDefault> {
    return new TimestampColumnDef({ ...this.config, notNull: true });
  }
}

/** Options of {@link column.id}. */
export interface IdOptions {
  /**
   * Which ids clients may send: `'default'` (1–128 letters, digits and `- _ . : @ ~ + = /`, which covers
   * UUIDs), `'uuid'`, or a RegExp of your own. Others are refused with `UPLOAD_INVALID_ID`.
   */
  format?: IdFormat;
  /** Longest accepted id. Default 128 (at most 1000: Postgres cannot index much longer keys). */
  maxLength?: number;
}

function idSpec(options: IdOptions): IdSpec {
  const format = options.format ?? DEFAULT_ID_SPEC.format;
  if (format !== 'default' && format !== 'uuid' && !(format instanceof RegExp)) {
    throw new Error(`column.id(): "format" must be 'default', 'uuid' or a RegExp, got ${String(format)}`);
  }
  const maxLength = options.maxLength ?? (format === 'uuid' ? 36 : DEFAULT_ID_MAX_LENGTH);
  if (!Number.isInteger(maxLength) || maxLength < 1 || maxLength > 1000) {
    throw new Error(`column.id(): "maxLength" must be an integer 1–1000, got ${String(maxLength)}`);
  }
  return { format, maxLength };
}

/** Any column descriptor. */
export type AnyColumnDef = ColumnDef<ColumnKind, boolean, boolean, unknown>;

const make = <K extends ColumnKind>(kind: K, notNull = false) =>
  new ColumnDef<K, false, false>({ kind, name: undefined, notNull, default: undefined });

/**
 * Column builders for {@link defineTable}.
 *
 * | builder | client (SQLite) | server (Postgres) | codec |
 * |---|---|---|---|
 * | `id()` | text primary key | text primary key | – |
 * | `text()` | text | text | – |
 * | `integer()` | integer | integer | – |
 * | `real()` | real | double precision | – |
 * | `boolean()` | integer 0/1 | boolean | 0/1 ⇄ boolean |
 * | `timestamp()` | ISO-8601 text | timestamptz | ISO / unix s / unix ms → timestamptz |
 * | `json()` | JSON text | jsonb | JSON text ⇄ jsonb |
 * | `owner()` | text, nullable | text NOT NULL | set from the authenticated user |
 *
 * @example
 * const todos = defineTable('todos', {
 *   id: column.id(),
 *   title: column.text().notNull(),
 *   done: column.boolean().notNull().default(false),
 *   ownerId: column.owner(),
 *   createdAt: column.timestamp().notNull().defaultNow(),
 * });
 */
export const column = {
  /** The `id` primary key: text, client-generated (UUID); its format is checked on upload. */
  id: (options: IdOptions = {}) =>
    new ColumnDef<'id', true, false>({
      kind: 'id',
      name: undefined,
      notNull: true,
      default: undefined,
      id: idSpec(options),
    }),
  text: () => make('text'),
  integer: () => make('integer'),
  real: () => make('real'),
  boolean: () => make('boolean'),
  timestamp: () =>
    new TimestampColumnDef<false, false>({
      kind: 'timestamp',
      name: undefined,
      notNull: false,
      default: undefined,
    }),
  json: <T = unknown>() => make('json').$type<T>(),
  /** The owner column: nullable on the client, NOT NULL on the server, always set from the token. */
  owner: () =>
    new ColumnDef<'owner', false, false>({
      kind: 'owner',
      name: undefined,
      notNull: false,
      default: undefined,
    }),
};
