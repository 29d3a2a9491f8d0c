/**
 * How many ops a commit keeps in memory for its checkpoint event (live fan-out without a storage read). Past
 * a limit the event only says the bucket changed and streams read storage, as for any commit.
 */
export interface EventOpsLimits {
  /** Ops per commit. Default 20 000. */
  ops: number;
  /** Encoded bytes (JSON line + BSON) per commit. Default 8 MB. */
  bytes: number;
  /** Ops per bucket per commit (the recent-ops cache keeps 2,000 per bucket anyway). Default 2,000. */
  perBucket: number;
}

export const DEFAULT_EVENT_OPS: EventOpsLimits = { ops: 20_000, bytes: 8 * 1024 * 1024, perBucket: 2000 };

/** The state of one bucket after a commit. */
export interface BucketUpdate {
  checksum: number;
  count: number;
  lastOpId: bigint;
  /** Op id of the last compaction (ops ≤ it were rewritten). */
  compactedThrough: bigint;
  /**
   * The ops this commit added to the bucket, when the commit was small enough to carry them (within the
   * writer's event-op limits: ops and bytes per commit, ops per bucket; otherwise streams read storage)
   * (ascending op ids; `lines` / `bson` are the ops' JSON / BSON encodings). `prevLastOpId` is the bucket's
   * last op id before.
   */
  ops?: { prevLastOpId: bigint; opIds: bigint[]; lines: string[]; bson?: Buffer[] };
}

/** A committed storage checkpoint, delivered to every open stream (fan-out). */
export interface CheckpointEvent {
  /** The new checkpoint: every op ≤ head is committed. */
  head: bigint;
  /** WAL position replication has passed (write checkpoints at or below it are reached). */
  lsn: string;
  /** Buckets changed by this commit with their new state. */
  buckets: Map<string, BucketUpdate>;
  /** Parameter lookups whose rows changed (dynamic bucket sets may change). */
  lookups: Set<string>;
  /** Compaction epoch after this commit (changes when compaction rewrote ops). */
  compactionEpoch: bigint;
  /** Buckets whose ops ≤ their previous last op id were rewritten by compaction in this commit. */
  compacted: Set<string>;
  /**
   * Replication restarted from storage (SPEC.md R6): a commit may have landed without an event, so every
   * stream re-reads its checkpoint and caches of recent ops are dropped.
   */
  reset?: boolean;
}

/**
 * A checkpoint event that changed no bucket: a new stored WAL position (write-checkpoint messages), or with
 * `reset` a restart of replication after which every stream re-reads its checkpoint (SPEC.md R6).
 */
export function quietCheckpoint(
  head: bigint,
  lsn: string,
  compactionEpoch: bigint,
  reset?: true,
): CheckpointEvent {
  return {
    head,
    lsn,
    buckets: new Map(),
    lookups: new Set(),
    compactionEpoch,
    compacted: new Set(),
    ...(reset ? { reset } : {}),
  };
}
