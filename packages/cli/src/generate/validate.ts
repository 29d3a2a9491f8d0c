import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { configFile } from '@powersync/service-types';
import { parseSyncRules } from '@syncline/schema';
import { Ajv } from 'ajv';
import { parseDocument, type ScalarTag } from 'yaml';

/** Result of {@link validateServiceConfig}. */
export interface ServiceConfigValidation {
  /** Empty when the official PowerSync Service would accept the file. */
  errors: string[];
  /** The decoded config (when it parsed). */
  config?: Record<string, any>;
  /** `!env` variables the file uses. */
  variables: string[];
  /** Variables that were not set (validated with placeholders). */
  unresolved: string[];
}

/** Options for {@link validateServiceConfig}. */
export interface ValidateServiceConfigOptions {
  /** Values for `!env` tags. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Directory `sync_rules.path` is relative to; when set, the rules file must exist and parse. */
  baseDir?: string;
}

let validator: ReturnType<Ajv['compile']> | undefined;
function schemaValidator() {
  if (!validator) {
    // The service compiles the same JSON schema with AJV (allErrors, plus its `nodeType` keyword).
    const ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addKeyword({ keyword: 'nodeType', schemaType: 'string' });
    validator = ajv.compile(configFile.PowerSyncConfigJSONSchema);
  }
  return validator;
}

/** The service's `!env` tag: only `PS_*` names, optional `::number` / `::boolean` suffix. */
function envTag(env: NodeJS.ProcessEnv, seen: Set<string>, unresolved: Set<string>): ScalarTag {
  return {
    tag: '!env',
    resolve(value: string, onError: (message: string) => void) {
      const [name = '', type = 'string'] = value.trim().split('::');
      seen.add(name);
      if (!name.startsWith('PS_')) {
        onError(`!env ${name}: the PowerSync Service only substitutes variables starting with PS_`);
        return value;
      }
      const raw = env[name];
      if (raw === undefined || raw === '') {
        unresolved.add(name);
        return type === 'number' ? 8080 : type === 'boolean' ? false : `\${${name}}`;
      }
      if (type === 'number') return Number(raw);
      if (type === 'boolean') return raw.toLowerCase() === 'true';
      return raw;
    },
  };
}

const SSL_MODES = ['verify-full', 'verify-ca', 'disable'];

/** The checks the service's Postgres module makes on a connection (`normalizeConnectionConfig`). */
function postgresConnectionErrors(path: string, c: Record<string, any>, unresolved: Set<string>): string[] {
  const errors: string[] = [];
  if (c.sslmode !== undefined && !SSL_MODES.includes(c.sslmode))
    errors.push(`${path}.sslmode must be one of ${SSL_MODES.join(', ')}`);
  if (c.sslmode === 'verify-ca' && !c.cacert) errors.push(`${path}: sslmode verify-ca needs cacert`);
  if (typeof c.uri !== 'string' || [...unresolved].some((v) => c.uri.includes(`\${${v}}`))) {
    if (c.uri === undefined && !c.hostname)
      errors.push(`${path}: needs uri (or hostname, username, password, database)`);
    return errors;
  }
  let u: URL;
  try {
    u = new URL(c.uri);
  } catch {
    return [...errors, `${path}.uri is not a URI`];
  }
  if (!['postgresql:', 'postgres:'].includes(u.protocol))
    errors.push(`${path}.uri: protocol must be postgresql, got ${u.protocol}`);
  if (!(c.hostname ?? u.hostname)) errors.push(`${path}.uri: hostname required`);
  if (!(c.username ?? u.username)) errors.push(`${path}.uri: username required`);
  if (!(c.password ?? u.password)) errors.push(`${path}.uri: password required`);
  if (!(c.database ?? u.pathname.slice(1))) errors.push(`${path}.uri: database required`);
  const port = Number(c.port ?? (u.port || 5432));
  if (port < 1024 || port > 65535) errors.push(`${path}: port ${port} not supported (1024–65535)`);
  return errors;
}

/**
 * Validates a `powersync.yaml` the way the official PowerSync Service loads it: YAML with `!env PS_*`
 * tags, the config JSON schema from `@powersync/service-types` (AJV), the ts-codec decode, the
 * `sync_config`/`sync_rules` exclusivity, the Postgres connection checks, and — with `baseDir` — the
 * sync rules file, parsed by `@powersync/service-sync-rules`.
 *
 * @example
 * const { errors } = validateServiceConfig(readFileSync('powersync.yaml', 'utf8'), { baseDir: '.' });
 */
export function validateServiceConfig(
  text: string,
  options: ValidateServiceConfigOptions = {},
): ServiceConfigValidation {
  const seen = new Set<string>();
  const unresolved = new Set<string>();
  const result = (errors: string[], config?: Record<string, any>): ServiceConfigValidation => ({
    errors,
    ...(config ? { config } : {}),
    variables: [...seen],
    unresolved: [...unresolved],
  });
  const doc = parseDocument(text, {
    schema: 'core',
    customTags: [envTag(options.env ?? process.env, seen, unresolved)],
  });
  if (doc.errors.length) return result(doc.errors.map((e) => e.message));
  const raw = doc.toJS() as Record<string, any> | null;
  if (!raw || typeof raw !== 'object') return result(['the file is empty']);
  const errors: string[] = [];
  const validate = schemaValidator();
  if (!validate(raw)) {
    for (const e of validate.errors ?? [])
      errors.push(
        `${e.instancePath || '/'} ${e.message}${e.params && 'allowedValues' in e.params ? ` (${(e.params as any).allowedValues})` : ''}`,
      );
  }
  let decoded: Record<string, any> = raw;
  try {
    decoded = configFile.powerSyncConfig.decode(raw as never) as Record<string, any>;
  } catch (e) {
    errors.push(`decode: ${(e as Error).message}`);
  }
  if (raw.sync_config && raw.sync_rules) errors.push('both sync_config and sync_rules are present; keep one');
  const connections: Record<string, any>[] = raw.replication?.connections ?? [];
  if (connections.length === 0) errors.push('replication.connections is empty: no source database');
  connections.forEach((c, i) => {
    if (c.type === 'postgresql')
      errors.push(...postgresConnectionErrors(`replication.connections[${i}]`, c, unresolved));
  });
  if (raw.storage?.type === 'postgresql')
    errors.push(...postgresConnectionErrors('storage', raw.storage, unresolved));
  const auth = raw.client_auth ?? {};
  if (!auth.jwks_uri && !auth.jwks && !auth.supabase)
    errors.push('client_auth needs jwks_uri (or jwks): tokens cannot be verified');
  if (!auth.audience?.length) errors.push('client_auth.audience is empty: every token would be rejected');
  const rules = raw.sync_config ?? raw.sync_rules;
  if (!rules?.path && !rules?.content) errors.push('sync_rules needs path or content');
  else if (options.baseDir !== undefined) {
    let yaml: string | undefined = rules.content;
    if (rules.path) {
      const file = isAbsolute(rules.path) ? rules.path : resolve(options.baseDir, rules.path);
      if (!existsSync(file)) errors.push(`sync_rules.path ${file} does not exist`);
      else yaml = readFileSync(file, 'utf8');
    }
    if (yaml !== undefined) {
      try {
        for (const issue of parseSyncRules(yaml).issues)
          if (issue.severity === 'fatal') errors.push(`sync rules: ${issue.message}`);
      } catch (e) {
        errors.push((e as Error).message);
      }
    }
  }
  return result(errors, decoded);
}

/**
 * {@link validateServiceConfig} for a file (rules resolved next to it).
 *
 * @example
 * const { errors } = validateServiceConfigFile('powersync/powersync.yaml', process.env);
 */
export function validateServiceConfigFile(
  path: string,
  env: NodeJS.ProcessEnv = process.env,
): ServiceConfigValidation {
  if (!existsSync(path))
    return { errors: [`${resolve(path)} does not exist`], variables: [], unresolved: [] };
  return validateServiceConfig(readFileSync(path, 'utf8'), { env, baseDir: dirname(resolve(path)) });
}
