/**
 * `@syncline/schema/service-config/official`: {@link readServiceConfig} plus the official PowerSync Service's
 * own checks — its config JSON schema (`@powersync/service-types`, compiled with AJV as the service does),
 * the ts-codec decode, its Postgres connection rules and the sync rules' parse. `syncline generate` and
 * `syncline doctor` use it to say whether `journeyapps/powersync-service` would start with a file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { configFile } from '@powersync/service-types';
import { Ajv } from 'ajv';
import { parseSyncRules } from '../sync-rules/index.js';
import { type ReadServiceConfigOptions, readServiceConfig, type ServiceConfigFile } from './index.js';

/** Result of {@link validateServiceConfig}. */
export interface ServiceConfigValidation {
  /** Empty when the official PowerSync Service would accept the file. */
  errors: string[];
  /** The decoded config (when it parsed). */
  config?: ServiceConfigFile;
  /** `!env` variables the file uses. */
  variables: string[];
  /** Variables that were not set (validated with placeholders). */
  unresolved: string[];
}

/** Options for {@link validateServiceConfig}. */
export type ValidateServiceConfigOptions = ReadServiceConfigOptions;

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

const SSL_MODES = ['verify-full', 'verify-ca', 'disable'];

/** The checks the service's Postgres module makes on a connection (`normalizeConnectionConfig`). */
function postgresConnectionErrors(path: string, c: Record<string, unknown>, unresolved: string[]): string[] {
  const errors: string[] = [];
  if (c.sslmode !== undefined && !SSL_MODES.includes(c.sslmode as string))
    errors.push(`${path}.sslmode must be one of ${SSL_MODES.join(', ')}`);
  if (c.sslmode === 'verify-ca' && !c.cacert) errors.push(`${path}: sslmode verify-ca needs cacert`);
  const uri = c.uri;
  if (typeof uri !== 'string' || unresolved.some((v) => uri.includes(`\${${v}}`))) {
    if (uri === undefined && !c.hostname)
      errors.push(`${path}: needs uri (or hostname, username, password, database)`);
    return errors;
  }
  let u: URL;
  try {
    u = new URL(uri);
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
 * Validates a `powersync.yaml` the way the official PowerSync Service loads it: {@link readServiceConfig}
 * (YAML, `!env PS_*`, connections, auth, rules source), then the config JSON schema (AJV), the ts-codec
 * decode, the Postgres connection checks and — with `baseDir` — the sync rules, parsed by
 * `@powersync/service-sync-rules`.
 *
 * @example
 * const { errors } = validateServiceConfig(readFileSync('powersync.yaml', 'utf8'), { baseDir: '.' });
 */
export function validateServiceConfig(
  text: string,
  options: ValidateServiceConfigOptions = {},
): ServiceConfigValidation {
  const read = readServiceConfig(text, options);
  const { variables, unresolved } = read;
  const errors = read.issues.map((i) => (i.path === '$' ? i.message : `${i.path} ${i.message}`));
  const raw = read.config;
  if (!raw) return { errors, variables, unresolved };
  const validate = schemaValidator();
  if (!validate(raw)) {
    for (const e of validate.errors ?? []) {
      const allowed = (e.params as { allowedValues?: unknown } | undefined)?.allowedValues;
      errors.push(`${e.instancePath || '/'} ${e.message}${allowed ? ` (${allowed})` : ''}`);
    }
  }
  let decoded: ServiceConfigFile = raw;
  try {
    decoded = configFile.powerSyncConfig.decode(raw as never) as ServiceConfigFile;
  } catch (e) {
    errors.push(`decode: ${(e as Error).message}`);
  }
  (raw.replication?.connections ?? []).forEach((c, i) => {
    if (c.type === 'postgresql')
      errors.push(...postgresConnectionErrors(`replication.connections[${i}]`, c, unresolved));
  });
  if (raw.storage?.type === 'postgresql')
    errors.push(...postgresConnectionErrors('storage', raw.storage, unresolved));
  if (read.syncRules && options.baseDir !== undefined) {
    try {
      for (const issue of parseSyncRules(read.syncRules.yaml).issues)
        if (issue.severity === 'fatal') errors.push(`sync rules: ${issue.message}`);
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  return { errors, config: decoded, variables, unresolved };
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
