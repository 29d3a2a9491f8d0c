/**
 * Data flows one way through the sync server (docs/ARCHITECTURE.md, "sync-server layout"): each folder imports
 * only its own files and folders of a lower layer. The test reads every source file's relative imports.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = dirname(fileURLToPath(import.meta.url));

/**
 * Layer of each folder. Files at the top of `src/` (server.ts, options.ts, telemetry.ts, …) and `config/` (it
 * turns powersync.yaml into server options) are the top: layer 4, and may import one another.
 */
const LAYERS: Record<string, number> = {
  protocol: 0,
  rules: 0,
  auth: 0,
  db: 0,
  storage: 1,
  replication: 2,
  sync: 2,
  http: 3,
};

function folderOf(path: string): string {
  const parts = path.split('/');
  return parts.length > 1 && parts[0] !== 'config' ? parts[0]! : '.';
}

function layerOf(folder: string): number {
  return LAYERS[folder] ?? 4;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !/\.(test|fixtures)\.ts$/.test(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

/** `from` → `to` edges between folders that go sideways or up. */
function backEdges(files: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [file, text] of Object.entries(files)) {
    const from = folderOf(file);
    for (const m of text.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
      const target = normalize(join(dirname(file), m[1]!));
      const to = folderOf(target);
      if (to === from) continue;
      if (layerOf(to) >= layerOf(from)) out.push(`${file} → ${target}`);
    }
  }
  return out;
}

describe('sync-server layers', () => {
  it('no source file imports sideways or upwards', () => {
    const files = Object.fromEntries(sources(root).map((f) => [f, readFileSync(join(root, f), 'utf8')]));
    expect(Object.keys(files).length).toBeGreaterThan(40);
    expect(backEdges(files)).toEqual([]);
  });

  it('finds a back-edge (the check can fail)', () => {
    expect(
      backEdges({
        'storage/writer.ts': "import { OP } from '../sync/lines.js';",
        'sync/session.ts': "import { Replicator } from '../replication/replicator.js';",
        'protocol/lines.ts': "import { toSigned } from './checksum.js';",
      }),
    ).toEqual(['storage/writer.ts → sync/lines.js', 'sync/session.ts → replication/replicator.js']);
  });
});
