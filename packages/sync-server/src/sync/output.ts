/**
 * Encodes a session's protocol lines for one transport: NDJSON (`application/x-ndjson`) or BSON documents
 * (`application/vnd.powersync.bson-stream` over HTTP, and every RSocket payload). The session is the same
 * state machine for all of them; only this layer and the transport differ.
 */

import { bsonDataLine, bsonLine } from '../protocol/bson.js';
import type { Encoding } from '../protocol/lines.js';
import { type ControlLine, dataLine } from '../protocol/lines.js';
import type { OpsRange } from '../storage/store.js';

/** Moves encoded lines to the client: an HTTP response body or an RSocket request-stream. */
export interface LineTransport {
  /** Sends one encoded line; resolves once the transport can take more (backpressure / request-N). */
  write(line: string | Buffer): Promise<void>;
  /** Pushes buffered (compressed) bytes to the client. */
  flush(): Promise<void>;
  /** Ends the response / completes the stream. */
  end(): void;
  readonly closed: boolean;
}

/** Counters the output maintains (shared by all streams, exported as metrics). */
export interface OutputMetrics {
  linesSent: number;
  opsSent: number;
  bytesSent: number;
}

/** Where a session writes its lines, already bound to one encoding. */
export interface LineOutput {
  readonly encoding: Encoding;
  readonly closed: boolean;
  /** Writes a control line (`checkpoint`, `checkpoint_diff`, `*_complete`, `token_expires_in`). */
  line(value: ControlLine): Promise<void>;
  /** Writes a `data` line around ops read in {@link encoding}. */
  data(bucket: string, after: bigint, nextAfter: bigint, hasMore: boolean, ops: OpsRange): Promise<void>;
  flush(): Promise<void>;
  end(): void;
}

/** A {@link LineOutput} encoding for `transport`. */
export function createLineOutput(
  encoding: Encoding,
  transport: LineTransport,
  metrics: OutputMetrics,
): LineOutput {
  return new EncodedOutput(encoding, transport, metrics);
}

/**
 * A class rather than an object literal of closures: one small object per stream, methods shared (an object
 * literal with a getter is kept in dictionary mode by V8, ≈ 0.5 KB per idle stream).
 */
class EncodedOutput implements LineOutput {
  /** JSON-quoted bucket names, once per bucket (created on the first data line). */
  private bucketNames: Map<string, string> | null = null;

  constructor(
    readonly encoding: Encoding,
    private readonly transport: LineTransport,
    private readonly metrics: OutputMetrics,
  ) {}

  get closed(): boolean {
    return this.transport.closed;
  }

  line(value: ControlLine): Promise<void> {
    return this.send(this.encoding === 'bson' ? bsonLine(value) : `${JSON.stringify(value)}\n`, 0);
  }

  data(bucket: string, after: bigint, nextAfter: bigint, hasMore: boolean, ops: OpsRange): Promise<void> {
    // A range read from storage comes as its line (built for exactly these after / next_after / has_more).
    if (ops.line) return this.send(ops.line, ops.count);
    if (this.encoding === 'bson') {
      return this.send(
        bsonDataLine(bucket, after, nextAfter, hasMore, ops.payload as Buffer | Buffer[]),
        ops.count,
      );
    }
    this.bucketNames ??= new Map();
    let name = this.bucketNames.get(bucket);
    if (name === undefined) {
      if (this.bucketNames.size >= 4096) this.bucketNames.clear(); // bounded for long-lived streams
      name = JSON.stringify(bucket);
      this.bucketNames.set(bucket, name);
    }
    return this.send(dataLine(name, after, nextAfter, hasMore, ops.payload as string), ops.count);
  }

  flush(): Promise<void> {
    return this.transport.flush();
  }

  end(): void {
    this.transport.end();
  }

  private send(encoded: string | Buffer, ops: number): Promise<void> {
    this.metrics.linesSent++;
    this.metrics.opsSent += ops;
    this.metrics.bytesSent += encoded.length;
    return this.transport.write(encoded);
  }
}
