import type { Logger } from '@syncline/errors';
import type pg from 'pg';
import { applyBatched } from './batched.js';
import type { UploadBody } from './body.js';
import { applyPerOp, type UploadOutcome } from './per-op.js';
import { mapPgError } from './pg-errors.js';
import type { TableEntry } from './plan.js';

/** How {@link runUpload} applies a request. */
export interface RunOptions {
  /** Try the batched path first (the default in the handler); false: per-op only (the reference). */
  batched: boolean;
  log?: Logger;
}

/**
 * Applies an upload request on a connection of `pool`: the batched path first, the per-op path when the
 * batched one cannot decide the request (an invalid op, another user's row, a database error). Resolves
 * with what was applied; rejects with a SyncError (for a rejected transaction, with `details.transaction`,
 * `transactionIndex` and `applied`). A connection that failed is discarded, not returned to the pool.
 *
 * @example
 * const { applied, replayed } = await runUpload(pool, uploadTables(schema), body, userId, { batched: true });
 */
export async function runUpload(
  pool: pg.Pool,
  tables: ReadonlyMap<string, TableEntry>,
  body: UploadBody,
  userId: string,
  options: RunOptions,
): Promise<UploadOutcome> {
  let client: pg.PoolClient | undefined = await pool.connect();
  let broken = false;
  try {
    if (options.batched) {
      const result = await applyBatched(client, tables, body, userId);
      if (result.done) return result.outcome;
      options.log?.debug('batched upload handed to the per-op path', { reason: result.reason });
      if (result.broken) {
        const dead = client;
        client = undefined;
        dead.release(true);
        client = await pool.connect();
      }
    }
    return await applyPerOp(client, tables, body, userId);
  } catch (e) {
    broken = mapPgError(e).status >= 500;
    throw e;
  } finally {
    client?.release(broken);
  }
}
