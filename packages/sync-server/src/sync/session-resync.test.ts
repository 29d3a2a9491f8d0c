/**
 * A bucket that joins a session's set through a consistent re-read (a share granted) must not miss an op
 * committed while that read was in flight — even when a later checkpoint moves the head past it. (Found by
 * the torture suite: the client then reported "Checksums didn't match" for the shared bucket.)
 */
import { createLogger } from '@syncline/errors';
import { describe, expect, it } from 'vitest';
import type { BucketUpdate, CheckpointEvent } from '../storage/events.js';
import type { OpsRange } from '../storage/store.js';
import { StreamHub } from './hub.js';
import { createLineOutput, type LineTransport } from './output.js';
import { RecentOps } from './recent-ops.js';
import type { SyncLine } from './session.fixtures.js';
import { type SessionContext, SyncSession } from './session.js';
import { TimerHeap } from './timer-heap.js';

type Op = { opId: bigint; line: string };

class Store {
  head = 0n;
  buckets = new Map<string, Op[]>();
  gate: Promise<void> | null = null;
  add(bucket: string): BucketUpdate {
    this.head++;
    const ops = this.buckets.get(bucket) ?? [];
    ops.push({
      opId: this.head,
      line: `{"op_id":"${this.head}","op":"PUT","object_type":"t","object_id":"${bucket}${this.head}","data":"{}","checksum":1,"subkey":"s"}`,
    });
    this.buckets.set(bucket, ops);
    return this.state(bucket, this.head);
  }
  state(bucket: string, at: bigint): BucketUpdate {
    const ops = (this.buckets.get(bucket) ?? []).filter((o) => o.opId <= at);
    return {
      checksum: ops.length,
      count: ops.length,
      lastOpId: ops.at(-1)?.opId ?? 0n,
      compactedThrough: 0n,
    };
  }
  async consistentRead<T>(
    fn: (db: unknown, at: { head: bigint; lsn: string; snapshotDone: boolean; epoch: bigint }) => Promise<T>,
  ) {
    const at = this.head; // the snapshot is taken now…
    if (this.gate) await this.gate; // …and the read finishes later
    return fn(at, { head: at, lsn: '0/1', snapshotDone: true, epoch: 0n });
  }
  async bucketStates(at: bigint, names: string[]) {
    return new Map(names.map((n) => [n, this.state(n, at)] as const));
  }
  async parameterSets() {
    return new Map();
  }
  async reachedWriteCheckpoint() {
    return null;
  }
  async readOps(bucket: string, after: bigint, upTo: bigint, limit: number): Promise<OpsRange> {
    const slice = (this.buckets.get(bucket) ?? [])
      .filter((o) => o.opId > after && o.opId <= upTo)
      .slice(0, limit);
    return {
      lastOpId: slice.at(-1)?.opId ?? 0n,
      count: slice.length,
      payload: slice.map((o) => o.line).join(','),
    };
  }
}

class Sink implements LineTransport {
  lines: SyncLine[] = [];
  closed = false;
  async write(line: string | Buffer) {
    this.lines.push(JSON.parse(String(line)) as SyncLine);
  }
  async flush() {}
  end() {
    this.closed = true;
  }
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('SyncStream: a bucket added by a re-read', () => {
  it('gets the ops committed while the re-read ran, even after the head moved on', async () => {
    const store = new Store();
    const hub = new StreamHub(new RecentOps());
    let shared: string[] = [];
    const rules = {
      querier: () => ({
        querier: {
          staticBuckets: [{ bucket: 'own', priority: 3, definition: 'd', inclusion_reasons: ['default'] }],
          hasDynamicBuckets: true,
          async queryDynamicBucketDescriptions(src: {
            getParameterSets: (l: unknown[]) => Promise<unknown>;
          }) {
            await src.getParameterSets([{ serializedRepresentation: 'L' }]);
            return shared.map((b) => ({
              bucket: b,
              priority: 3,
              definition: 'd',
              inclusion_reasons: ['default'],
            }));
          },
        },
        errors: [],
      }),
      definitions: () => [{ name: 'd', isDefault: true }],
    };
    const ctx: SessionContext = {
      store: store as never,
      rules: () => rules as never,
      cache: new RecentOps(),
      hub,
      logger: createLogger({ level: 'silent' }),
      maxBuckets: 100,
      maxParameterRows: 100,
      opsPerLine: 100,
      keepaliveMs: 3_600_000,
      timers: new TimerHeap(),
      metrics: { linesSent: 0, opsSent: 0, bytesSent: 0, checkpointsSent: 0, abandoned: 0 },
    };
    const sink = new Sink();
    const stream = new SyncSession(
      ctx,
      {
        userId: 'u',
        clientId: 'c',
        tokenExp: Date.now() / 1000 + 3600,
        jwtPayload: { sub: 'u' },
        body: { buckets: [] },
      },
      createLineOutput('ndjson', sink, ctx.metrics),
    );
    const ev = (buckets: [string, BucketUpdate][], lookups: string[] = []): CheckpointEvent => ({
      head: store.head,
      lsn: '0/1',
      buckets: new Map(buckets),
      lookups: new Set(lookups),
      compactionEpoch: 0n,
      compacted: new Set(),
    });
    store.add('own');
    store.add('shared');
    const run = stream.run();
    await tick();
    // A share is granted: the stream re-reads its bucket set; the read's snapshot is taken, then an op of
    // the shared bucket commits before the read returns.
    shared = ['shared'];
    let open!: () => void;
    store.gate = new Promise((r) => {
      open = r;
    });
    hub.publish(ev([], ['L']));
    await tick();
    store.gate = null;
    hub.publish(ev([['shared', store.add('shared')]]));
    open();
    await tick();
    // The head moves on through another bucket, then the shared bucket changes again.
    hub.publish(ev([['own', store.add('own')]]));
    await tick();
    hub.publish(ev([['shared', store.add('shared')]]));
    await tick();
    const sent = sink.lines
      .filter((l) => l.data?.bucket === 'shared')
      .flatMap((l) => l.data!.data.map((o) => o.op_id));
    expect(sent).toEqual(['2', '3', '5']);
    stream.close();
    await run;
  });
});
