/**
 * The web app's production build (`vite build`): it must succeed, and the bundle must hold the SQLite
 * worker and wasm but none of the Node-only code the schema package's main entry carries.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';

const webRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../web');

describe('web app build', () => {
  let outDir: string | undefined;
  afterAll(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('vite build succeeds and bundles no Node-only code', async () => {
    outDir = await mkdtemp(join(tmpdir(), 'notes-web-build-'));
    await build({
      root: webRoot,
      configFile: join(webRoot, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
    const html = await readFile(join(outDir, 'index.html'), 'utf8');
    expect(html).toMatch(/<script type="module"[^>]+src="\/assets\/index-[\w-]+\.js"/);
    const assets = await readdir(join(outDir, 'assets'));
    expect(assets.some((f) => f.endsWith('.wasm'))).toBe(true);
    expect(assets.some((f) => f.endsWith('.css'))).toBe(true);
    const js = await Promise.all(
      assets.filter((f) => f.endsWith('.js')).map((f) => readFile(join(outDir!, 'assets', f), 'utf8')),
    );
    const all = js.join('\n');
    expect(all).toContain('wa-sqlite');
    // The sync-rules generator (`@syncline/schema`'s main entry) stays out: the app imports the `client` entry.
    expect(all).not.toContain('bucket_definitions');
    expect(all).not.toMatch(/from\s*["']node:/);
  });
});
