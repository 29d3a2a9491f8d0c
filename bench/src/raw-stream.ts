/** A minimal sync-stream reader (no SQLite): for fan-out and connection benchmarks with many streams. */
import { Agent, request } from 'node:http';

/** The fields of a PowerSync sync line the benchmarks read. */
export interface StreamLine {
  data?: { data: { object_id?: string }[] };
  checkpoint?: { buckets: { count: number }[] };
  checkpoint_diff?: { updated_buckets: { count: number }[] };
  checkpoint_complete?: unknown;
  partial_checkpoint_complete?: unknown;
}

export interface RawStream {
  /** Resolves at the first checkpoint_complete. */
  ready: Promise<void>;
  /** Called for every line. */
  onLine: ((line: StreamLine) => void) | null;
  close(): void;
}

const agent = new Agent({ keepAlive: false, maxSockets: Infinity });

export function openRawStream(url: string, token: string, clientId: string): RawStream {
  let resolveReady!: () => void;
  let rejectReady!: (e: Error) => void;
  const ready = new Promise<void>((res, rej) => {
    resolveReady = res;
    rejectReady = rej;
  });
  const u = new URL(`${url}/sync/stream`);
  const stream: RawStream = { ready, onLine: null, close: () => req.destroy() };
  const req = request(
    {
      host: u.hostname,
      port: u.port,
      path: u.pathname,
      method: 'POST',
      agent,
      headers: {
        authorization: `Token ${token}`,
        'content-type': 'application/json',
        'accept-encoding': 'identity',
      },
    },
    (res) => {
      if (res.statusCode !== 200) {
        rejectReady(new Error(`stream status ${res.statusCode}`));
        res.resume();
        return;
      }
      res.setEncoding('utf8');
      let buf = '';
      let done = false;
      res.on('data', (chunk: string) => {
        buf += chunk;
        let nl = buf.indexOf('\n');
        while (nl >= 0) {
          const line = JSON.parse(buf.slice(0, nl)) as StreamLine;
          buf = buf.slice(nl + 1);
          if (!done && 'checkpoint_complete' in line) {
            done = true;
            resolveReady();
          }
          stream.onLine?.(line);
          nl = buf.indexOf('\n');
        }
      });
      res.on('error', () => undefined);
    },
  );
  req.on('error', (e) => rejectReady(e));
  req.end(JSON.stringify({ buckets: [], client_id: clientId }));
  return stream;
}
