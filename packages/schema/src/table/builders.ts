import type { $Type, ColumnBuilderBase, HasDefault, HasRuntimeDefault, NotNull } from 'drizzle-orm';
import {
  boolean as pgBoolean,
  doublePrecision as pgDouble,
  integer as pgInteger,
  jsonb as pgJsonb,
  text as pgText,
  timestamp as pgTimestamp,
} from 'drizzle-orm/pg-core';
import { integer as sqliteInteger, real as sqliteReal, text as sqliteText } from 'drizzle-orm/sqlite-core';
import type { AnyColumnDef, ColumnDef, ColumnKind } from '../columns/index.js';

/** Drizzle sqlite-core builder per kind (client side). */
export const sqliteBuilders = {
  id: (name: string) => sqliteText(name).primaryKey(),
  text: (name: string) => sqliteText(name),
  owner: (name: string) => sqliteText(name),
  timestamp: (name: string) => sqliteText(name),
  integer: (name: string) => sqliteInteger(name),
  real: (name: string) => sqliteReal(name),
  boolean: (name: string) => sqliteInteger(name, { mode: 'boolean' }),
  json: (name: string) => sqliteText(name, { mode: 'json' }),
} satisfies Record<ColumnKind, (name: string) => ColumnBuilderBase>;

/** Drizzle pg-core builder per kind (server side). */
export const pgBuilders = {
  id: (name: string) => pgText(name).primaryKey(),
  text: (name: string) => pgText(name),
  owner: (name: string) => pgText(name).notNull(),
  timestamp: (name: string) => pgTimestamp(name, { withTimezone: true, mode: 'date' }),
  integer: (name: string) => pgInteger(name),
  real: (name: string) => pgDouble(name),
  boolean: (name: string) => pgBoolean(name),
  json: (name: string) => pgJsonb(name),
} satisfies Record<ColumnKind, (name: string) => ColumnBuilderBase>;

type WithNotNull<B extends ColumnBuilderBase, N> = N extends true ? NotNull<B> : B;
type WithDefault<B extends ColumnBuilderBase, D> = D extends true ? HasRuntimeDefault<HasDefault<B>> : B;

/** The sqlite-core builder type for a descriptor (the owner column stays nullable on the client). */
export type SqliteBuilderOf<C> =
  C extends ColumnDef<infer K, infer N, infer D, infer V>
    ? $Type<
        WithDefault<WithNotNull<ReturnType<(typeof sqliteBuilders)[K]>, K extends 'owner' ? false : N>, D>,
        V
      >
    : never;

/** The pg-core builder type for a descriptor (timestamps are `Date` on the server). */
export type PgBuilderOf<C> =
  C extends ColumnDef<infer K, infer N, infer D, infer V>
    ? K extends 'timestamp' | 'id' | 'owner'
      ? WithDefault<WithNotNull<ReturnType<(typeof pgBuilders)[K]>, N>, D>
      : $Type<WithDefault<WithNotNull<ReturnType<(typeof pgBuilders)[K]>, N>, D>, V>
    : never;

export type SqliteColumnsOf<C extends Record<string, AnyColumnDef>> = {
  [P in keyof C]: SqliteBuilderOf<C[P]>;
};
export type PgColumnsOf<C extends Record<string, AnyColumnDef>> = { [P in keyof C]: PgBuilderOf<C[P]> };
