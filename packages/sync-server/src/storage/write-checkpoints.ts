import { SyncError } from '@syncline/errors';
import type pg from 'pg';

/**
 * The `write_checkpoints` table: ids per `(user, client)` that only ever go up, each with the WAL position
 * replication must pass before streams report it (SPEC.md R7). Write checkpoints and checkpoint requests
 * share it, so ids never go backwards whichever mode a client uses.
 */
export class WriteCheckpointTable {
  /** `pool`: the storage pool; `s`: the quoted storage schema. */
  constructor(
    private readonly pool: pg.Pool,
    private readonly s: string,
  ) {}

  /** Creates the next write checkpoint of `(user, client)` for WAL position `lsn`. */
  async create(userId: string, clientId: string, lsn: string): Promise<bigint> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const { rows } = await this.pool.query<{ id: string }>(
        `INSERT INTO ${this.s}.write_checkpoints (user_id, client_id, id, lsn)
         SELECT $1, $2, COALESCE(max(id), 0) + 1, $3::pg_lsn FROM ${this.s}.write_checkpoints WHERE user_id = $1 AND client_id = $2
         ON CONFLICT DO NOTHING RETURNING id`,
        [userId, clientId, lsn],
      );
      if (rows[0]) {
        const id = BigInt(rows[0].id);
        if (id % 16n === 0n) {
          await this.pool.query(
            `DELETE FROM ${this.s}.write_checkpoints WHERE user_id = $1 AND client_id = $2 AND id < $3`,
            [userId, clientId, String(id - 16n)],
          );
        }
        return id;
      }
    }
    throw new SyncError(
      'STORAGE_FAILED',
      'Could not allocate a write checkpoint (concurrent requests); retry',
    );
  }

  /**
   * A checkpoint request (`checkpointMode: 'requests'`): stores `requestId` for `(user, client)` at WAL
   * position `lsn` when it is above the stored ids, and returns the highest stored id (a stale or repeated
   * request changes nothing). Ids share the write-checkpoint table, so both modes report through
   * {@link reached} and ids never go backwards.
   */
  async request(
    userId: string,
    clientId: string,
    requestId: bigint,
    lsn: string,
  ): Promise<{ id: bigint; raised: boolean }> {
    const { rows } = await this.pool.query<{ id: string; raised: boolean }>(
      `WITH current AS (SELECT max(id) AS id FROM ${this.s}.write_checkpoints WHERE user_id = $1 AND client_id = $2),
            ins AS (INSERT INTO ${this.s}.write_checkpoints (user_id, client_id, id, lsn)
                    SELECT $1, $2, $3::bigint, $4::pg_lsn FROM current WHERE current.id IS NULL OR current.id < $3::bigint
                    ON CONFLICT DO NOTHING RETURNING id)
       SELECT COALESCE((SELECT id FROM ins), (SELECT id FROM current)) AS id, EXISTS (SELECT 1 FROM ins) AS raised`,
      [userId, clientId, String(requestId), lsn],
    );
    const id = BigInt(rows[0]!.id);
    const raised = rows[0]!.raised;
    if (raised) {
      // Keep the 16 newest ids of the client (older ones are implied by newer reached ones).
      await this.pool.query(
        `DELETE FROM ${this.s}.write_checkpoints WHERE user_id = $1 AND client_id = $2 AND id < ALL (
           SELECT id FROM ${this.s}.write_checkpoints WHERE user_id = $1 AND client_id = $2 ORDER BY id DESC LIMIT 16)`,
        [userId, clientId],
      );
    }
    return { id, raised };
  }

  /** Pending (not yet reached) write checkpoints, for a process that takes over replication. */
  async pending(lsn: string): Promise<{ userId: string; clientId: string; id: bigint; lsn: string }[]> {
    const { rows } = await this.pool.query<{ user_id: string; client_id: string; id: string; lsn: string }>(
      `SELECT user_id, client_id, id, lsn::text AS lsn FROM ${this.s}.write_checkpoints WHERE lsn > $1::pg_lsn`,
      [lsn],
    );
    return rows.map((r) => ({ userId: r.user_id, clientId: r.client_id, id: BigInt(r.id), lsn: r.lsn }));
  }

  /** The highest write checkpoint of `(user, client)` whose WAL position replication has passed. */
  async reached(
    db: Pick<pg.ClientBase, 'query'>,
    userId: string,
    clientId: string,
    lsn: string,
  ): Promise<bigint | null> {
    const { rows } = await db.query<{ id: string | null }>(
      `SELECT max(id) AS id FROM ${this.s}.write_checkpoints WHERE user_id = $1 AND client_id = $2 AND lsn <= $3::pg_lsn`,
      [userId, clientId, lsn],
    );
    return rows[0]?.id ? BigInt(rows[0].id) : null;
  }
}
