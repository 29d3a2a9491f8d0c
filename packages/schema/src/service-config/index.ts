/**
 * `@syncline/schema/service-config`: the one reader of `powersync.yaml`, the official PowerSync Service's
 * config file. Syncline's sync server (`loadPowerSyncConfig`), `syncline generate` and `syncline doctor` all
 * read it here: YAML with the service's `!env` tag ({@link envTag}), then the checks every consumer needs
 * (a source connection, token keys and audience, sync rules that exist). The official service's own schema
 * (`@powersync/service-types` JSON schema + decode, its Postgres connection rules, the rules' parse) is the
 * extra layer in `@syncline/schema/service-config/official`, which the sync server does not load (~11 MB
 * resident, ~0.1 s) and which it does not need: it also accepts files without `storage`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { envTag, newEnvUse } from './env.js';

export { ENV_PREFIX, type EnvUse, envTag, newEnvUse } from './env.js';

/** A problem that makes the file unusable, with the registry code a loader throws for it. */
export interface ServiceConfigIssue {
  code: 'CONFIG_INVALID_FILE' | 'CONFIG_FILE_NOT_FOUND';
  /** Where in the file, e.g. `client_auth.audience` (`$` for the whole file). */
  path: string;
  message: string;
}

/** Sync rules by `path` (relative to the file) or inline `content`. */
export interface SyncRulesSource {
  path?: unknown;
  content?: unknown;
}

/** The parts of `powersync.yaml` Syncline reads; values are unchecked until a reader checks them. */
export interface ServiceConfigFile {
  replication?: { connections?: Record<string, unknown>[] };
  storage?: Record<string, unknown>;
  client_auth?: {
    jwks_uri?: unknown;
    jwks?: unknown;
    supabase?: unknown;
    audience?: unknown;
    issuer?: unknown;
    max_lifetime_seconds?: unknown;
  };
  sync_config?: SyncRulesSource;
  sync_rules?: SyncRulesSource;
  port?: unknown;
  api?: { tokens?: unknown };
  [key: string]: unknown;
}

/** What {@link readServiceConfig} found. */
export interface ServiceConfigRead {
  /** The decoded YAML (`!env` substituted; unset variables as placeholders), when it parsed. */
  config?: ServiceConfigFile;
  /** Empty when every consumer can use the file (given its `!env` variables are set). */
  issues: ServiceConfigIssue[];
  /** `!env` variables the file uses. */
  variables: string[];
  /** `!env` variables that are not set. */
  unresolved: string[];
  /** The sync rules (`sync_config`/`sync_rules` content, or the file its `path` names), when readable. */
  syncRules?: { yaml: string; path?: string };
}

/** Options for {@link readServiceConfig}. */
export interface ReadServiceConfigOptions {
  /** Values for `!env` tags. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Directory `sync_rules.path` is relative to (the file's). When set, the rules file is read. */
  baseDir?: string;
}

/**
 * Reads a `powersync.yaml`: `!env` as the official service substitutes it, then the checks every consumer
 * makes — `replication.connections` not empty, `client_auth` with `jwks_uri`/`jwks` (or `supabase`) and an
 * audience, one of `sync_config`/`sync_rules` with `path` or `content`, and (with `baseDir`) the rules file.
 *
 * @example
 * const read = readServiceConfig(readFileSync('powersync.yaml', 'utf8'), { baseDir: '.' });
 * if (read.unresolved.length) console.log('export', read.unresolved.join(' '));
 */
export function readServiceConfig(text: string, options: ReadServiceConfigOptions = {}): ServiceConfigRead {
  const use = newEnvUse();
  const done = (issues: ServiceConfigIssue[], rest: Partial<ServiceConfigRead> = {}): ServiceConfigRead => ({
    ...rest,
    issues,
    variables: [...use.variables],
    unresolved: [...use.unresolved],
  });
  const invalid = (path: string, message: string): ServiceConfigIssue => ({
    code: 'CONFIG_INVALID_FILE',
    path,
    message,
  });
  const doc = parseDocument(text, { schema: 'core', customTags: [envTag(options.env ?? process.env, use)] });
  if (doc.errors.length) return done(doc.errors.map((e) => invalid('$', `does not parse: ${e.message}`)));
  const config = doc.toJS() as ServiceConfigFile | null;
  if (!config || typeof config !== 'object' || Array.isArray(config))
    return done([invalid('$', 'is empty or not a mapping')]);
  const issues = use.errors.map((message) => invalid('$', message));
  const connections: unknown = config.replication?.connections;
  if (!Array.isArray(connections) || connections.length === 0)
    issues.push(
      invalid(
        'replication.connections',
        'is empty: add the source database (replication.connections[0].uri)',
      ),
    );
  const auth = config.client_auth ?? {};
  if (!auth.jwks_uri && !auth.jwks && !auth.supabase)
    issues.push(invalid('client_auth', 'needs jwks_uri (or jwks keys): tokens cannot be verified'));
  const audience = auth.audience === undefined || auth.audience === null ? [] : [auth.audience].flat();
  if (audience.length === 0)
    issues.push(invalid('client_auth.audience', 'must list the accepted token audience(s)'));
  if (config.sync_config && config.sync_rules)
    issues.push(invalid('sync_config', 'and sync_rules are both present; keep one (sync_config)'));
  // `sync_config` is the official service's current name for `sync_rules`.
  const rules = config.sync_config ?? config.sync_rules;
  const key = config.sync_config ? 'sync_config' : 'sync_rules';
  let syncRules: ServiceConfigRead['syncRules'];
  if (rules?.content !== undefined && rules.content !== null) syncRules = { yaml: String(rules.content) };
  else if (typeof rules?.path === 'string' && rules.path !== '') {
    if (options.baseDir !== undefined) {
      const path = isAbsolute(rules.path) ? rules.path : resolve(options.baseDir, rules.path);
      if (existsSync(path)) syncRules = { yaml: readFileSync(path, 'utf8'), path };
      else
        issues.push({
          code: 'CONFIG_FILE_NOT_FOUND',
          path: `${key}.path`,
          message: `names ${path}, which does not exist`,
        });
    }
  } else issues.push(invalid(key, 'needs path or content'));
  return done(issues, { config, ...(syncRules ? { syncRules } : {}) });
}

/**
 * {@link readServiceConfig} for a file (rules resolved next to it); a missing file is a
 * `CONFIG_FILE_NOT_FOUND` issue.
 *
 * @example
 * const read = readServiceConfigFile('powersync/powersync.yaml');
 */
export function readServiceConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): ServiceConfigRead {
  const file = resolve(path);
  if (!existsSync(file))
    return {
      issues: [{ code: 'CONFIG_FILE_NOT_FOUND', path: '$', message: `${file} does not exist` }],
      variables: [],
      unresolved: [],
    };
  return readServiceConfig(readFileSync(file, 'utf8'), { env, baseDir: resolve(file, '..') });
}
