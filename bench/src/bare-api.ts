/**
 * Floor for the upload benchmark: the test API's HTTP stack with nothing behind it — Elysia on Node
 * (`@elysiajs/node`, as the test API runs it), its own process, one PUT route that reads the body with
 * the upload handler's `readBody`, parses it and answers the op ids as JSON. What an upload costs above
 * this is authentication, validation and the database.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cpuOf } from './env.js';

if (process.argv[2] === '--serve') {
  const { Elysia } = await import('elysia');
  const { listenNode, node } = await import('@syncline/server/elysia');
  const { readBody, json } = await import('@syncline/server');
  const app = new Elysia({ adapter: node() }).put(
    '/api/powersync/upload',
    async ({ request }) => {
      const body = JSON.parse(await readBody(request, 1024 * 1024)) as { transactions: { op_id: unknown }[] };
      return json({ applied: body.transactions.map((t) => t.op_id), replayed: [] });
    },
    { parse: 'none' },
  );
  const server = await listenNode(app, { port: 0 });
  process.stdout.write(`${server.url}\n`);
}

/** Starts the bare API; `url` takes the same requests as the test API's upload route. */
export async function startBareApi(): Promise<{ url: string; cpu(): Promise<number>; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (d) => resolve(String(d).trim()));
    child.once('exit', (code) => reject(new Error(`bare API exited ${code}`)));
  });
  return { url, cpu: () => cpuOf(child.pid!), stop: () => child.kill('SIGTERM') };
}
