/**
 * Switching sync servers without stranding the client.
 *
 * After an upload the SDK asks the sync server for a write checkpoint and stores it as the apply gate
 * (`powersync_control('target_checkpoint_request_id')`): downloaded data is applied only once a checkpoint
 * carries that number or a later one (`last_seen_checkpoint_request_id`). The numbers are per server — each
 * keeps its own per-client counter — so a target from server 1 means nothing to server 2, which may never
 * reach it: the client would wait, showing no newer data, until it happens to upload again.
 *
 * Invariant: once the client streams from a new endpoint, no write-checkpoint number of the previous
 * endpoint gates it (neither as target nor as the last seen number), and a pending target is replaced by
 * one from the new endpoint before data is applied (so an upload the old server acknowledged is not
 * overwritten by the new server's older state).
 *
 * How: the endpoint the database's sync state came from is kept in `ps_kv` (cleared with the sync state by
 * `disconnectAndClear`). On a different endpoint, in one write transaction: a concrete target becomes the
 * SDK's own "uploaded, no checkpoint yet" sentinel (max op id) — the SDK then requests a fresh write checkpoint
 * from the new endpoint when the stream starts —, the last seen number is dropped, and `ps_crud`'s
 * sequence is bumped so that a write-checkpoint request already in flight to the old server is discarded by
 * the SDK (it re-checks that sequence before storing the target).
 */
import type { CommonPowerSyncDatabase } from '@powersync/common';
import type { Logger } from '@syncline/errors';

/** `ps_kv` key of the endpoint the local sync state belongs to. */
export const ENDPOINT_KEY = 'syncline_sync_endpoint';
/** The SDK's sentinel target: uploads done, no write checkpoint requested yet. */
export const MAX_OP_ID = '9223372036854775807';
const LAST_SEEN_KEY = 'last_seen_checkpoint_request_id';

/** What {@link EndpointGuard.adopt} found and did. */
export interface EndpointChange {
  from: string | null;
  to: string;
  /** The write-checkpoint target before (null: none), as text. */
  staleTarget: string | null;
  /** Whether the target was re-armed to the sentinel (a new checkpoint is requested from `to`). */
  rearmed: boolean;
}

/** Made by {@link createEndpointGuard}. */
export interface EndpointGuard {
  /**
   * Records `endpoint` as the sync server of this database; when it differs from the recorded one, clears
   * the previous server's write-checkpoint state as described above. Returns the change, or null.
   */
  adopt(endpoint: string): Promise<EndpointChange | null>;
  /** The recorded endpoint (null before the first connect, or after the sync state was cleared). */
  current(): Promise<string | null>;
}

/**
 * @example
 * const guard = createEndpointGuard(powersync, logger);
 * await guard.adopt(credentials.endpoint); // before handing the credentials to the SDK
 */
export function createEndpointGuard(powersync: CommonPowerSyncDatabase, logger: Logger): EndpointGuard {
  const read = async () => {
    const row = await powersync.getOptional<{ value: string }>('SELECT value FROM ps_kv WHERE key = ?', [
      ENDPOINT_KEY,
    ]);
    return row?.value ?? null;
  };
  return {
    current: read,
    async adopt(endpoint) {
      if ((await read()) === endpoint) return null; // the common case: no write transaction
      const change = await powersync.writeTransaction(async (tx) => {
        const row = await tx.getOptional<{ value: string }>('SELECT value FROM ps_kv WHERE key = ?', [
          ENDPOINT_KEY,
        ]);
        const from = row?.value ?? null;
        await tx.execute('INSERT OR REPLACE INTO ps_kv (key, value) VALUES (?, ?)', [ENDPOINT_KEY, endpoint]);
        if (from === null || from === endpoint) return null;
        const { t: staleTarget } = await tx.get<{ t: string | null }>(
          "SELECT CAST(powersync_control('target_checkpoint_request_id', NULL) AS TEXT) AS t",
        );
        const rearmed = staleTarget !== null && staleTarget !== MAX_OP_ID;
        if (rearmed)
          await tx.execute("SELECT powersync_control('target_checkpoint_request_id', ?)", [MAX_OP_ID]);
        if (staleTarget !== null)
          await tx.execute("UPDATE sqlite_sequence SET seq = seq + 1 WHERE name = 'ps_crud'");
        await tx.execute('DELETE FROM ps_kv WHERE key = ?', [LAST_SEEN_KEY]);
        return { from, to: endpoint, staleTarget, rearmed };
      });
      if (change)
        logger.info('sync endpoint changed; write-checkpoint state of the previous server cleared', {
          ...change,
        });
      return change;
    },
  };
}
