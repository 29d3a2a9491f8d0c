/**
 * A streaming HTTP reverse proxy in front of a sync server (the fault proxy buffers whole answers, which a
 * sync stream never finishes). `freeze()` stops passing the bytes of the streams open now — the server keeps
 * sending, the client hears nothing more — so a test can hold a client between "write checkpoint handed out"
 * and "checkpoint with it delivered". Requests are recorded by path.
 */
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running proxy. */
export interface StreamProxy {
  url: string;
  /** Paths of the requests seen (query strings dropped), in order, with their status. */
  requests: { path: string; status: number | null }[];
  /** Stops forwarding the responses open now; later requests pass normally. */
  freeze(): void;
  stop(): Promise<void>;
}

export async function startStreamProxy(upstream: string): Promise<StreamProxy> {
  const target = new URL(upstream);
  const open = new Set<IncomingMessage>();
  const requests: StreamProxy['requests'] = [];
  const server = createServer((req, res) => {
    const entry = { path: (req.url ?? '/').split('?')[0]!, status: null as number | null };
    requests.push(entry);
    const out = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (up) => {
        entry.status = up.statusCode ?? 502;
        res.writeHead(up.statusCode ?? 502, up.headers);
        open.add(up);
        up.on('close', () => open.delete(up));
        up.pipe(res);
      },
    );
    out.on('error', () => req.socket.destroy());
    res.on('close', () => out.destroy());
    req.pipe(out);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    freeze() {
      for (const up of open) {
        up.unpipe();
        up.pause();
      }
      open.clear();
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
