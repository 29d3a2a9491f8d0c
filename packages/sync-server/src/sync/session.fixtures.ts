/** Fakes at the session's edges for its unit tests: bucket storage in memory and a transport that can stall. */
import { BSON } from 'bson';
import type { Encoding } from '../protocol/lines.js';
import type { BucketUpdate } from '../storage/events.js';
import type { OpsRange } from '../storage/store.js';
import type { LineTransport } from './output.js';

/** A decoded sync line (the fields the tests read). */
export interface SyncLine {
  checkpoint?: { last_op_id: string; write_checkpoint?: string; buckets: unknown[] };
  checkpoint_diff?: {
    last_op_id: string;
    write_checkpoint?: string;
    updated_buckets: unknown[];
    removed_buckets: string[];
  };
  checkpoint_complete?: { last_op_id: string };
  partial_checkpoint_complete?: { last_op_id: string; priority: number };
  data?: {
    bucket: string;
    after: string;
    next_after: string;
    has_more: boolean;
    data: { op_id: string; op: string }[];
  };
  token_expires_in?: number;
}

/** Bucket storage in memory: PUT ops with checksum 1, one head, an optional reached write checkpoint. */
export class MemoryStore {
  ops: { opId: bigint; line: string; bucket: string }[] = [];
  head = 0n;
  compactedThrough = 0n;
  wc: bigint | null = null;
  /** Appends `n` PUT ops to a bucket (checksum 1 each) and returns its new state. */
  add(n: number, bucket = 'b1'): BucketUpdate {
    for (let i = 0; i < n; i++) {
      this.head++;
      this.ops.push({
        bucket,
        opId: this.head,
        line: `{"op_id":"${this.head}","op":"PUT","object_type":"t","object_id":"r${this.head}","data":"{}","checksum":1,"subkey":"s"}`,
      });
    }
    return this.state(bucket);
  }
  state(bucket: string): BucketUpdate {
    const ops = this.ops.filter((o) => o.bucket === bucket);
    return {
      checksum: ops.reduce((sum, o) => sum + (JSON.parse(o.line).checksum as number), 0),
      count: ops.length,
      lastOpId: ops.at(-1)?.opId ?? 0n,
      compactedThrough: this.compactedThrough,
    };
  }
  async consistentRead<T>(
    fn: (db: unknown, at: { head: bigint; lsn: string; snapshotDone: boolean; epoch: bigint }) => Promise<T>,
  ) {
    return fn(null, { head: this.head, lsn: '0/1', snapshotDone: true, epoch: 0n });
  }
  async bucketStates(_db: unknown, names: string[]) {
    return new Map(names.map((n) => [n, this.state(n)]));
  }
  async parameterSets() {
    return new Map();
  }
  async reachedWriteCheckpoint() {
    return this.wc;
  }
  async readOps(
    b: string,
    after: bigint,
    upTo: bigint,
    limit: number,
    encoding: Encoding,
  ): Promise<OpsRange> {
    const slice = this.ops.filter((o) => o.bucket === b && o.opId > after && o.opId <= upTo).slice(0, limit);
    return {
      lastOpId: slice.at(-1)?.opId ?? 0n,
      count: slice.length,
      payload:
        encoding === 'bson'
          ? Buffer.concat(slice.map((o) => Buffer.from(BSON.serialize(JSON.parse(o.line)))))
          : slice.map((o) => o.line).join(','),
    };
  }
}

/** A transport whose writes can be held (a slow client); decodes what it gets in either encoding. */
export class HeldSink implements LineTransport {
  lines: SyncLine[] = [];
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
  async write(line: string | Buffer) {
    this.lines.push((typeof line === 'string' ? JSON.parse(line) : BSON.deserialize(line)) as SyncLine);
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
