/**
 * The mobile app's native bundle resolves: `expo export --platform android` (Metro, Hermes bytecode) with
 * source maps, and the bundle holds the native stack — `@powersync/react-native` on op-sqlite, `expo/fetch`
 * for HTTP streaming, NetInfo, the OS key store, the shared notes code — and none of the web target's
 * (`@powersync/web`, `database.web.ts`). Nothing can run it here (no device, emulator or Android SDK).
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportMobile } from './mobile-harness.js';

describe('mobile app native bundle', () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('expo export --platform android resolves every module of the native stack', {
    timeout: 600_000,
  }, async () => {
    dir = await mkdtemp(join(tmpdir(), 'notes-mobile-android-'));
    const log = await exportMobile('android', dir, {}, ['--source-maps']);
    expect(log).toMatch(/Android Bundled \d+ms/);
    const out = join(dir, '_expo/static/js/android');
    const files = await readdir(out);
    const bundle = files.find((f) => f.endsWith('.hbc'));
    expect(bundle, files.join(', ')).toBeDefined(); // Hermes bytecode
    const map = JSON.parse(await readFile(join(out, `${bundle}.map`), 'utf8')) as { sources: string[] };
    const count = (re: RegExp) => map.sources.filter((s) => re.test(s)).length;
    expect(count(/@powersync\/react-native\//)).toBeGreaterThan(0);
    expect(count(/@op-engineering\/op-sqlite\//)).toBeGreaterThan(0);
    expect(count(/expo\/src\/winter\/fetch\//)).toBeGreaterThan(0);
    expect(count(/@react-native-community\/netinfo\//)).toBeGreaterThan(0);
    expect(count(/expo-secure-store\//)).toBeGreaterThan(0);
    expect(count(/examples\/notes\/shared\//)).toBeGreaterThan(0);
    expect(count(/mobile\/src\/platform\/database\.native\.ts$/)).toBe(1);
    expect(count(/@powersync\/web\//)).toBe(0);
    expect(count(/\.web\.ts$/)).toBe(0);
    // One @powersync/common in the bundle (react-native's and the client's are the same copy).
    const commons = new Set(
      map.sources
        .filter((s) => /@powersync\/common\//.test(s))
        .map((s) => s.replace(/@powersync\/common\/.*/, '')),
    );
    expect([...commons]).toHaveLength(1);
  });
});
