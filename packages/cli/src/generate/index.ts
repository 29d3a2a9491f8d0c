import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { invalidOption, SyncError } from '@syncline/errors';
import type { SynclineConfig } from '../config/index.js';
import { commandFailed, parseCommandArgs, UsageError } from '../shared/args.js';
import { noConfigMessage, resolveProject } from '../shared/project.js';
import type { Io } from '../shared/report.js';
import { dockerCompose, envExample, POWERSYNC_IMAGE } from './compose.js';
import { GENERATED_FILES, type GenerateInputs, powersyncYaml, readme, syncRulesYaml } from './files.js';
import { setupSql } from './setup-sql.js';

/** Options for {@link runGenerate}. */
export interface GenerateOptions {
  config: SynclineConfig;
  /** Output directory. Default `powersync`. */
  outDir?: string;
  /** The API's public base URL (token audience). Default `config.api.url`, else `http://localhost:3000`. */
  apiUrl?: string;
  /** The service's port. Default 8080. */
  port?: number;
  /** `sslmode` of the service's Postgres connections. Default `disable` (compose network). */
  sslmode?: GenerateInputs['sslmode'];
  /** API entry module for the compose `api` service. Default `config.api.entry`. */
  apiEntry?: string;
  /** Project root mounted into the API container. Default the current directory. */
  projectRoot?: string;
  /** Where the config was loaded from (its `dev.webRoot` is relative to it). Default: the project root. */
  configPath?: string;
  /** Official service image. Default: the pinned version the config is validated for ({@link POWERSYNC_IMAGE}). */
  powersyncImage?: string;
  /** Share the official service's anonymized telemetry. Default false. */
  telemetry?: boolean;
  /** Overwrite existing files. Default false. */
  force?: boolean;
}

/**
 * Generates the production path to the official PowerSync Service: `powersync.yaml`, `sync_rules.yaml`,
 * `docker-compose.yml`, `.env.example`, `setup.sql` and a README. Returns the file contents by name.
 *
 * @example
 * await runGenerate({ config, outDir: 'powersync', apiUrl: 'https://api.example.com' });
 */
export async function runGenerate(options: GenerateOptions): Promise<Record<string, string>> {
  const outDir = resolve(options.outDir ?? 'powersync');
  const port = options.port ?? 8080;
  if (!Number.isInteger(port) || port < 1024 || port > 65535)
    throw invalidOption(
      'generate',
      'port',
      `must be 1024–65535 (the service refuses privileged ports), got ${port}`,
    );
  const apiUrl = (options.apiUrl ?? options.config.api?.url ?? 'http://localhost:3000').replace(/\/+$/, '');
  try {
    new URL(apiUrl);
  } catch {
    throw invalidOption('generate', 'apiUrl', `must be a URL, got ${apiUrl}`);
  }
  const root = resolve(options.projectRoot ?? '.');
  const configDir = options.configPath ? dirname(resolve(options.configPath)) : root;
  const webRoot = options.config.dev?.webRoot;
  const inputs: GenerateInputs = {
    config: options.config,
    apiUrl,
    port,
    sslmode: options.sslmode ?? 'disable',
    apiEntry: options.apiEntry ?? options.config.api?.entry,
    rootFromOut: relative(outDir, root) || '.',
    webRoot: webRoot ? relative(root, resolve(configDir, webRoot)) || '.' : undefined,
    powersyncImage: options.powersyncImage ?? POWERSYNC_IMAGE,
    telemetry: options.telemetry ?? false,
  };
  const files: Record<(typeof GENERATED_FILES)[number], string> = {
    'powersync.yaml': powersyncYaml(inputs),
    'sync_rules.yaml': syncRulesYaml(inputs),
    'docker-compose.yml': dockerCompose(inputs),
    '.env.example': envExample(),
    'setup.sql': setupSql(inputs),
    'README.md': readme(inputs),
  };
  const existing = GENERATED_FILES.filter((f) => existsSync(join(outDir, f)));
  if (existing.length && !options.force) {
    throw new SyncError(
      'CONFIG_INVALID_OPTION',
      `${outDir} already has ${existing.join(', ')}; pass --force to overwrite`,
    );
  }
  await mkdir(outDir, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(join(outDir, name), text);
  return files;
}

const USAGE = `syncline generate [--out powersync] [--api-url http://localhost:3000] [--port 8080] [--sslmode disable]
                  [--api-entry path/to/api.ts] [--config syncline.config.ts] [--telemetry] [--force]`;

/** `syncline generate`: exit 0 when written, 2 on a usage or config error. */
export async function generateCommand(argv: string[], io: Io): Promise<number> {
  try {
    const { values } = parseCommandArgs(argv, {
      config: { type: 'string' },
      out: { type: 'string' },
      'api-url': { type: 'string' },
      'api-entry': { type: 'string' },
      port: { type: 'string' },
      sslmode: { type: 'string' },
      force: { type: 'boolean' },
      telemetry: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    if (values.sslmode && !['disable', 'verify-full', 'verify-ca'].includes(values.sslmode))
      throw new UsageError('--sslmode must be disable, verify-full or verify-ca');
    const project = await resolveProject(values.config);
    if (!project) throw new UsageError(noConfigMessage());
    const { config } = project;
    const outDir = values.out ?? 'powersync';
    const files = await runGenerate({
      config,
      configPath: project.path,
      outDir,
      ...(values['api-url'] ? { apiUrl: values['api-url'] } : {}),
      ...(values['api-entry'] ? { apiEntry: values['api-entry'] } : {}),
      ...(values.port ? { port: Number(values.port) } : {}),
      ...(values.sslmode ? { sslmode: values.sslmode as GenerateInputs['sslmode'] } : {}),
      ...(values.force ? { force: true } : {}),
      ...(values.telemetry ? { telemetry: true } : {}),
    });
    for (const name of Object.keys(files)) io.out(`✓ ${join(outDir, name)}`);
    io.out(
      `\nNext: cd ${outDir} && cp .env.example .env (fill in the secrets) && docker compose up -d\n  (your own Postgres: PS_REPLICATION_PASSWORD=… psql "postgresql://postgres@HOST/postgres" -f ${join(outDir, 'setup.sql')})`,
    );
    return 0;
  } catch (e) {
    return commandFailed(e, io, USAGE);
  }
}
