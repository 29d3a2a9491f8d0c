import { existsSync } from 'node:fs';
import { loadConfig, type SynclineConfig } from '../config/index.js';

/**
 * The project config: `path` when given (it must exist), else `syncline.config.ts` in the current
 * directory when there is one, else `undefined` (commands then work from flags alone).
 */
export async function loadProject(path: string | undefined): Promise<SynclineConfig | undefined> {
  if (path) return loadConfig(path);
  return existsSync('syncline.config.ts') ? loadConfig('syncline.config.ts') : undefined;
}

/** The URL `syncline dev`'s embedded Postgres listens on for this project. */
export function embeddedDatabaseUrl(config: SynclineConfig, env: NodeJS.ProcessEnv = process.env): string {
  return `postgres://postgres:postgres@127.0.0.1:${env.SYNCLINE_PG_PORT ?? 54320}/${config.database ?? 'syncline'}`;
}
