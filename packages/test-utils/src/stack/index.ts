/**
 * One test stack (`@syncline/test-utils/stack`): on a test database, the test API (BetterAuth + upload), a
 * fault proxy in front of it, Syncline's sync server (in-process, or as its own process for kill -9 tests and
 * the bench) and N official-client devices. Every package's tests and the bench build their stack here.
 *
 * @example
 * const db = useTestDatabase('sharing');
 * const stack = await startStack({ databaseUrl: db.url, proxy: true });
 * const alice = await stack.signUp('alice');
 * const device = await stack.device('alice-1', alice);
 * await stack.stop();
 */
import type { Logger } from '@syncline/errors';
import { freePort } from '@syncline/postgres';
import { applySchema } from '@syncline/postgres/migrate';
import { type SynclineSchema, toSyncRules } from '@syncline/schema';
import pg from 'pg';
import { type ApiUser, apiUploader, signUp } from '../api-users.js';
import { type SyncDevice, TestDevice, type TestDeviceOptions } from '../device.js';
import { startTestJwks, type TestJwks } from '../jwks.js';
import { quietLogger } from '../logger.js';
import { testSchema } from '../schema.js';
import { startTestApi, type TestApi, type TestApiOptions } from './api.js';
import { clientSchemaOf } from './client-schema.js';
import { type FaultProxy, startFaultProxy } from './fault-proxy.js';
import { startTestSync, type TestSync, type TestSyncAuth, type TestSyncOptions } from './sync.js';

export { startTestApi, TEST_SECRET, type TestApi, type TestApiOptions } from './api.js';
export { clientSchemaOf } from './client-schema.js';
export { type Fault, type FaultProxy, type ProxiedRequest, startFaultProxy } from './fault-proxy.js';
export { type StreamProxy, startStreamProxy } from './stream-proxy.js';
export {
  cpuOf,
  rssOf,
  startTestSync,
  syncServerBin,
  type TestSync,
  type TestSyncAuth,
  type TestSyncOptions,
} from './sync.js';

/** API options of {@link startStack} (the database, schema and sync URL come from the stack). */
export type StackApiOptions = Omit<TestApiOptions, 'databaseUrl' | 'schema' | 'applySchema'>;
/** Sync server options of {@link startStack} (the database, rules and auth come from the stack). */
export type StackSyncOptions = Omit<TestSyncOptions, 'databaseUrl' | 'syncRules' | 'auth'>;

/** Options of {@link startStack}. */
export interface StackOptions {
  /** The test database (e.g. `useTestDatabase().url`). Required. */
  databaseUrl: string;
  /** Default: the test schema (`@syncline/test-utils/schema`). */
  schema?: SynclineSchema;
  /** Apply `schema` before starting anything. Default true. */
  applySchema?: boolean;
  /** Sync rules YAML. Default `toSyncRules(schema)`. */
  syncRules?: string;
  /**
   * The test API (true or its options; default true). Without it the sync server verifies tokens from a
   * test JWKS ({@link Stack.jwks}) and devices upload nowhere.
   */
  api?: boolean | StackApiOptions;
  /** The sync server: true (in-process), `'process'` (the CLI as a child), options, or false. Default true. */
  sync?: boolean | 'process' | StackSyncOptions;
  /** A fault proxy in front of the API ({@link Stack.apiUrl} points at it). Default false. */
  proxy?: boolean;
  /** Official-client devices to open and connect: `{ name, user }` (users are signed up by name). */
  clients?: { name: string; user: string }[];
  /** Use this pool (the caller ends it) instead of opening one. */
  pool?: pg.Pool;
  /** Default: quiet. */
  logger?: Logger;
}

/** A running stack. Reading a part that was not started throws. */
export interface Stack {
  readonly databaseUrl: string;
  readonly schema: SynclineSchema;
  readonly syncRules: string;
  /** A pool on the test database (max 4). */
  readonly pool: pg.Pool;
  readonly api: TestApi;
  readonly proxy: FaultProxy;
  /** What clients use as the API: the proxy when there is one. */
  readonly apiUrl: string;
  readonly sync: TestSync;
  /** The sync server's URL (stable across {@link restartSync}). */
  readonly syncUrl: string;
  /** The token verification the sync server uses (the API's JWKS, or the test JWKS). */
  readonly auth: TestSyncAuth;
  /** The test JWKS (only when `api: false`). */
  readonly jwks: TestJwks | null;
  /** Users signed up by name (from `clients` and {@link signUp}). */
  readonly users: Map<string, ApiUser>;
  /** The devices of `clients`, in order. */
  readonly clients: TestDevice[];
  /** Signs a user up on the API (once per name; later calls return the same user). */
  signUp(name: string): Promise<ApiUser>;
  /** Opens and connects an official-client device of `user`, uploading through the API. */
  device(name: string, user: ApiUser, options?: Partial<TestDeviceOptions>): Promise<TestDevice>;
  startApi(): Promise<void>;
  stopApi(): Promise<void>;
  startSync(): Promise<void>;
  stopSync(): Promise<void>;
  /** Process mode: SIGKILL the sync server (start it again with {@link startSync}). */
  killSync(): Promise<void>;
  /** Closes devices, proxy, sync server, API and pool (not the database). */
  stop(): Promise<void>;
}

/** Starts the parts asked for, in dependency order, and resolves once all serve. */
export async function startStack(options: StackOptions): Promise<Stack> {
  const { databaseUrl, schema = testSchema, logger = quietLogger } = options;
  if (options.applySchema !== false) await applySchema(databaseUrl, schema, { logger });
  const syncRules = options.syncRules ?? toSyncRules(schema);
  const apiOptions = options.api === false ? null : options.api === true || !options.api ? {} : options.api;
  const syncOptions: StackSyncOptions | null =
    options.sync === false
      ? null
      : options.sync === 'process'
        ? { mode: 'process' }
        : options.sync === true || !options.sync
          ? {}
          : options.sync;
  const pool = options.pool ?? new pg.Pool({ connectionString: databaseUrl, max: 4 });
  if (!options.pool) pool.on('error', () => undefined);
  const apiPort = apiOptions?.port ?? (await freePort());
  const syncPort = syncOptions?.port ?? (await freePort());
  const syncUrl = `http://127.0.0.1:${syncPort}`;
  const jwks = apiOptions ? null : await startTestJwks();
  const apiBase = apiOptions?.baseUrl ?? `http://127.0.0.1:${apiPort}`;
  const auth: TestSyncAuth = jwks
    ? { jwksUri: jwks.url, audience: jwks.audience }
    : {
        jwksUri: `http://127.0.0.1:${apiPort}/api/auth/jwks`,
        audience: [apiOptions?.audience ?? apiBase].flat()[0] ?? apiBase,
      };

  const parts: { api: TestApi | null; proxy: FaultProxy | null; sync: TestSync | null } = {
    api: null,
    proxy: null,
    sync: null,
  };
  const need = <K extends keyof typeof parts>(name: K, option: string) => {
    const part = parts[name];
    if (!part) throw new Error(`startStack: no ${name} in this stack (start it with ${option})`);
    return part as NonNullable<(typeof parts)[K]>;
  };
  const opened: SyncDevice[] = [];
  let apiUrl = '';
  const stack: Stack = {
    databaseUrl,
    schema,
    syncRules,
    pool,
    get api() {
      return need('api', 'api: true');
    },
    get proxy() {
      return need('proxy', 'proxy: true');
    },
    get sync() {
      return need('sync', 'sync: true');
    },
    get apiUrl() {
      return apiUrl;
    },
    syncUrl,
    auth,
    jwks,
    users: new Map(),
    clients: [],
    async signUp(name) {
      const known = stack.users.get(name);
      if (known) return known;
      const user = await signUp(stack.api.url, name);
      stack.users.set(name, user);
      return user;
    },
    async device(name, user, deviceOptions = {}) {
      const d = await TestDevice.open({
        name,
        schema: clientSchemaOf(schema),
        credentials: async () => ({ endpoint: syncUrl, token: await user.token() }),
        ...(apiUrl ? { upload: apiUploader(apiUrl, user) } : {}),
        ...deviceOptions,
      });
      opened.push(d);
      await d.connect();
      return d;
    },
    async startApi() {
      if (!apiOptions) return;
      parts.api = await startTestApi({
        logger,
        powersyncUrl: syncUrl,
        ...apiOptions,
        databaseUrl,
        schema,
        port: apiPort,
      });
    },
    async stopApi() {
      await parts.api?.stop();
    },
    async startSync() {
      if (!syncOptions) return;
      parts.sync = await startTestSync({
        managePublication: true,
        logger,
        ...syncOptions,
        databaseUrl,
        syncRules,
        auth,
        port: syncPort,
      });
    },
    async stopSync() {
      await parts.sync?.stop();
    },
    async killSync() {
      await parts.sync?.kill();
    },
    async stop() {
      await Promise.all(opened.map((d) => d.close()));
      await parts.proxy?.stop().catch(() => undefined);
      await parts.sync?.stop().catch(() => undefined);
      await parts.api?.stop().catch(() => undefined);
      await jwks?.stop().catch(() => undefined);
      if (!options.pool) await pool.end().catch(() => undefined);
    },
  };
  try {
    await stack.startApi();
    await stack.startSync();
    if (parts.api) {
      apiUrl = parts.api.url;
      if (options.proxy) {
        parts.proxy = await startFaultProxy(parts.api.url);
        apiUrl = parts.proxy.url;
      }
    }
    for (const c of options.clients ?? [])
      stack.clients.push(await stack.device(c.name, await stack.signUp(c.user)));
  } catch (e) {
    await stack.stop();
    throw e;
  }
  return stack;
}
