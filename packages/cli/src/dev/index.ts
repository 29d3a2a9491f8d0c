import { dirname, resolve } from 'node:path';
import { type Logger, SyncError } from '@syncline/errors';
import { assertReplicationReady, isPortFree, redactUrl } from '@syncline/postgres';
import { startEmbeddedPostgres } from '@syncline/postgres/embedded';
import { applySchema } from '@syncline/postgres/migrate';
import { toSyncRules } from '@syncline/schema';
import { createSyncServer } from '@syncline/sync-server';
import pg from 'pg';
import type { SynclineConfig } from '../config/index.js';
import { createDevLogger } from './logger.js';

/** Options for {@link runDev}. */
export interface DevOptions {
  config: SynclineConfig;
  /** Path of the config file (relative paths in it resolve from its directory). Default: cwd. */
  configPath?: string;
  /** Use this Postgres instead of the embedded one. Default: `DATABASE_URL`. */
  databaseUrl?: string;
  /** Port overrides (else `SYNCLINE_<PART>_PORT`, else the config's, else 54320 / 3000 / 8080 / 5173). */
  ports?: { postgres?: number; api?: number; sync?: number; web?: number };
  /** Where status lines go. Default stdout. */
  print?: (line: string) => void;
  /** Where the parts log. Default: warnings and errors on stderr, human-readable (see `createDevLogger`). */
  logger?: Logger;
}

/** A running dev stack. */
export interface DevStack {
  databaseUrl: string;
  apiUrl?: string;
  syncUrl?: string;
  webUrl?: string;
  demoUser?: { email: string; password: string };
  /** Stops every part in reverse order. Safe to call twice. */
  stop(): Promise<void>;
}

function port(part: 'postgres' | 'api' | 'sync' | 'web', o: DevOptions, fallback: number): number {
  const env = process.env[`SYNCLINE_${part === 'postgres' ? 'PG' : part.toUpperCase()}_PORT`];
  const value = o.ports?.[part] ?? (env ? Number(env) : undefined) ?? o.config.dev?.ports?.[part] ?? fallback;
  if (!Number.isInteger(value) || value <= 0 || value > 65535) {
    throw new SyncError('CONFIG_INVALID_OPTION', `The ${part} port must be 1–65535, got ${env ?? value}`);
  }
  return value;
}

/**
 * Starts the development stack in one process (plus the embedded Postgres server): Postgres with the
 * schema and publication, the project's API, Syncline's sync server and the web app (Vite), printing one
 * status line per part. Fails fast with `CONFIG_PORT_IN_USE` naming the part and the variable to change.
 *
 * @example
 * const stack = await runDev({ config, configPath: 'syncline.config.ts' });
 * // … Ctrl-C
 * await stack.stop();
 */
export async function runDev(options: DevOptions): Promise<DevStack> {
  const print = options.print ?? ((l: string) => process.stdout.write(`${l}\n`));
  let stopping = false;
  const log = createDevLogger(() => stopping, options.logger);
  const { config } = options;
  const baseDir = options.configPath ? dirname(resolve(options.configPath)) : process.cwd();
  const dataDir = resolve(config.dataDir ?? '.syncline'); // relative to where `npm start` runs
  const external = options.databaseUrl ?? process.env.DATABASE_URL;
  const ports = {
    postgres: port('postgres', options, 54320),
    api: port('api', options, 3000),
    sync: port('sync', options, 8080),
    web: port('web', options, 5173),
  };
  const wanted: [string, number, string][] = [
    ...(external ? [] : ([['Postgres', ports.postgres, 'SYNCLINE_PG_PORT']] as [string, number, string][])),
    ...(config.dev?.startApi
      ? ([['API', ports.api, 'SYNCLINE_API_PORT']] as [string, number, string][])
      : []),
    ['sync server', ports.sync, 'SYNCLINE_SYNC_PORT'],
    ...(config.dev?.webRoot
      ? ([['web app', ports.web, 'SYNCLINE_WEB_PORT']] as [string, number, string][])
      : []),
  ];
  for (const [part, p, variable] of wanted) {
    if (!(await isPortFree(p))) {
      throw new SyncError(
        'CONFIG_PORT_IN_USE',
        `Port ${p} (${part}) is taken. Stop what uses it, or run with ${variable}=${p + 1} npm start`,
        {
          details: { part, port: p },
        },
      );
    }
  }
  const stops: { name: string; stop: () => Promise<void> }[] = [];
  const status = (part: string, text: string) => print(`  ✓ ${part.padEnd(12)} ${text}`);
  const stack: DevStack = {
    databaseUrl: '',
    async stop() {
      stopping = true;
      while (stops.length) {
        const s = stops.pop()!;
        await s.stop().catch((e: Error) => log.warn(`stopping ${s.name} failed`, { error: e }));
      }
    },
  };
  try {
    // 1. Postgres
    let started = Date.now();
    if (external) {
      const client = new pg.Client({ connectionString: external });
      await client.connect().catch((e: Error) => {
        throw new SyncError(
          'PG_CONNECTION_FAILED',
          `Cannot connect to DATABASE_URL ${redactUrl(external)}: ${e.message}`,
        );
      });
      try {
        await assertReplicationReady(client);
      } finally {
        await client.end();
      }
      stack.databaseUrl = external;
      status('postgres', `external ${redactUrl(external)}`);
    } else {
      const embedded = await startEmbeddedPostgres({
        dataDir: resolve(dataDir, 'postgres'),
        port: ports.postgres,
        database: config.database ?? 'syncline',
        logger: log,
      });
      stops.push({ name: 'postgres', stop: () => embedded.stop() });
      stack.databaseUrl = embedded.url;
      status(
        'postgres',
        `embedded on port ${ports.postgres}, data in ${embedded.dataDir} (${Date.now() - started} ms)`,
      );
    }
    const applied = await applySchema(stack.databaseUrl, config.schema, {
      logger: log,
      ...(config.publication ? { publication: config.publication } : {}),
    });
    status(
      'schema',
      applied.statements.length ? `applied ${applied.statements.length} statement(s)` : 'up to date',
    );

    // 2. API
    const syncUrl = `http://127.0.0.1:${ports.sync}`;
    const webOrigins = [`http://localhost:${ports.web}`, `http://127.0.0.1:${ports.web}`];
    let apiBase: string | undefined;
    if (config.dev?.startApi) {
      started = Date.now();
      const api = await config.dev.startApi({
        databaseUrl: stack.databaseUrl,
        port: ports.api,
        host: '127.0.0.1',
        baseUrl: `http://127.0.0.1:${ports.api}`,
        powersyncUrl: syncUrl,
        trustedOrigins: webOrigins,
        logger: log.child({ component: 'api' }),
      });
      stops.push({ name: 'api', stop: () => api.stop() });
      stack.apiUrl = api.url;
      apiBase = api.baseUrl;
      status('api', `${api.url} (${Date.now() - started} ms)`);
    }

    // 3. Sync server
    if (!apiBase) {
      throw new SyncError(
        'CONFIG_INVALID_OPTION',
        "syncline dev needs dev.startApi in syncline.config.ts: the sync server verifies the API's tokens",
      );
    }
    started = Date.now();
    const sync = createSyncServer({
      databaseUrl: stack.databaseUrl,
      syncRules: toSyncRules(config.schema, config.syncRules ?? {}),
      auth: { jwksUri: `${apiBase}/api/auth/jwks`, audience: apiBase, issuer: apiBase },
      port: ports.sync,
      host: '127.0.0.1',
      managePublication: true,
      ...(config.publication ? { publication: config.publication } : {}),
      logger: log,
    });
    await sync.start();
    stops.push({ name: 'sync server', stop: () => sync.stop() });
    stack.syncUrl = sync.url;
    status('sync server', `${sync.url} (${Date.now() - started} ms)`);

    // 4. Demo account
    if (config.dev?.demoUser) {
      const u = config.dev.demoUser;
      const res = await fetch(`${apiBase}/api/auth/sign-up/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(u),
      });
      const created = res.ok;
      if (!created && res.status !== 422 && res.status !== 400)
        log.warn('demo account could not be created', { status: res.status });
      stack.demoUser = { email: u.email, password: u.password };
      status('demo user', `${u.email} / ${u.password}${created ? ' (created)' : ''}`);
    }

    // 5. Web app
    if (config.dev?.webRoot) {
      started = Date.now();
      process.env.VITE_API_URL = apiBase;
      const { createServer } = await import('vite');
      const web = await createServer({
        root: resolve(baseDir, config.dev.webRoot),
        configFile: resolve(baseDir, config.dev.webRoot, 'vite.config.ts'),
        server: { port: ports.web, strictPort: true, host: '127.0.0.1' },
        logLevel: 'warn',
        clearScreen: false,
      });
      await web.listen();
      stops.push({ name: 'web app', stop: () => web.close() });
      stack.webUrl = `http://localhost:${ports.web}/`;
      status('web app', `${stack.webUrl} (${Date.now() - started} ms)`);
    }
  } catch (e) {
    await stack.stop();
    throw e;
  }
  return stack;
}
