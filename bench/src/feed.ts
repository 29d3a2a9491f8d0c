/**
 * The baseline for initial sync: the exact sync lines Syncline would send (the stored op JSON, same
 * bucket, same checksums, same lines of 1000 ops), pre-built in memory and written by a trivial HTTP server.
 * Whatever time the client needs against this feed is its own ingest limit.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';

export interface Feed {
  url: string;
  bytes: number;
  stop(): Promise<void>;
}

export async function startFeed(pool: pg.Pool, bucket: string, opsPerLine = 1000): Promise<Feed> {
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
  const parts: string[] = [
    `${JSON.stringify({ checkpoint: { last_op_id: head, buckets: [{ bucket, checksum: Number(state.checksum) | 0, count: Number(state.op_count), priority: 3 }], streams: [] } })}\n`,
  ];
  let after = '0';
  for (let i = 0; i < rows.length; i += opsPerLine) {
    const chunk = rows.slice(i, i + opsPerLine);
    const next = chunk.at(-1)!.op_id;
    parts.push(
      `{"data":{"bucket":${JSON.stringify(bucket)},"after":"${after}","next_after":"${next}","has_more":${i + opsPerLine < rows.length},"data":[${chunk.map((r) => r.line).join(',')}]}}\n`,
    );
    after = next;
  }
  parts.push(`{"checkpoint_complete":{"last_op_id":"${head}"}}\n`);
  const body = Buffer.from(parts.join(''));
  const server: Server = createServer((req, res) => {
    req.resume();
    if (req.url?.startsWith('/write-checkpoint2.json')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"write_checkpoint":"1"}}');
      return;
    }
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
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
