/**
 * Encodes a session's protocol lines for one transport: NDJSON (`application/x-ndjson`) or BSON documents
 * (`application/vnd.powersync.bson-stream` over HTTP, and every RSocket payload). The session is the same
 * state machine for all of them; only this layer and the transport differ.
 */
import type { Encoding, OpsRange } from '../storage/store.js';
import { bsonDataLine, bsonLine } from './bson.js';
import { type ControlLine, dataLine } from './lines.js';

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
  const bucketNames = new Map<string, string>(); // JSON-quoted bucket names, once per bucket
  const send = (encoded: string | Buffer, ops: number): Promise<void> => {
    metrics.linesSent++;
    metrics.opsSent += ops;
    metrics.bytesSent += encoded.length;
    return transport.write(encoded);
  };
  return {
    encoding,
    get closed() {
      return transport.closed;
    },
    line(value) {
      return send(encoding === 'bson' ? bsonLine(value) : `${JSON.stringify(value)}\n`, 0);
    },
    data(bucket, after, nextAfter, hasMore, ops) {
      if (encoding === 'bson') {
        return send(bsonDataLine(bucket, after, nextAfter, hasMore, ops.payload as Buffer), ops.count);
      }
      let name = bucketNames.get(bucket);
      if (name === undefined) {
        if (bucketNames.size >= 4096) bucketNames.clear(); // bounded for long-lived streams
        name = JSON.stringify(bucket);
        bucketNames.set(bucket, name);
      }
      return send(dataLine(name, after, nextAfter, hasMore, ops.payload as string), ops.count);
    },
    flush: () => transport.flush(),
    end: () => transport.end(),
  };
}
