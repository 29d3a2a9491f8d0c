import type { CheckpointEvent } from '../storage/events.js';
import type { RecentOps } from './recent-ops.js';

/** What the hub needs from a stream. */
export interface HubStream {
  onCheckpoint(event: CheckpointEvent): void;
  onWriteCheckpoint(id: bigint): void;
}

/**
 * Fan-out index: which open streams care about which buckets, parameter lookups and (user, client) write
 * checkpoints. A committed checkpoint is handed to exactly the affected streams, right away.
 */
export class StreamHub {
  private readonly byBucket = new Map<string, Set<HubStream>>();
  private readonly byLookup = new Map<string, Set<HubStream>>();
  private readonly byClient = new Map<string, Set<HubStream>>();
  private readonly initializing = new Set<HubStream>();
  private readonly all = new Set<HubStream>();
  lastEvent: CheckpointEvent | null = null;

  constructor(private readonly cache: RecentOps) {}

  get size(): number {
    return this.all.size;
  }

  /** Registers a stream that is still reading its first checkpoint: it gets every event meanwhile. */
  add(stream: HubStream, userId: string, clientId: string): void {
    this.all.add(stream);
    this.initializing.add(stream);
    add(this.byClient, `${userId}\x1f${clientId}`, stream);
  }

  /** Hands a stream every event until its next {@link follow} (while it re-reads its bucket set). */
  watchAll(stream: HubStream): void {
    if (this.all.has(stream)) this.initializing.add(stream);
  }

  /** Sets the buckets and lookups a stream follows (replacing the previous sets). */
  follow(
    stream: HubStream,
    before: { buckets: Iterable<string>; lookups: Iterable<string> },
    after: { buckets: Iterable<string>; lookups: Iterable<string> },
  ): void {
    for (const b of before.buckets) remove(this.byBucket, b, stream);
    for (const l of before.lookups) remove(this.byLookup, l, stream);
    for (const b of after.buckets) add(this.byBucket, b, stream);
    for (const l of after.lookups) add(this.byLookup, l, stream);
    this.initializing.delete(stream);
  }

  remove(
    stream: HubStream,
    userId: string,
    clientId: string,
    following: { buckets: Iterable<string>; lookups: Iterable<string> },
  ): void {
    this.all.delete(stream);
    this.initializing.delete(stream);
    remove(this.byClient, `${userId}\x1f${clientId}`, stream);
    for (const b of following.buckets) remove(this.byBucket, b, stream);
    for (const l of following.lookups) remove(this.byLookup, l, stream);
  }

  /** Delivers a committed checkpoint to the affected streams. */
  publish(event: CheckpointEvent): void {
    this.lastEvent = event;
    if (event.reset) {
      this.cache.clear();
      for (const s of this.all) s.onCheckpoint(event);
      return;
    }
    for (const b of event.compacted) this.cache.invalidate(b);
    const targets = new Set<HubStream>(this.initializing);
    for (const [bucket, update] of event.buckets) {
      if (update.ops) this.cache.add(bucket, update.ops);
      const set = this.byBucket.get(bucket);
      if (set) for (const s of set) targets.add(s);
    }
    for (const l of event.lookups) {
      const set = this.byLookup.get(l);
      if (set) for (const s of set) targets.add(s);
    }
    for (const s of targets) s.onCheckpoint(event);
  }

  /** Tells the streams of `(user, client)` that write checkpoint `id` was reached. */
  writeCheckpointReached(userId: string, clientId: string, id: bigint): void {
    const set = this.byClient.get(`${userId}\x1f${clientId}`);
    if (set) for (const s of set) s.onWriteCheckpoint(id);
  }
}

function add<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(value);
}

function remove<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}
