import type { ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import zlib from 'node:zlib';
import type { LineTransport } from '../sync/output.js';

/**
 * A {@link LineTransport} over an HTTP response body, gzipped when asked. `write` waits for `drain` when the
 * socket buffer is full, so a slow client never makes the server buffer without bound (SPEC I10).
 */
export function createResponseTransport(res: ServerResponse, options: { gzip: boolean }): LineTransport {
  let closed = false;
  const gzip = options.gzip ? zlib.createGzip({ level: 1 }) : null;
  const target: Writable = gzip ?? res;
  if (gzip) {
    gzip.pipe(res);
    gzip.on('error', () => {
      closed = true;
    });
  }
  res.on('close', () => {
    closed = true;
    target.emit('drain');
  });
  return {
    get closed() {
      return closed || res.destroyed;
    },
    write(line: string | Buffer): Promise<void> {
      if (closed || res.destroyed) return Promise.resolve();
      if (target.write(line)) return Promise.resolve();
      return new Promise((resolve) => target.once('drain', () => resolve()));
    },
    flush(): Promise<void> {
      if (!gzip || closed) return Promise.resolve();
      return new Promise((resolve) => gzip.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve()));
    },
    end(): void {
      if (!res.writableEnded) target.end();
    },
  };
}
