/**
 * A real HTTP reverse proxy between the connector and the API that injects faults on a schedule:
 * plain 503s, 500s with the API's envelope, 401s, sockets destroyed before forwarding, and sockets
 * destroyed after the API answered (the write happened, the client never hears about it); while the API
 * is down it drops connections like the API would (no 502). It records
 * every request (method, path, bearer, body) so tests can assert what was sent with which token.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An injected fault. */
export type Fault =
  | 'status-503' // a load balancer's 503, no JSON body
  | 'status-500' // the API's 500 envelope with UPLOAD_INTERNAL
  | 'status-401' // the API's 401 envelope with AUTH_EXPIRED
  | 'reset-before' // socket destroyed before the request reaches the API
  | 'reset-after'; // forwarded, the API answered, then the socket is destroyed before the client reads it

/** A recorded request. */
export interface ProxiedRequest {
  method: string;
  path: string;
  at: number;
  bearer: string | null;
  body: string;
  fault: Fault | null;
  status: number | null;
}

interface Rule {
  method: string;
  path: string;
  faults: Fault[];
}

/** A running proxy. */
export interface FaultProxy {
  url: string;
  port: number;
  requests: ProxiedRequest[];
  /** Queues faults for the next requests with this method and path (one fault per request). */
  inject(method: string, path: string, faults: Fault[]): void;
  /** Drops every fault still queued. */
  clear(): void;
  /** Holds requests with this method and path until `release()` (for races). */
  hold(method: string, path: string): { release(): void; waiting(): number };
  stop(): Promise<void>;
}

/**
 * Starts the proxy in front of `upstream` (a base URL).
 *
 * @example
 * const proxy = await startFaultProxy(api.url);
 * proxy.inject('PUT', '/api/powersync/upload', ['status-503', 'reset-after']);
 */
export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  const rules: Rule[] = [];
  const holds: { method: string; path: string; gate: Promise<void>; waiting: number }[] = [];
  const requests: ProxiedRequest[] = [];

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const path = (req.url ?? '/').split('?')[0]!;
    const auth = req.headers.authorization;
    const entry: ProxiedRequest = {
      method: req.method ?? 'GET',
      path,
      at: Date.now(),
      bearer: auth?.startsWith('Bearer ') ? auth.slice(7) : null,
      body: body.toString('utf8'),
      fault: null,
      status: null,
    };
    requests.push(entry);
    const hold = holds.find((h) => h.method === entry.method && h.path === path);
    if (hold) {
      hold.waiting++;
      await hold.gate;
      hold.waiting--;
    }
    const rule = rules.find((r) => r.method === entry.method && r.path === path && r.faults.length > 0);
    const fault = rule?.faults.shift() ?? null;
    entry.fault = fault;
    switch (fault) {
      case 'status-503':
        entry.status = 503;
        res.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable');
        return;
      case 'status-500':
        entry.status = 500;
        json(res, 500, { error: { code: 'UPLOAD_INTERNAL', message: 'injected server fault' } });
        return;
      case 'status-401':
        entry.status = 401;
        json(res, 401, { error: { code: 'AUTH_EXPIRED', message: 'injected: token expired' } });
        return;
      case 'reset-before':
        req.socket.destroy();
        return;
      default:
        break;
    }
    try {
      const answer = await forward(target, req, body);
      entry.status = answer.status;
      if (fault === 'reset-after') {
        req.socket.destroy();
        return;
      }
      res.writeHead(answer.status, answer.headers).end(answer.body);
    } catch {
      // The API is down: behave like it (connection dropped, no answer), not like a gateway's 502.
      req.socket.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    inject(method, path, faults) {
      rules.push({ method, path, faults: [...faults] });
    },
    clear() {
      rules.length = 0;
    },
    hold(method, path) {
      let release!: () => void;
      const h = { method, path, gate: new Promise<void>((r) => (release = r)), waiting: 0 };
      holds.push(h);
      return {
        release() {
          holds.splice(holds.indexOf(h), 1);
          release();
        },
        waiting: () => h.waiting,
      };
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function forward(
  target: URL,
  req: IncomingMessage,
  body: Buffer,
): Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, host: target.host, 'content-length': String(body.length) };
    delete headers.connection;
    const out = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
      (up) => {
        const chunks: Buffer[] = [];
        up.on('data', (c: Buffer) => chunks.push(c));
        up.on('error', reject);
        up.on('end', () => {
          const h: Record<string, string | string[]> = {};
          for (const [k, v] of Object.entries(up.headers)) {
            if (v !== undefined && k !== 'transfer-encoding' && k !== 'connection' && k !== 'content-length')
              h[k] = v;
          }
          resolve({ status: up.statusCode ?? 502, headers: h, body: Buffer.concat(chunks) });
        });
      },
    );
    out.on('error', reject);
    out.end(body);
  });
}
