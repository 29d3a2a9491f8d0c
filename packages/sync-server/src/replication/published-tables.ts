import type { Logger } from '@syncline/errors';
import { ensurePublication } from '@syncline/postgres/publication';
import pg from 'pg';
import type { SyncRules } from '../rules/index.js';
import type { BucketStore } from '../storage/store.js';
import type { StorageWriter } from '../storage/writer.js';
import { publicationTables, SESSION_OPTIONS } from './slot.js';
import { snapshotTable } from './snapshot.js';
import type { CatalogResolver } from './tables.js';

/** Options for {@link PublishedTables}. */
export interface PublishedTablesOptions {
  sourceUrl: string;
  publication: string;
  store: BucketStore;
  db: Pick<pg.Pool, 'query'>;
  catalog: CatalogResolver;
  rules: () => SyncRules;
  /** Whether a table's changes matter to the rules (storage's own tables never do). */
  syncs: (schema: string, name: string) => boolean;
  logger: Logger;
}

/**
 * Tables of the publication that the rules sync, and whether storage holds their snapshot. A table that
 * joins the publication while streaming is snapshotted (its rows may already be partly replicated); a table
 * that leaves it is forgotten, so re-adding it rebuilds its rows (changes made meanwhile were never
 * streamed).
 */
export class PublishedTables {
  readonly snapshotted = new Set<string>();
  private readonly pending = new Set<string>();
  private readonly resnapshot = new Set<string>();

  constructor(private readonly o: PublishedTablesOptions) {}

  /** Reads which snapshots storage holds. */
  async load(): Promise<void> {
    this.snapshotted.clear();
    for (const q of await this.o.store.snapshottedTables()) this.snapshotted.add(q);
  }

  /** A synced table showed up in the stream. */
  seen(qualified: string): void {
    if (!this.snapshotted.has(qualified)) this.pending.add(qualified);
  }

  get hasPending(): boolean {
    return this.pending.size > 0;
  }

  /** Compares with the publication: new tables become pending, tables that left are forgotten. */
  async check(): Promise<void> {
    const current = new Set<string>();
    for (const t of await publicationTables(this.o.db, this.o.publication)) {
      const q = `${t.schema}.${t.name}`;
      current.add(q);
      if (this.o.syncs(t.schema, t.name) && !this.snapshotted.has(q)) this.pending.add(q);
    }
    const left = [...this.snapshotted].filter((q) => !current.has(q));
    if (left.length) {
      for (const q of left) {
        this.snapshotted.delete(q);
        this.resnapshot.add(q);
      }
      await this.o.store.forgetTables(left);
      this.o.logger.warn('tables left the publication; they will be rebuilt if added back', { tables: left });
    }
  }

  /** Snapshots the pending tables into storage (between source transactions; `lsn` stays the stored one). */
  async snapshotPending(writer: StorageWriter, lsn: string): Promise<void> {
    for (const q of [...this.pending]) {
      const [schema, name] = q.split('.', 2) as [string, string];
      this.o.logger.info('snapshotting a table added to the publication', { table: q });
      const client = new pg.Client({
        connectionString: this.o.sourceUrl,
        options: SESSION_OPTIONS,
      } as pg.ClientConfig);
      client.on('error', () => undefined); // surfaces through the query that fails
      await client.connect();
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        writer.insertsMayExist.add(q);
        if (this.resnapshot.delete(q)) {
          // Rows may have changed or vanished while the table was not published: replace them wholesale.
          await writer.apply([{ kind: 'truncate', table: this.o.rules().table(schema, name) }]);
        }
        await snapshotTable({
          client,
          catalog: this.o.catalog,
          rules: this.o.rules(),
          writer,
          schema,
          name,
          logger: this.o.logger,
          existing: true,
        });
        await client.query('COMMIT');
        await writer.commit(lsn);
        await this.o.store.markSnapshotted([q]);
        this.snapshotted.add(q);
        this.pending.delete(q);
      } catch (e) {
        await writer.rollback();
        throw e;
      } finally {
        await client.end().catch(() => undefined);
      }
    }
  }
}

/** Adds the rules' (existing, non-wildcard) source tables to the publication when missing. */
export async function addRulesTables(
  db: pg.Pool,
  publication: string,
  rules: SyncRules,
  log: Logger,
): Promise<void> {
  const wanted = rules.sourcePatterns().filter((p) => !p.wildcard);
  const { rows } = await db.query<{ q: string }>(
    `SELECT n.nspname || '.' || c.relname AS q FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND (n.nspname || '.' || c.relname) = ANY($1::text[])`,
    [wanted.map((p) => `${p.schema}.${p.name}`)],
  );
  const client = await db.connect();
  try {
    const added = await ensurePublication(client, { name: publication, tables: rows.map((r) => r.q) });
    if (added.length) log.info('added tables to the publication', { publication, tables: added });
  } finally {
    client.release();
  }
}

/** Whether two pools reach the same database of the same server (then storage's tables are never replicated). */
export async function sameDatabase(a: Pick<pg.Pool, 'query'>, b: Pick<pg.Pool, 'query'>): Promise<boolean> {
  const sql = `SELECT current_database() || '|' || coalesce(inet_server_port()::text, '') || '|' || pg_postmaster_start_time()::text AS id`;
  const [x, y] = await Promise.all([a.query<{ id: string }>(sql), b.query<{ id: string }>(sql)]);
  return x.rows[0]?.id === y.rows[0]?.id;
}
