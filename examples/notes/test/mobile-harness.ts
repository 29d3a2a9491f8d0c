/**
 * Harness for the mobile app's web target: `expo export --platform web` (Metro, react-native-web,
 * `@powersync/web` behind `database.web.ts`) built against the test stack's API, served by a small static
 * server (the export is a single-page app; `.wasm` needs its MIME type for streaming compilation).
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const MOBILE_ROOT = resolve(import.meta.dirname, '../mobile');

/** Exports the app for `platform` into `outDir` (with the worker and wasm for the web); returns Metro's output. */
export async function exportMobile(
  platform: 'web' | 'android' | 'ios',
  outDir: string,
  env: Record<string, string> = {},
  extraArgs: string[] = [],
): Promise<string> {
  const opts = {
    cwd: MOBILE_ROOT,
    env: { ...process.env, CI: '1', EXPO_NO_TELEMETRY: '1', ...env },
    maxBuffer: 32 * 1024 * 1024,
    timeout: 600_000,
  };
  if (platform === 'web') await run('npx', ['powersync-web', 'copy-assets', '-o', 'public'], opts);
  const { stdout, stderr } = await run(
    'npx',
    ['expo', 'export', '--platform', platform, '--output-dir', outDir, '--no-minify', ...extraArgs],
    opts,
  );
  return `${stdout}\n${stderr}`;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

/**
 * Serves `dir` on `port` (unknown paths without an extension get `index.html`). `config` is set as
 * `window.__SYNCLINE_CONFIG__` in the page (the web target's run-time settings, see `config.web.ts`).
 */
export async function serveStatic(
  dir: string,
  port: number,
  config: Record<string, unknown> = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const html = async () =>
    (await readFile(join(dir, 'index.html'), 'utf8')).replace(
      '<script',
      `<script>window.__SYNCLINE_CONFIG__=${JSON.stringify(config)}</script><script`,
    );
  const server: Server = createServer(async (req, res) => {
    if (req.url === '/favicon.ico') {
      res.writeHead(204).end(); // the export has none; browsers ask anyway
      return;
    }
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(
      /^\/+/,
      '',
    );
    const file = join(dir, path || 'index.html');
    if (!extname(path) || path === 'index.html') {
      res.writeHead(200, { 'content-type': TYPES['.html']! });
      res.end(await html());
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
