import { SyncError } from '@syncline/errors';
import type pg from 'pg';

type Queryable = Pick<pg.Client, 'query' | 'escapeIdentifier'>;

/** Options for {@link ensurePublication}. */
export interface EnsurePublicationOptions {
  /** Publication name. The official PowerSync Service expects `powersync`. */
  name: string;
  /** Tables (in `public`, or `schema.table`) the publication must include. */
  tables: readonly string[];
}

function qualified(client: Queryable, table: string): string {
  const [schema, name] = table.includes('.') ? table.split('.', 2) : ['public', table];
  return `${client.escapeIdentifier(schema!)}.${client.escapeIdentifier(name!)}`;
}

/**
 * Creates the publication, or adds the tables it lacks (it never removes tables someone added by hand).
 * Returns the tables that were added.
 *
 * @example
 * await ensurePublication(client, { name: 'powersync', tables: ['todos', 'lists'] });
 */
export async function ensurePublication(
  client: Queryable,
  options: EnsurePublicationOptions,
): Promise<string[]> {
  const { rows: pubs } = await client.query<{ puballtables: boolean }>(
    'SELECT puballtables FROM pg_publication WHERE pubname = $1',
    [options.name],
  );
  try {
    if (pubs.length === 0) {
      if (options.tables.length === 0) {
        await client.query(`CREATE PUBLICATION ${client.escapeIdentifier(options.name)}`);
        return [];
      }
      const list = options.tables.map((t) => qualified(client, t)).join(', ');
      await client.query(`CREATE PUBLICATION ${client.escapeIdentifier(options.name)} FOR TABLE ${list}`);
      return [...options.tables];
    }
    if (pubs[0]!.puballtables) return [];
    const missing = await missingTables(client, options);
    if (missing.length) {
      const list = missing.map((t) => qualified(client, t)).join(', ');
      await client.query(`ALTER PUBLICATION ${client.escapeIdentifier(options.name)} ADD TABLE ${list}`);
    }
    return missing;
  } catch (e) {
    const err = e as { code?: string; message: string };
    if (err.code === '42501') {
      throw new SyncError(
        'PG_PERMISSION_DENIED',
        `Cannot create or change publication "${options.name}": ${err.message}. Run as the table owner or a superuser: CREATE PUBLICATION ${options.name} FOR TABLE ${options.tables.join(', ')};`,
        { cause: e },
      );
    }
    throw e;
  }
}

/** Tables of `options.tables` the publication does not cover yet. */
export async function missingTables(client: Queryable, options: EnsurePublicationOptions): Promise<string[]> {
  const { rows } = await client.query<{ schemaname: string; tablename: string }>(
    'SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = $1',
    [options.name],
  );
  const have = new Set(rows.map((r) => `${r.schemaname}.${r.tablename}`));
  return options.tables.filter((t) => !have.has(t.includes('.') ? t : `public.${t}`));
}
