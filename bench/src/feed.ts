/**
 * The baselines for initial sync: the exact sync lines Syncline would send (the stored ops, same bucket,
 * same checksums, same lines of 1000 ops), pre-built in memory and written by a trivial server — as NDJSON
 * or BSON over HTTP, or as BSON payloads over RSocket/WebSocket (honouring the client's request-N, as the
 * protocol requires). Whatever time the client needs against a feed is its own ingest limit for that
 * transport.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BSON } from 'bson';
import type pg from 'pg';
import { type Payload, RSocketServer } from 'rsocket-core';
import { WebsocketServerTransport } from 'rsocket-websocket-server';
import { WebSocketServer } from 'ws';

/** How a feed serves its lines. */
export type FeedKind = 'ndjson' | 'bson' | 'rsocket';

export interface Feed {
  url: string;
  bytes: number;
  stop(): Promise<void>;
}

/** The sync lines of one bucket's initial sync, as JSON lines (no trailing newline). */
async function lines(pool: pg.Pool, bucket: string, opsPerLine: number): Promise<string[]> {
  const { rows: st } = await pool.query(
    `SELECT checksum, op_count, last_op_id FROM syncline.bucket_state WHERE bucket = $1`,
    [bucket],
  );
  const state = st[0]!;
  const { rows } = await pool.query<{ op_id: string; line: string }>(
    `SELECT op_id, line FROM syncline.bucket_ops WHERE bucket = $1 ORDER BY op_id`,
    [bucket],
  );
  const head = String(state.last_op_id);
  const out: string[] = [
    JSON.stringify({
      checkpoint: {
        last_op_id: head,
        buckets: [
          { bucket, checksum: Number(state.checksum) | 0, count: Number(state.op_count), priority: 3 },
        ],
        streams: [],
      },
    }),
  ];
  let after = '0';
  for (let i = 0; i < rows.length; i += opsPerLine) {
    const chunk = rows.slice(i, i + opsPerLine);
    const next = chunk.at(-1)!.op_id;
    out.push(
      `{"data":{"bucket":${JSON.stringify(bucket)},"after":"${after}","next_after":"${next}","has_more":${i + opsPerLine < rows.length},"data":[${chunk.map((r) => r.line).join(',')}]}}`,
    );
    after = next;
  }
  out.push(`{"checkpoint_complete":{"last_op_id":"${head}"}}`);
  return out;
}

export async function startFeed(
  pool: pg.Pool,
  bucket: string,
  kind: FeedKind = 'ndjson',
  opsPerLine = 1000,
): Promise<Feed> {
  const json = await lines(pool, bucket, opsPerLine);
  if (kind === 'rsocket') {
    return rsocketFeed(json.map((l) => Buffer.from(BSON.serialize(JSON.parse(l)))));
  }
  const body =
    kind === 'bson'
      ? Buffer.concat(json.map((l) => BSON.serialize(JSON.parse(l))))
      : Buffer.from(json.map((l) => `${l}\n`).join(''));
  const contentType = kind === 'bson' ? 'application/vnd.powersync.bson-stream' : 'application/x-ndjson';
  const server: Server = createServer((req, res) => {
    req.resume();
    if (req.url?.startsWith('/write-checkpoint2.json')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"write_checkpoint":"1"}}');
      return;
    }
    req.on('end', () => {
      res.writeHead(200, { 'content-type': contentType });
      res.write(body); // then stay open, like a live stream
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bytes: body.length,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Pre-built BSON documents as the PAYLOADs of every request-stream, within the client's credit. */
async function rsocketFeed(docs: Buffer[]): Promise<Feed> {
  let wss: WebSocketServer | null = null;
  const server = new RSocketServer({
    transport: new WebsocketServerTransport({
      wsCreator: () => {
        wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
        return wss as never;
      },
    }),
    acceptor: {
      accept: async () => ({
        requestStream(_payload: Payload, initialN, responder) {
          let credit = initialN;
          let next = 0;
          let cancelled = false;
          const pump = () => {
            while (!cancelled && credit > 0 && next < docs.length) {
              credit--;
              responder.onNext({ data: docs[next++]! }, false);
            }
          };
          setImmediate(pump);
          return {
            request(n: number) {
              credit += n;
              pump();
            },
            cancel() {
              cancelled = true;
            },
            onExtension() {},
          };
        },
      }),
    },
  });
  await server.bind();
  const port = (wss!.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    bytes: docs.reduce((n, d) => n + d.length, 0),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const c of wss!.clients) c.terminate();
        // The transport closes its RSocket server on the ws server's 'close' event; close only once.
        wss!.removeAllListeners('close');
        wss!.close(() => resolve());
      }),
  };
}
