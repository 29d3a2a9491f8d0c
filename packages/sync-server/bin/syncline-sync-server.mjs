#!/usr/bin/env node
// Runs the bundled CLI (dist/cli.mjs, built by `npm install`) when it is newer than every source file;
// otherwise compiles the TypeScript sources on the fly with tsx (development).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist/cli.mjs');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const sources = [join(root, 'src'), join(root, '../errors/src'), join(root, '../postgres/src')];
const fresh = existsSync(bundle) && statSync(bundle).mtimeMs >= Math.max(...sources.map(newestSource));
if (fresh && !process.env.SYNCLINE_FROM_SOURCE) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
