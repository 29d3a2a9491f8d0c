import { lsnToBigInt } from '../protocol/lsn.js';
import type { StreamHub } from './hub.js';

interface Pending {
  userId: string;
  clientId: string;
  id: bigint;
  lsn: bigint;
}

/**
 * Write checkpoints waiting for replication to pass their WAL position. When a checkpoint event reports a
 * replicated LSN at or beyond one, the streams of that (user, client) are told.
 */
export class WriteCheckpoints {
  private pending: Pending[] = [];

  constructor(private readonly hub: StreamHub) {}

  add(userId: string, clientId: string, id: bigint, lsn: string): void {
    this.pending.push({ userId, clientId, id, lsn: lsnToBigInt(lsn) });
  }

  /** Replication passed `lsn`: notify and drop the reached ones. */
  reached(lsn: string): void {
    if (this.pending.length === 0) return;
    const at = lsnToBigInt(lsn);
    const still: Pending[] = [];
    for (const p of this.pending) {
      if (p.lsn <= at) this.hub.writeCheckpointReached(p.userId, p.clientId, p.id);
      else still.push(p);
    }
    this.pending = still;
  }

  get size(): number {
    return this.pending.length;
  }
}
