import { type Logger, SyncError } from '@syncline/errors';
import pg from 'pg';
import { SyncRules } from '../rules/index.js';
import type { BucketStore, SyncState } from '../storage/store.js';
import type { StorageWriter } from '../storage/writer.js';
import { createSlotWithSnapshot, dropSlot, publicationTables, SESSION_OPTIONS } from './slot.js';
import { snapshotTable } from './snapshot.js';
import { CatalogResolver } from './tables.js';

/** What {@link rebuildStorage} needs. */
export interface RebuildOptions {
  sourceUrl: string;
  store: BucketStore;
  rulesYaml: string;
  slotName: string;
  publication: string;
  db: Pick<pg.Pool, 'query'>;
  logger: Logger;
  syncs: (schema: string, name: string) => boolean;
  newWriter: (rules: SyncRules, state: SyncState) => StorageWriter;
  /** Receives the rules (new version) and the writer as soon as they exist. */
  setRules: (rules: SyncRules, writer: StorageWriter) => void;
}

/**
 * Empties derived storage, recreates the slot and copies every synced table on the slot's exported
 * snapshot, so streaming continues exactly after the copy (the stored position is the consistent point).
 */
export async function rebuildStorage(o: RebuildOptions): Promise<SyncState> {
  const { store } = o;
  await dropSlot(o.db, o.slotName, o.logger);
  const state = await store.resetForRebuild(SyncRules.parse(o.rulesYaml, 0).hash, o.slotName);
  const rules = SyncRules.parse(o.rulesYaml, state.rulesVersion);
  const writer = o.newWriter(rules, state);
  o.setRules(rules, writer);
  const created = await createSlotWithSnapshot(o.sourceUrl, o.slotName);
  const snap = new pg.Client({ connectionString: o.sourceUrl, options: SESSION_OPTIONS } as pg.ClientConfig);
  snap.on('error', () => undefined); // surfaces through the query that fails
  const started = Date.now();
  let rows = 0;
  const done: string[] = [];
  try {
    await snap.connect();
    await snap.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await snap.query(`SET TRANSACTION SNAPSHOT '${created.snapshotName}'`);
    for (const t of await publicationTables(snap, o.publication)) {
      if (!o.syncs(t.schema, t.name)) continue;
      rows += await snapshotTable({
        client: snap,
        catalog: new CatalogResolver(snap),
        rules,
        writer,
        schema: t.schema,
        name: t.name,
        logger: o.logger,
      });
      done.push(`${t.schema}.${t.name}`);
    }
    await snap.query('COMMIT');
    await writer.commit(created.consistentPoint, { snapshotDone: true });
    await store.markSnapshotted(done);
  } catch (e) {
    await writer.rollback();
    throw SyncError.from(e, 'REPL_SLOT_FAILED', `Initial snapshot failed: ${(e as Error).message}`);
  } finally {
    await snap.end().catch(() => undefined);
    await created.connection.end().catch(() => undefined);
  }
  o.logger.info('initial snapshot done', {
    rows,
    ms: Date.now() - started,
    consistentPoint: created.consistentPoint,
  });
  return (await store.state())!;
}
