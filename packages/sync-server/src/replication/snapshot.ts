import type { SqliteRow } from '@powersync/service-sync-rules';
import type { Logger } from '@syncline/errors';
import type pg from 'pg';
import type { SyncRules } from '../rules/index.js';
import type { RowChange } from '../storage/ops.js';
import type { StorageWriter } from '../storage/writer.js';
import { type CatalogResolver, rowKey } from './tables.js';
import { convertValue } from './values.js';

const identity = (v: string) => v;
const RAW_TYPES = { getTypeParser: () => identity };

/** Options for {@link snapshotTable}. */
export interface SnapshotTableOptions {
  /** A connection inside a REPEATABLE READ transaction (optionally on an exported snapshot). */
  client: pg.Client | pg.PoolClient;
  catalog: CatalogResolver;
  rules: SyncRules;
  writer: StorageWriter;
  schema: string;
  name: string;
  logger: Logger;
  /** Rows per fetch. Default 10 000. */
  batchSize?: number;
  /** Commit storage every this many rows (bounded transaction size). Default 100 000. */
  commitEvery?: number;
  /** Storage may already hold rows of this table (re-snapshot): load old memberships. */
  existing?: boolean;
}

/**
 * Copies one table into bucket storage: rows are read through a cursor with values as raw text, converted
 * exactly like replicated values, evaluated by the sync rules and written in chunks. Logs progress.
 */
export async function snapshotTable(options: SnapshotTableOptions): Promise<number> {
  const { client, catalog, rules, writer, schema, name, logger } = options;
  const batchSize = options.batchSize ?? 10_000;
  const commitEvery = options.commitEvery ?? 100_000;
  const info = await catalog.table(schema, name);
  const table = rules.table(schema, name);
  if (!table.syncsData && !table.syncsParameters) return 0;
  const cursor = `syncline_snap_${Math.random().toString(36).slice(2, 10)}`;
  const qualified = `${client.escapeIdentifier(schema)}.${client.escapeIdentifier(name)}`;
  await client.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT * FROM ${qualified}`);
  const started = Date.now();
  let total = 0;
  let sinceCommit = 0;
  let lastLog = started;
  try {
    for (;;) {
      const res = await client.query({
        text: `FETCH ${batchSize} FROM ${cursor}`,
        rowMode: 'array',
        types: RAW_TYPES,
      });
      if (res.rows.length === 0) break;
      const types = await catalog.columnTypes(res.fields.map((f) => f.dataTypeID));
      const names = res.fields.map((f) => f.name);
      const changes: RowChange[] = [];
      for (const raw of res.rows as (string | null)[][]) {
        const record: Record<string, unknown> = {};
        const text: Record<string, string | null> = {};
        for (let i = 0; i < names.length; i++) {
          record[names[i]!] = convertValue(raw[i], types[i]!);
          text[names[i]!] = raw[i] ?? null;
        }
        changes.push({
          kind: 'insert',
          table,
          key: rowKey(info.keyColumns, text),
          record: rules.applyRowContext(record as SqliteRow),
        });
      }
      await writer.apply(changes, { assumeNew: !options.existing });
      total += changes.length;
      sinceCommit += changes.length;
      if (sinceCommit >= commitEvery) {
        await writer.commit('0/0');
        sinceCommit = 0;
      }
      if (Date.now() - lastLog > 2000) {
        lastLog = Date.now();
        logger.info('snapshot progress', {
          table: `${schema}.${name}`,
          rows: total,
          rowsPerSecond: Math.round(total / ((Date.now() - started) / 1000)),
        });
      }
    }
  } finally {
    await client.query(`CLOSE ${cursor}`).catch(() => undefined);
  }
  logger.info('snapshot of table done', {
    table: `${schema}.${name}`,
    rows: total,
    ms: Date.now() - started,
  });
  return total;
}
