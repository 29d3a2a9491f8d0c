import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { loadConfig, type SynclineConfig } from '../config/index.js';
import { UsageError } from './args.js';

export const CONFIG_FILE = 'syncline.config.ts';
const SKIP = new Set(['node_modules', 'dist', 'build', 'coverage', 'test-results']);

/** `syncline.config.ts` below `dir` (at most `depth` levels, skipping dot folders and build output). */
function configsBelow(dir: string, depth: number): string[] {
  if (depth < 0) return [];
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const e of entries) {
    if (e.isFile() && e.name === CONFIG_FILE) found.push(join(dir, e.name));
    else if (e.isDirectory() && !e.name.startsWith('.') && !SKIP.has(e.name))
      found.push(...configsBelow(join(dir, e.name), depth - 1));
  }
  return found;
}

/**
 * Where the project's config is: `syncline.config.ts` in `cwd` or a parent folder, else the one config
 * below `cwd` (up to 3 levels, e.g. `examples/notes/` from a monorepo root). Several below → a
 * {@link UsageError} naming them; none → undefined.
 */
export function findProjectConfig(cwd = process.cwd()): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, CONFIG_FILE))) return join(dir, CONFIG_FILE);
    if (dirname(dir) === dir) break;
  }
  const below = configsBelow(resolve(cwd), 3).sort();
  if (below.length > 1)
    throw new UsageError(
      `several Syncline configs here: ${below.map((p) => relative(cwd, p)).join(', ')}; pass --config <one of them>`,
    );
  return below[0];
}

/** A loaded project config and its path. */
export interface Project {
  config: SynclineConfig;
  path: string;
}

/**
 * The project config: `path` when given (it must exist), else the one {@link findProjectConfig} finds,
 * else `undefined` (commands then work from flags alone, or say how to pass one).
 */
export async function resolveProject(path: string | undefined): Promise<Project | undefined> {
  const file = path ?? findProjectConfig();
  return file ? { config: await loadConfig(file), path: file } : undefined;
}

/** {@link resolveProject}'s config. */
export async function loadProject(path: string | undefined): Promise<SynclineConfig | undefined> {
  return (await resolveProject(path))?.config;
}

/** The message of a command that needs a config and found none. */
export function noConfigMessage(cwd = process.cwd()): string {
  return `no ${CONFIG_FILE} in ${cwd}, its parents or the folders below it: pass --config path/to/${CONFIG_FILE}`;
}

/** The URL `syncline dev`'s embedded Postgres listens on for this project. */
export function embeddedDatabaseUrl(config: SynclineConfig, env: NodeJS.ProcessEnv = process.env): string {
  return `postgres://postgres:postgres@127.0.0.1:${env.SYNCLINE_PG_PORT ?? 54320}/${config.database ?? 'syncline'}`;
}
