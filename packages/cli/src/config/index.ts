import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Logger, SyncError } from '@syncline/errors';
import type { SynclineSchema, ToSyncRulesOptions } from '@syncline/schema';

/** A Syncline project: where its schema lives and how `syncline dev` runs it. */
export interface SynclineConfig {
  /** The table definitions (`defineSchema(...)`). */
  schema: SynclineSchema;
  /** Directory for local state (embedded Postgres data, keys). Default `.syncline`. */
  dataDir?: string;
  /** Database name on the embedded server. Default `syncline`. */
  database?: string;
  /** The API (auth, upload endpoint). Used by `doctor` and `generate`. */
  api?: {
    /** Public base URL of the API: BetterAuth's base URL, the JWT `iss`/`aud`. E.g. `http://localhost:3000`. */
    url?: string;
    /** Module that starts the API (relative to the project root), for the generated docker-compose.yml. */
    entry?: string;
  };
  /** The sync server (Syncline's or the official PowerSync Service). Used by `doctor` and `status`. */
  syncServer?: {
    /** Base URL clients connect to, e.g. `http://localhost:8080`. */
    url?: string;
    /** Its `powersync.yaml` (relative to the current directory). */
    config?: string;
  };
  /** Extra sync-rules bucket definitions merged into the generated rules (see `toSyncRules`). */
  syncRules?: Pick<ToSyncRulesOptions, 'extraBuckets' | 'bucketName'>;
  /** Publication the sync server replicates. Default `powersync`. */
  publication?: string;
  /** How `syncline dev` (`npm start`) runs the project. */
  dev?: DevConfig;
}

/** What `syncline dev` needs to run a project's parts in one process. */
export interface DevConfig {
  /** Starts the project's API in-process (auth, `/api/powersync/*`). */
  startApi?: (options: {
    databaseUrl: string;
    port: number;
    host: string;
    baseUrl: string;
    powersyncUrl: string;
    trustedOrigins: string[];
    /** The dev stack's logger (warnings on stderr, away from the status lines): pass it to the API. */
    logger: Logger;
  }) => Promise<{ url: string; baseUrl: string; stop(): Promise<void> }>;
  /** The web app's Vite root (relative to the config file). It gets `VITE_API_URL`. */
  webRoot?: string;
  /** An account created on first start and printed, so a new user can sign in right away. */
  demoUser?: { email: string; password: string; name: string };
  /** Default ports (flags and `SYNCLINE_*_PORT` variables override them). */
  ports?: { postgres?: number; api?: number; sync?: number; web?: number };
}

/**
 * Identity helper that type-checks a project config.
 *
 * @example
 * export default defineConfig({ schema });
 */
export function defineConfig(config: SynclineConfig): SynclineConfig {
  return config;
}

/** Loads `syncline.config.ts` (or the given path). */
export async function loadConfig(path = 'syncline.config.ts'): Promise<SynclineConfig> {
  const file = resolve(path);
  if (!existsSync(file)) {
    throw new SyncError(
      'CONFIG_FILE_NOT_FOUND',
      `No Syncline config at ${file}. Create one with defineConfig({ schema }).`,
    );
  }
  const mod = (await import(pathToFileURL(file).href)) as { default?: SynclineConfig };
  if (!mod.default?.schema) {
    throw new SyncError('CONFIG_INVALID_FILE', `${file} must export default defineConfig({ schema, ... })`);
  }
  return mod.default;
}
