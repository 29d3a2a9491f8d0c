/**
 * The stream state machine (SPEC.md) against an in-memory store: first line, coalescing (I8), abandoning a
 * checkpoint when compaction rewrites a bucket mid-send (I3), write-checkpoint-only diffs (I4, I11).
 */
import { createLogger } from '@syncline/errors';
import { describe, expect, it } from 'vitest';
import type { BucketUpdate, CheckpointEvent } from '../storage/events.js';
import type { OpsRange } from '../storage/store.js';
import { StreamHub } from './hub.js';
import { RecentOps } from './recent-ops.js';
import { type LineSink, type StreamContext, SyncStream } from './stream.js';

const silent = createLogger({ level: 'silent' });

class MemoryStore {
  ops: { opId: bigint; line: string }[] = [];
  head = 0n;
  checksum = 0;
  compactedThrough = 0n;
  wc: bigint | null = null;
  add(n: number): BucketUpdate {
    for (let i = 0; i < n; i++) {
      this.head++;
      this.ops.push({
        opId: this.head,
        line: `{"op_id":"${this.head}","op":"PUT","object_type":"t","object_id":"r${this.head}","data":"{}","checksum":1,"subkey":"s"}`,
      });
      this.checksum++;
    }
    return {
      checksum: this.checksum,
      count: this.ops.length,
      lastOpId: this.head,
      compactedThrough: this.compactedThrough,
    };
  }
  async consistentRead<T>(
    fn: (db: unknown, at: { head: bigint; lsn: string; snapshotDone: boolean; epoch: bigint }) => Promise<T>,
  ) {
    return fn(null, { head: this.head, lsn: '0/1', snapshotDone: true, epoch: 0n });
  }
  async bucketStates(_db: unknown, names: string[]) {
    return new Map(
      names.map((n) => [
        n,
        {
          checksum: this.checksum,
          count: this.ops.length,
          lastOpId: this.head,
          compactedThrough: this.compactedThrough,
        },
      ]),
    );
  }
  async parameterSets() {
    return new Map();
  }
  async reachedWriteCheckpoint() {
    return this.wc;
  }
  async readOps(_b: string, after: bigint, upTo: bigint, limit: number): Promise<OpsRange> {
    const slice = this.ops.filter((o) => o.opId > after && o.opId <= upTo).slice(0, limit);
    return {
      lastOpId: slice.at(-1)?.opId ?? 0n,
      count: slice.length,
      joined: slice.map((o) => o.line).join(','),
    };
  }
}

/** A sink whose writes can be held, to simulate a slow client. */
class HeldSink implements LineSink {
  lines: Record<string, any>[] = [];
  closed = false;
  private gate: Promise<void> | null = null;
  private open: (() => void) | null = null;
  hold() {
    this.gate = new Promise((r) => {
      this.open = r;
    });
  }
  release() {
    this.open?.();
    this.gate = null;
  }
  async write(line: string) {
    this.lines.push(JSON.parse(line));
    if (this.gate) await this.gate;
  }
  async flush() {}
  end() {
    this.closed = true;
  }
  kinds() {
    return this.lines.map((l) => Object.keys(l)[0]);
  }
}

function setup(opsPerLine = 1000) {
  const store = new MemoryStore();
  const hub = new StreamHub(new RecentOps());
  const rules = {
    querier: () => ({
      querier: {
        staticBuckets: [{ bucket: 'b1', priority: 3, definition: 'd', inclusion_reasons: ['default'] }],
        hasDynamicBuckets: false,
      },
      errors: [],
    }),
    definitions: () => [{ name: 'd', isDefault: true }],
  };
  const ctx: StreamContext = {
    store: store as never,
    rules: () => rules as never,
    cache: new RecentOps(),
    hub,
    logger: silent,
    maxBuckets: 1000,
    maxParameterRows: 1000,
    opsPerLine,
    keepaliveMs: 3_600_000,
    metrics: { linesSent: 0, opsSent: 0, bytesSent: 0, checkpointsSent: 0, abandoned: 0 },
  };
  const sink = new HeldSink();
  const stream = new SyncStream(
    ctx,
    {
      userId: 'u',
      clientId: 'c',
      tokenExp: Date.now() / 1000 + 3600,
      jwtPayload: { sub: 'u' },
      body: { buckets: [] },
    },
    sink,
  );
  const event = (u: BucketUpdate, extra: Partial<CheckpointEvent> = {}): CheckpointEvent => ({
    head: u.lastOpId,
    lsn: '0/1',
    buckets: new Map([['b1', u]]),
    lookups: new Set(),
    compactionEpoch: 0n,
    compacted: new Set(),
    ...extra,
  });
  return { store, hub, sink, stream, event };
}

const tick = () => new Promise((r) => setTimeout(r, 5));
const opIdsIn = (lines: Record<string, any>[]) =>
  lines.filter((l) => l.data).flatMap((l) => l.data.data.map((o: { op_id: string }) => o.op_id));

describe('SyncStream', () => {
  it('starts with a full checkpoint, then its data, then checkpoint_complete (I1)', async () => {
    const { store, sink, stream } = setup(2);
    store.add(5);
    const run = stream.run();
    await tick();
    expect(sink.kinds()).toEqual(['checkpoint', 'data', 'data', 'data', 'checkpoint_complete']);
    expect(sink.lines[0]!.checkpoint).toMatchObject({
      last_op_id: '5',
      buckets: [{ bucket: 'b1', checksum: 5, count: 5 }],
    });
    expect(opIdsIn(sink.lines)).toEqual(['1', '2', '3', '4', '5']);
    expect(sink.lines[1]!.data).toMatchObject({ after: '0', next_after: '2', has_more: true });
    stream.close();
    await run;
  });

  it('coalesces events that arrive while a checkpoint is being sent into one diff (I8), sending each op once (I2)', async () => {
    const { store, hub, sink, stream, event } = setup();
    store.add(1);
    const run = stream.run();
    await tick();
    sink.hold();
    hub.publish(event(store.add(1)));
    await tick(); // stream is now blocked writing the diff for op 2
    hub.publish(event(store.add(1)));
    hub.publish(event(store.add(1)));
    hub.publish(event(store.add(1)));
    sink.release();
    await tick();
    const diffs = sink.lines.filter((l) => l.checkpoint_diff).map((l) => l.checkpoint_diff.last_op_id);
    expect(diffs).toEqual(['2', '5']); // three events, one diff
    expect(opIdsIn(sink.lines)).toEqual(['1', '2', '3', '4', '5']);
    expect(sink.kinds().at(-1)).toBe('checkpoint_complete');
    stream.close();
    await run;
  });

  it('abandons a checkpoint whose bucket was compacted mid-send and completes a newer one (I3)', async () => {
    const { store, hub, sink, stream, event } = setup(1);
    store.add(2);
    sink.hold(); // hold the first data line of the initial checkpoint
    const run = stream.run();
    await tick();
    // Compaction rewrites everything ≤ 2 as CLEAR at 2 and re-puts the live rows at 3..4.
    store.ops = [{ opId: 2n, line: '{"op_id":"2","op":"CLEAR","checksum":2}' }];
    store.compactedThrough = 2n;
    const u = store.add(2);
    hub.publish(event(u, { compacted: new Set(['b1']) }));
    sink.release();
    await tick();
    const completes = sink.lines
      .filter((l) => l.checkpoint_complete)
      .map((l) => l.checkpoint_complete.last_op_id);
    expect(completes).toEqual(['4']); // checkpoint 2 never completed
    expect(sink.lines.some((l) => l.data?.data.some((o: { op: string }) => o.op === 'CLEAR'))).toBe(true);
    stream.close();
    await run;
  });

  it('a write checkpoint alone produces a diff with it and a complete (I4, I11)', async () => {
    const { store, hub, sink, stream } = setup();
    store.add(1);
    const run = stream.run();
    await tick();
    hub.writeCheckpointReached('u', 'c', 7n);
    await tick();
    expect(sink.lines.slice(-2)).toEqual([
      {
        checkpoint_diff: { last_op_id: '1', write_checkpoint: '7', updated_buckets: [], removed_buckets: [] },
      },
      { checkpoint_complete: { last_op_id: '1' } },
    ]);
    hub.writeCheckpointReached('u', 'other-client', 9n);
    await tick();
    expect(sink.lines.filter((l) => l.checkpoint_diff)).toHaveLength(1);
    stream.close();
    await run;
  });
});
