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
  private readonly byBucket = new Map<string, Streams>();
  private readonly byLookup = new Map<string, Streams>();
  private readonly byClient = new Map<string, Streams>();
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
      each(this.byBucket.get(bucket), (s) => targets.add(s));
    }
    for (const l of event.lookups) {
      each(this.byLookup.get(l), (s) => targets.add(s));
    }
    for (const s of targets) s.onCheckpoint(event);
  }

  /** Tells the streams of `(user, client)` that write checkpoint `id` was reached. */
  writeCheckpointReached(userId: string, clientId: string, id: bigint): void {
    each(this.byClient.get(`${userId}\x1f${clientId}`), (s) => s.onWriteCheckpoint(id));
  }
}

/**
 * The streams of one key: most keys (a user's own buckets, a client) have exactly one stream, held as
 * itself; a Set only once a second one joins (an idle stream then costs no Set per key).
 */
type Streams = HubStream | Set<HubStream>;

function each(entry: Streams | undefined, fn: (s: HubStream) => void): void {
  if (entry === undefined) return;
  if (entry instanceof Set) for (const s of entry) fn(s);
  else fn(entry);
}

function add<K>(map: Map<K, Streams>, key: K, value: HubStream): void {
  const entry = map.get(key);
  if (entry === undefined) map.set(key, value);
  else if (entry instanceof Set) entry.add(value);
  else if (entry !== value) map.set(key, new Set([entry, value]));
}

function remove<K>(map: Map<K, Streams>, key: K, value: HubStream): void {
  const entry = map.get(key);
  if (entry === undefined) return;
  if (entry instanceof Set) {
    entry.delete(value);
    if (entry.size === 0) map.delete(key);
  } else if (entry === value) map.delete(key);
}
