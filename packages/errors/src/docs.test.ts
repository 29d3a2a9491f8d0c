import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { errorCatalog } from './codes.js';
import { renderErrorsDoc } from './docs.js';

describe('docs/errors.md', () => {
  it('is what the registry renders (run `npm run docs:errors` after changing codes.ts)', () => {
    const file = readFileSync(fileURLToPath(new URL('../../../docs/errors.md', import.meta.url)), 'utf8');
    expect(file).toBe(renderErrorsDoc());
  });

  it('lists every code once', () => {
    const doc = renderErrorsDoc();
    for (const code of Object.keys(errorCatalog))
      expect(doc.split(`**\`${code}\`**`).length - 1, code).toBe(1);
  });
});
