/**
 * Every registered code is used by some package or example source (thrown, returned or reported by a
 * check): a code nothing can produce is dead weight in the registry and in the error docs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { errorCatalog } from './codes.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));

function sources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sources(path, out);
    else if (/\.(ts|tsx|mjs)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(path);
  }
  return out;
}

describe('error registry', () => {
  it('has no code that no source uses', () => {
    const registry = join(root, 'packages/errors/src/codes.ts');
    const files = [
      ...readdirSync(join(root, 'packages')).map((p) => join(root, 'packages', p, 'src')),
      join(root, 'examples'),
    ].flatMap((dir) => {
      try {
        return sources(dir);
      } catch {
        return [];
      }
    });
    const text = files
      .filter((f) => f !== registry)
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const unused = Object.keys(errorCatalog).filter((code) => !text.includes(code));
    expect(unused).toEqual([]);
  });
});
