import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { SyncError } from '@syncline/errors';
import { parse, type ScalarTag } from 'yaml';
import type { SyncServerOptions } from '../server.js';

/** Options read from a `powersync.yaml` (the official service's format). */
export type LoadedConfig = Pick<
  SyncServerOptions,
  'databaseUrl' | 'storageUrl' | 'syncRules' | 'auth' | 'port' | 'metrics'
> & {
  /** Where the sync rules came from. */
  syncRulesPath?: string;
};

/**
 * `!env NAME` (string) and `!env NAME::number` / `::boolean`, as the official service reads them. A missing
 * variable is recorded (the YAML parser would wrap a thrown error) and reported after parsing.
 */
function envTag(env: NodeJS.ProcessEnv, missing: string[]): ScalarTag {
  return {
    tag: '!env',
    resolve(raw: string) {
      const [name = '', type = 'string'] = raw.trim().split('::');
      const value = env[name];
      if (value === undefined || value === '') {
        missing.push(name);
        return undefined;
      }
      if (type === 'number') return Number(value);
      if (type === 'boolean') return value === 'true' || value === '1';
      return value;
    },
  };
}

/**
 * Parses a `powersync.yaml` as the official PowerSync Service does for the parts that apply:
 * `replication.connections[0].uri`, `storage.uri` (PostgreSQL storage), `client_auth.jwks_uri` / `jwks` /
 * `audience`, `sync_rules.path` (relative to the file) or `sync_rules.content`, `port`, and `!env` tags.
 *
 * @example
 * const cfg = parsePowerSyncConfig(readFileSync('powersync.yaml', 'utf8'), { baseDir: process.cwd() });
 */
export function parsePowerSyncConfig(
  text: string,
  options: { baseDir: string; env?: NodeJS.ProcessEnv },
): LoadedConfig {
  let doc: Record<string, any>;
  const missing: string[] = [];
  try {
    doc = parse(text, { customTags: [envTag(options.env ?? process.env, missing)] }) ?? {};
  } catch (e) {
    throw new SyncError('CONFIG_INVALID_FILE', `powersync.yaml does not parse: ${(e as Error).message}`, {
      cause: e,
    });
  }
  if (missing.length) {
    throw new SyncError(
      'CONFIG_MISSING_ENV',
      `powersync.yaml uses !env ${missing.join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} not set`,
      { details: { variables: missing } },
    );
  }
  // `sync_config` is the official service's current name for `sync_rules`.
  if (doc.sync_config && !doc.sync_rules) doc.sync_rules = doc.sync_config;
  const bad = (path: string, why: string) =>
    new SyncError('CONFIG_INVALID_FILE', `powersync.yaml: ${path} ${why}`, { details: { path } });
  const connection = doc.replication?.connections?.[0];
  if (!connection?.uri) throw bad('replication.connections[0].uri', 'is required (the source Postgres URL)');
  if (connection.type && connection.type !== 'postgresql')
    throw bad('replication.connections[0].type', `must be postgresql, got ${connection.type}`);
  const auth = doc.client_auth ?? {};
  const audience =
    auth.audience === undefined ? [] : Array.isArray(auth.audience) ? auth.audience : [auth.audience];
  if (audience.length === 0) throw bad('client_auth.audience', 'must list the accepted token audience(s)');
  if (!auth.jwks_uri && !auth.jwks) throw bad('client_auth', 'needs jwks_uri (or jwks keys)');
  let syncRules: string;
  let syncRulesPath: string | undefined;
  if (doc.sync_rules?.content) syncRules = String(doc.sync_rules.content);
  else if (doc.sync_rules?.path) {
    const path: string = isAbsolute(doc.sync_rules.path)
      ? doc.sync_rules.path
      : resolve(options.baseDir, doc.sync_rules.path);
    syncRulesPath = path;
    try {
      syncRules = readFileSync(path, 'utf8');
    } catch (e) {
      throw new SyncError(
        'CONFIG_FILE_NOT_FOUND',
        `Sync rules file ${syncRulesPath} (sync_rules.path) cannot be read: ${(e as Error).message}`,
      );
    }
  } else throw bad('sync_rules', 'needs path or content');
  if (doc.storage?.type && doc.storage.type !== 'postgresql') {
    throw bad('storage.type', `must be postgresql for Syncline's sync server, got ${doc.storage.type}`);
  }
  const port = doc.port === undefined ? undefined : Number(doc.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535))
    throw bad('port', `must be a TCP port, got ${doc.port}`);
  return {
    databaseUrl: String(connection.uri),
    ...(doc.storage?.uri ? { storageUrl: String(doc.storage.uri) } : {}),
    syncRules,
    ...(syncRulesPath ? { syncRulesPath } : {}),
    auth: {
      ...(auth.jwks_uri ? { jwksUri: auth.jwks_uri } : {}),
      ...(auth.jwks ? { jwks: auth.jwks } : {}),
      audience,
      ...(auth.issuer ? { issuer: auth.issuer } : {}),
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
