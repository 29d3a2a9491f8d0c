import type { SynclineConfig } from '../config/index.js';
import type { CheckResult } from '../shared/report.js';

/** Options for {@link runDoctor}. Every input is optional; what cannot be checked is reported as skipped. */
export interface DoctorOptions {
  /** The project config (schema, API and sync server URLs). */
  config?: SynclineConfig;
  /** Where `config` was loaded from (reported as the first line). */
  configPath?: string;
  /** Postgres to check. Default: `DATABASE_URL`, then powersync.yaml's replication URI, then `syncline dev`'s. */
  databaseUrl?: string;
  /** The sync server's `powersync.yaml`: its `client_auth` is what tokens must match. Default `config.syncServer.config`. */
  powersyncConfig?: string;
  /** Sync rules file. Default: powersync.yaml's, else generated from the definitions. */
  rules?: string;
  /** The API's base URL (JWKS at `/api/auth/jwks`, tokens from `/api/auth/token`). Default `config.api.url`. */
  apiUrl?: string;
  /** JWKS URL the sync server uses. Default: powersync.yaml's `jwks_uri`, else `<apiUrl>/api/auth/jwks`. */
  jwksUrl?: string;
  /** Audiences the sync server accepts. Default: powersync.yaml's, else the API URL (BetterAuth's default aud). */
  audience?: string[];
  /** Sync server URL to probe. Default `config.syncServer.url`. */
  syncUrl?: string;
  /** A JWT to check (alg, aud, signature). */
  token?: string;
  /** Sign up a throwaway user through the API to get a JWT. Default false. */
  signUp?: boolean;
  /** The sync server runs in Docker (the official service): `localhost` JWKS URIs are wrong there. */
  docker?: boolean;
  /** Environment for `!env` tags and `DATABASE_URL`. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/** Result of {@link runDoctor}. */
export interface DoctorReport {
  /** No ✗ line. */
  ok: boolean;
  checks: CheckResult[];
}
