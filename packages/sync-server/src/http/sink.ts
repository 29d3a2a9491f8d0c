import type { ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import zlib from 'node:zlib';
import type { LineTransport } from '../sync/output.js';

/**
 * A {@link LineTransport} over an HTTP response body, gzipped when asked. `write` waits for `drain` when the
 * socket buffer is full, so a slow client never makes the server buffer without bound (SPEC I10).
 */
export function createResponseTransport(
  res: ServerResponse,
  options: { gzip: boolean },
): LineTransport & { closes(target: { close(): void }): void } {
  return new ResponseTransport(res, options.gzip ? zlib.createGzip({ level: 1 }) : null);
}

/** A class, not an object literal with a getter (dictionary mode in V8): it stays small per idle stream. */
class ResponseTransport implements LineTransport {
  private ended = false;
  /** Closed along with the response (the session: an object, not one more listener and closure per stream). */
  private closing: { close(): void } | null = null;
  private readonly target: Writable;

  constructor(
    private readonly res: ServerResponse,
    private readonly gzip: zlib.Gzip | null,
  ) {
    this.target = gzip ?? res;
    if (gzip) {
      gzip.pipe(res);
      gzip.on('error', () => {
        this.ended = true;
      });
    }
    res.on('close', () => {
      this.ended = true;
      this.target.emit('drain');
      this.closing?.close();
    });
  }

  /** Closes `target` when the response closes (client gone). */
  closes(target: { close(): void }): void {
    this.closing = target;
  }

  get closed(): boolean {
    return this.ended || this.res.destroyed;
  }

  write(line: string | Buffer): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.target.write(line)) return Promise.resolve();
    return new Promise((resolve) => this.target.once('drain', () => resolve()));
  }

  flush(): Promise<void> {
    const gzip = this.gzip;
    if (!gzip || this.ended) return Promise.resolve();
    return new Promise((resolve) => gzip.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve()));
  }

  end(): void {
    if (!this.res.writableEnded) this.target.end();
  }
}
