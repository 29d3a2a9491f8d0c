import { defineConfig } from 'vitest/config';

/**
 * Test layout (see docs/TESTING.md):
 * - unit: `packages/<pkg>/src/**\/*.test.ts`, beside the code, no I/O.
 * - integration: `packages/<pkg>/test/**\/*.test.ts` and `examples/<app>/test/**\/*.test.ts`, against real
 *   services: one embedded Postgres per run (global setup), a fresh database per file.
 * - browser: `examples/<app>/test/**\/*.browser.test.ts`: the web app in Debian's Chromium (playwright-core)
 *   against the stack `npm start` runs, on a fresh test database; `packages/<pkg>/test/**\/*.browser.test.ts`:
 *   official web SDK suites in Chromium.
 * Type-level tests (`*.test-d.ts`) are checked by `tsc -b`, which `npm test` runs first.
 */
export default defineConfig({
  test: {
    reporters: process.env.CI ? ['default'] : ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: [
            'packages/*/test/**/*.test.ts',
            'examples/*/test/**/*.test.ts',
            'torture/test/**/*.test.ts',
          ],
          exclude: ['**/*.browser.test.ts', '**/node_modules/**'],
          globalSetup: ['packages/test-utils/src/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'browser',
          include: ['examples/*/test/**/*.browser.test.ts', 'packages/*/test/**/*.browser.test.ts'],
          globalSetup: ['packages/test-utils/src/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          pool: 'forks',
          fileParallelism: false,
        },
      },
    ],
  },
});
