import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SyncError } from '@syncline/errors';
import { readServiceConfig } from '@syncline/schema/service-config';
import type { SyncServerOptions } from '../server.js';

/** Options read from a `powersync.yaml` (the official service's format). */
export type LoadedConfig = Pick<
  SyncServerOptions,
  'databaseUrl' | 'storageUrl' | 'syncRules' | 'auth' | 'port' | 'metrics'
> & {
  /** Where the sync rules came from. */
  syncRulesPath?: string;
};

const strings = (value: unknown): string[] =>
  value === undefined || value === null ? [] : [value].flat().map(String);
/** One string as itself, several as a list (the options take either). */
const oneOrMany = (value: unknown): string | string[] => {
  const list = strings(value);
  return list.length === 1 ? list[0]! : list;
};

/**
 * Parses a `powersync.yaml` with the one reader (`@syncline/schema/service-config`: the official service's
 * `!env PS_*` tag and the checks `syncline generate`/`doctor` make too), then takes what Syncline's sync
 * server uses: `replication.connections[0].uri` (PostgreSQL), `storage.uri` (PostgreSQL storage, optional:
 * default the source database), `client_auth.jwks_uri` / `jwks` / `audience` / `issuer`, the sync rules,
 * `port` and `api.tokens`. Unset `!env` variables → `CONFIG_MISSING_ENV` naming them all.
 *
 * @example
 * const cfg = parsePowerSyncConfig(readFileSync('powersync.yaml', 'utf8'), { baseDir: process.cwd() });
 */
export function parsePowerSyncConfig(
  text: string,
  options: { baseDir: string; env?: NodeJS.ProcessEnv },
): LoadedConfig {
  const read = readServiceConfig(text, options);
  const parseError = read.issues.find((i) => i.message.startsWith('does not parse'));
  if (parseError) throw new SyncError('CONFIG_INVALID_FILE', `powersync.yaml ${parseError.message}`);
  if (read.unresolved.length) {
    const missing = read.unresolved;
    throw new SyncError(
      'CONFIG_MISSING_ENV',
      `powersync.yaml uses !env ${missing.join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} not set`,
      { details: { variables: missing } },
    );
  }
  const first = read.issues[0];
  if (first) {
    const where = first.path === '$' ? '' : ` ${first.path}`;
    throw new SyncError(first.code, `powersync.yaml:${where} ${first.message}`, {
      details: { path: first.path, issues: read.issues.map((i) => `${i.path} ${i.message}`) },
    });
  }
  const doc = read.config!;
  const bad = (path: string, why: string) =>
    new SyncError('CONFIG_INVALID_FILE', `powersync.yaml: ${path} ${why}`, { details: { path } });
  const connection = doc.replication!.connections![0]!;
  if (!connection.uri) throw bad('replication.connections[0].uri', 'is required (the source Postgres URL)');
  if (connection.type && connection.type !== 'postgresql')
    throw bad('replication.connections[0].type', `must be postgresql, got ${connection.type}`);
  if (doc.storage?.type && doc.storage.type !== 'postgresql') {
    throw bad('storage.type', `must be postgresql for Syncline's sync server, got ${doc.storage.type}`);
  }
  const port = doc.port === undefined ? undefined : Number(doc.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535))
    throw bad('port', `must be a TCP port, got ${doc.port}`);
  const auth = doc.client_auth!;
  if (!auth.jwks_uri && !auth.jwks)
    throw bad('client_auth', 'needs jwks_uri (or jwks keys); supabase is not supported');
  return {
    databaseUrl: String(connection.uri),
    ...(doc.storage?.uri ? { storageUrl: String(doc.storage.uri) } : {}),
    syncRules: read.syncRules!.yaml,
    ...(read.syncRules!.path ? { syncRulesPath: read.syncRules!.path } : {}),
    auth: {
      ...(auth.jwks_uri ? { jwksUri: oneOrMany(auth.jwks_uri) } : {}),
      ...(auth.jwks ? { jwks: auth.jwks as NonNullable<LoadedConfig['auth']['jwks']> } : {}),
      audience: strings(auth.audience),
      ...(auth.issuer ? { issuer: oneOrMany(auth.issuer) } : {}),
      ...(auth.max_lifetime_seconds ? { maxLifetimeSeconds: Number(auth.max_lifetime_seconds) } : {}),
    },
    ...(port !== undefined ? { port } : {}),
    // The official service's admin API tokens also unlock /metrics from other hosts.
    ...(Array.isArray(doc.api?.tokens) ? { metrics: { tokens: doc.api.tokens.map(String) } } : {}),
  };
}

/** Reads and parses a `powersync.yaml` file. */
export function loadPowerSyncConfig(path: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new SyncError('CONFIG_FILE_NOT_FOUND', `No config file at ${resolve(path)}`);
  }
  return parsePowerSyncConfig(text, { baseDir: dirname(resolve(path)), env });
}
