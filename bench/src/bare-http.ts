/**
 * Baseline for per-connection memory: a bare Node HTTP server (its own process) that answers each POST with
 * a streaming 200 and holds it open — the cost of an idle streaming connection in Node itself.
 */
import { spawn } from 'node:child_process';
import { freePort } from '@syncline/postgres';
import { rssOf } from './env.js';

const SERVER = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    res.write('{"checkpoint_complete":{"last_op_id":"0"}}\\n');
  });
});
server.keepAliveTimeout = 0;
server.requestTimeout = 0;
server.listen(Number(process.argv[1]), '127.0.0.1', () => console.log('ready'));
`;

export async function startBareServer(
  fdLimit: number,
): Promise<{ url: string; rss(): Promise<number>; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(
    'sh',
    [
      '-c',
      `ulimit -Hn ${fdLimit} 2>/dev/null; ulimit -n ${fdLimit} 2>/dev/null; exec "$0" -e "$1" "$2"`,
      process.execPath,
      SERVER,
      String(port),
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve) =>
    child.stdout!.on('data', (d) => String(d).includes('ready') && resolve()),
  );
  return {
    url: `http://127.0.0.1:${port}`,
    rss: () => rssOf(child.pid!),
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
