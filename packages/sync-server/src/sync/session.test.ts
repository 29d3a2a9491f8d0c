/**
 * The session state machine (SPEC.md) against an in-memory store, in both encodings: first line, coalescing
 * (I8), abandoning a checkpoint when compaction rewrites a bucket mid-send (I3), write-checkpoint-only diffs
 * (I4, I11), priorities and partial completes (I12).
 */
import { createLogger } from '@syncline/errors';
import { describe, expect, it } from 'vitest';
import type { Encoding } from '../protocol/lines.js';
import type { BucketUpdate, CheckpointEvent } from '../storage/events.js';
import { StreamHub } from './hub.js';
import { createLineOutput } from './output.js';
import { RecentOps } from './recent-ops.js';
import { HeldSink, MemoryStore, type SyncLine } from './session.fixtures.js';
import { type SessionContext, SyncSession } from './session.js';
import { TimerHeap } from './timer-heap.js';

const silent = createLogger({ level: 'silent' });

function setup(
  encoding: Encoding,
  opsPerLine = 1000,
  buckets: { bucket: string; priority: number }[] = [{ bucket: 'b1', priority: 3 }],
) {
  const store = new MemoryStore();
  const hub = new StreamHub(new RecentOps());
  const rules = {
    querier: () => ({
      querier: {
        staticBuckets: buckets.map((b) => ({ ...b, definition: 'd', inclusion_reasons: ['default'] })),
        hasDynamicBuckets: false,
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
    logger: silent,
    maxBuckets: 1000,
    maxParameterRows: 1000,
    opsPerLine,
    keepaliveMs: 3_600_000,
    timers: new TimerHeap(),
    metrics: { linesSent: 0, opsSent: 0, bytesSent: 0, checkpointsSent: 0, abandoned: 0 },
  };
  const sink = new HeldSink();
  const stream = new SyncSession(
    ctx,
    {
      userId: 'u',
      clientId: 'c',
      tokenExp: Date.now() / 1000 + 3600,
      jwtPayload: { sub: 'u' },
      body: { buckets: [] },
    },
    createLineOutput(encoding, sink, ctx.metrics),
  );
  const event = (u: BucketUpdate, extra: Partial<CheckpointEvent> = {}, bucket = 'b1'): CheckpointEvent => ({
    head: u.lastOpId,
    lsn: '0/1',
    buckets: new Map([[bucket, u]]),
    lookups: new Set(),
    compactionEpoch: 0n,
    compacted: new Set(),
    ...extra,
  });
  return { store, hub, sink, stream, event };
}

const tick = () => new Promise((r) => setTimeout(r, 5));
const opIdsIn = (lines: SyncLine[]) =>
  lines.filter((l) => l.data).flatMap((l) => l.data!.data.map((o) => o.op_id));

describe.each(['ndjson', 'bson'] as const)('SyncSession (%s)', (encoding) => {
  it('starts with a full checkpoint, then its data, then checkpoint_complete (I1)', async () => {
    const { store, sink, stream } = setup(encoding, 2);
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
    const { store, hub, sink, stream, event } = setup(encoding);
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
    const diffs = sink.lines.filter((l) => l.checkpoint_diff).map((l) => l.checkpoint_diff!.last_op_id);
    expect(diffs).toEqual(['2', '5']); // three events, one diff
    expect(opIdsIn(sink.lines)).toEqual(['1', '2', '3', '4', '5']);
    expect(sink.kinds().at(-1)).toBe('checkpoint_complete');
    stream.close();
    await run;
  });

  it('abandons a checkpoint whose bucket was compacted mid-send and completes a newer one (I3)', async () => {
    const { store, hub, sink, stream, event } = setup(encoding, 1);
    store.add(2);
    sink.hold(); // hold the first data line of the initial checkpoint
    const run = stream.run();
    await tick();
    // Compaction rewrites everything ≤ 2 as CLEAR at 2 and re-puts the live rows at 3..4.
    store.ops = [{ bucket: 'b1', opId: 2n, line: '{"op_id":"2","op":"CLEAR","checksum":2}' }];
    store.compactedThrough = 2n;
    const u = store.add(2);
    hub.publish(event(u, { compacted: new Set(['b1']) }));
    sink.release();
    await tick();
    const completes = sink.lines
      .filter((l) => l.checkpoint_complete)
      .map((l) => l.checkpoint_complete!.last_op_id);
    expect(completes).toEqual(['4']); // checkpoint 2 never completed
    expect(sink.lines.some((l) => l.data?.data.some((o) => o.op === 'CLEAR'))).toBe(true);
    stream.close();
    await run;
  });

  it('a write checkpoint alone produces a diff with it and a complete (I4, I11)', async () => {
    const { store, hub, sink, stream } = setup(encoding);
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

  it('sends higher priorities first, with a partial complete after each group another group follows (I12)', async () => {
    const buckets = [
      { bucket: 'low', priority: 3 },
      { bucket: 'urgent', priority: 0 },
      { bucket: 'mid', priority: 1 },
    ];
    const { store, sink, stream } = setup(encoding, 2, buckets);
    store.add(3, 'low');
    store.add(3, 'urgent');
    store.add(1, 'mid');
    const run = stream.run();
    await tick();
    const summary = sink.lines.map((l) =>
      l.data
        ? `data:${l.data.bucket}`
        : l.partial_checkpoint_complete
          ? `partial:${l.partial_checkpoint_complete.priority}`
          : Object.keys(l)[0],
    );
    expect(summary).toEqual([
      'checkpoint',
      'data:urgent',
      'data:urgent',
      'partial:0',
      'data:mid',
      'partial:1',
      'data:low',
      'data:low',
      'checkpoint_complete',
    ]);
    expect(sink.lines.find((l) => l.partial_checkpoint_complete)).toEqual({
      partial_checkpoint_complete: { last_op_id: '7', priority: 0 },
    });
    stream.close();
    await run;
  });

  it('a live change to a priority-0 bucket alone still gets a partial complete (appliable while uploads are pending), a lower one does not (I12)', async () => {
    const buckets = [
      { bucket: 'urgent', priority: 0 },
      { bucket: 'low', priority: 3 },
    ];
    const { store, hub, sink, stream, event } = setup(encoding, 1000, buckets);
    store.add(1, 'urgent');
    store.add(1, 'low');
    const run = stream.run();
    await tick();
    const start = sink.lines.length;
    hub.publish(event(store.add(1, 'urgent'), {}, 'urgent'));
    await tick();
    expect(sink.kinds().slice(start)).toEqual([
      'checkpoint_diff',
      'data',
      'partial_checkpoint_complete',
      'checkpoint_complete',
    ]);
    const mid = sink.lines.length;
    hub.publish(event(store.add(1, 'low'), {}, 'low'));
    await tick();
    expect(sink.kinds().slice(mid)).toEqual(['checkpoint_diff', 'data', 'checkpoint_complete']);
    stream.close();
    await run;
  });
});
