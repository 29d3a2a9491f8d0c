/**
 * Builds the Electron app into `electron/dist/`: `main.mjs` and `powersync-worker.mjs` (Node, npm packages
 * external — `@powersync/node` and `better-sqlite3` load native code and their own workers), `preload.cjs`
 * (one CommonJS file: sandboxed preloads cannot import packages) and `renderer/` (Vite).
 *
 * `node --import tsx electron/build.ts` builds; `npm run electron -w @syncline/example-notes` builds and starts
 * Electron. The functions are exported for the tests, which bundle the same preload with Electron's IPC
 * transport replaced.
 */
import { join } from 'node:path';
import { type BuildOptions, build } from 'esbuild';
import { build as viteBuild } from 'vite';

const here = import.meta.dirname;
export const DIST = join(here, 'dist');

/** Bare imports are npm packages (kept external) except our own workspace packages (TypeScript, inlined). */
const externalNpm: NonNullable<BuildOptions['plugins']>[number] = {
  name: 'external-npm-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@syncline/') ? undefined : { path: args.path, external: true },
    );
  },
};

/** The main process and the SQLite worker (ESM for Node). */
export async function buildMain(outDir = DIST): Promise<void> {
  await build({
    entryPoints: {
      main: join(here, 'main/main.ts'),
      'powersync-worker': join(here, 'main/powersync-worker.ts'),
    },
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    plugins: [externalNpm],
  });
}

/**
 * The preload as one CommonJS file. `electronModule` replaces the `electron` import (tests pass a module
 * whose `ipcRenderer` talks to the test's stand-in for `ipcMain`); `format: 'iife'` for a page init script.
 */
export async function buildPreload(options: {
  outfile: string;
  electronModule?: string;
  format?: 'cjs' | 'iife';
}): Promise<void> {
  await build({
    entryPoints: [join(here, 'preload/preload.ts')],
    outfile: options.outfile,
    bundle: true,
    platform: options.format === 'iife' ? 'browser' : 'node',
    format: options.format ?? 'cjs',
    target: 'es2022',
    logLevel: 'warning',
    // `@syncline/client/electron`'s index also carries the main-process file storage, which loads `node:fs`
    // lazily; the preload never calls it, so the import stays external (and never runs).
    external: options.electronModule ? ['node:*'] : ['electron', 'node:*'],
    ...(options.electronModule ? { alias: { electron: options.electronModule } } : {}),
  });
}

/** The window's page (Vite). */
export async function buildRenderer(outDir = join(DIST, 'renderer')): Promise<void> {
  await viteBuild({
    configFile: join(here, 'renderer/vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
}

if (process.argv[1] === import.meta.filename) {
  await Promise.all([buildMain(), buildPreload({ outfile: join(DIST, 'preload.cjs') }), buildRenderer()]);
  console.log(`built ${DIST}`);
}
