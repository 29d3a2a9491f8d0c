import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';

/** A TCP proxy in front of one port that can cut or stall every connection through it. */
export interface TcpProxy {
  /** `http://127.0.0.1:<port>` of the proxy. */
  readonly url: string;
  readonly port: number;
  /** Destroys every open connection (both sides), as a network drop would. New connections still work. */
  cut(): number;
  /** Stops moving bytes (both directions, open and new connections) for `ms`, then resumes. */
  stall(ms: number): void;
  /** While true, new connections are accepted and closed at once (the upstream looks unreachable). */
  refuse(on: boolean): void;
  /** Connections currently open. */
  readonly open: number;
  stop(): Promise<void>;
}

/**
 * Starts a TCP proxy on a free loopback port forwarding to `127.0.0.1:<targetPort>`. Used by fault tests to
 * cut or stall the connections between clients and a server without touching either.
 *
 * @example
 * const proxy = await startTcpProxy(syncServer.port);
 * proxy.cut(); // every client sees its stream drop
 */
export async function startTcpProxy(targetPort: number, options: { port?: number } = {}): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let stalledUntil = 0;
  let refusing = false;
  const paused = new Set<Socket>();
  let resumeTimer: NodeJS.Timeout | null = null;

  const resumeAll = () => {
    resumeTimer = null;
    if (Date.now() < stalledUntil) {
      resumeTimer = setTimeout(resumeAll, stalledUntil - Date.now());
      return;
    }
    for (const s of paused) s.resume();
    paused.clear();
  };
  const hold = (s: Socket) => {
    s.pause();
    paused.add(s);
  };

  const server: Server = createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = tcpConnect(targetPort, '127.0.0.1');
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const close = () => {
      pairs.delete(pair);
      paused.delete(client);
      paused.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      from.on('data', (chunk) => {
        if (!to.write(chunk)) {
          from.pause();
          to.once('drain', () => {
            if (!paused.has(from)) from.resume();
          });
        }
      });
      from.on('error', close);
      from.on('close', close);
    }
    if (Date.now() < stalledUntil) {
      hold(client);
      hold(upstream);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get open() {
      return pairs.size;
    },
    cut() {
      const n = pairs.size;
      for (const [a, b] of [...pairs]) {
        a.resetAndDestroy();
        b.destroy();
      }
      pairs.clear();
      paused.clear();
      return n;
    },
    stall(ms) {
      stalledUntil = Math.max(stalledUntil, Date.now() + ms);
      for (const [a, b] of pairs) {
        hold(a);
        hold(b);
      }
      if (resumeTimer) clearTimeout(resumeTimer);
      resumeTimer = setTimeout(resumeAll, ms);
    },
    refuse(on) {
      refusing = on;
    },
    async stop() {
      if (resumeTimer) clearTimeout(resumeTimer);
      for (const [a, b] of pairs) {
        a.destroy();
        b.destroy();
      }
      pairs.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
