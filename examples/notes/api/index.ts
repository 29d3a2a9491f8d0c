/**
 * The notes API: BetterAuth (RS256 JWT + JWKS), `GET /api/powersync/config`, `PUT /api/powersync/upload`
 * for the notes schema (sharing and conflict policies included) and `GET /api/sharing/users` (share dialogs),
 * on Elysia with the Node adapter.
 */
import { createLogger, type Logger, SyncError } from '@syncline/errors';
import { applySchema } from '@syncline/postgres/migrate';
import {
  createAuth,
  createConfigHandler,
  createUploadHandler,
  createUserLookupHandler,
  guardPool,
  loadOrCreateSecret,
  type SynclineAuth,
  type UploadLimits,
} from '@syncline/server';
import { listenNode, node, synclinePlugin } from '@syncline/server/elysia';
import { Elysia } from 'elysia';
import pg from 'pg';
import { schema } from '../schema.js';

/** Options for {@link createNotesApi}. */
export interface NotesApiOptions {
  /** Postgres with the notes tables (applied on start unless `applySchema: false`). Required. */
  databaseUrl: string;
  /** Port to listen on. Default 3000. */
  port?: number;
  /** Interface to bind. Default `127.0.0.1`. */
  host?: string;
  /** Public URL of this API: BetterAuth's base URL and the JWT `iss`/`aud`. Default `http://localhost:<port>`. */
  baseUrl?: string;
  /** URL of the sync service, handed to clients by `/api/powersync/config`. Default `http://localhost:8080`. */
  powersyncUrl?: string;
  /** Browser origins (the web app) allowed to call the API. Default `[]`. */
  trustedOrigins?: string[];
  /** BetterAuth secret (≥ 32 characters). Default: a generated one kept in `syncline.secrets` (development). */
  secret?: string;
  /** Default: `createLogger({ name: 'notes-api' })`. */
  logger?: Logger;
  /** Upload limits. Default: 1 MiB and 1000 ops per request. */
  limits?: UploadLimits;
  /** Apply the notes schema to the database on start. Default true. */
  applySchema?: boolean;
  /** JWT lifetime (`createAuth`'s `expiresIn`): seconds or a span like `'15m'`. Default `'15m'`. */
  jwtExpiresIn?: number | string;
}

/** A running notes API. */
export interface NotesApi {
  /** Where it listens, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** Its public base URL (JWT `iss` and `aud`). */
  baseUrl: string;
  auth: SynclineAuth;
  /** Stops the server and closes the database pool. */
  stop(): Promise<void>;
}

/**
 * Starts the notes API and resolves once it listens.
 *
 * @example
 * const api = await createNotesApi({ databaseUrl: process.env.DATABASE_URL!, port: 3000 });
 * // … later
 * await api.stop();
 */
export async function createNotesApi(options: NotesApiOptions): Promise<NotesApi> {
  if (typeof options?.databaseUrl !== 'string' || options.databaseUrl === '') {
    throw new SyncError('CONFIG_INVALID_OPTION', 'createNotesApi: option "databaseUrl" is required');
  }
  const port = options.port ?? 3000;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SyncError(
      'CONFIG_INVALID_OPTION',
      `createNotesApi: option "port" must be 1–65535, got ${port}`,
    );
  }
  const host = options.host ?? '127.0.0.1';
  const baseUrl = options.baseUrl ?? `http://localhost:${port}`;
  const log = options.logger ?? createLogger({ name: 'notes-api' });
  // Every pg client's 'error' is handled: a Postgres restart must not crash the API.
  const pool = guardPool(new pg.Pool({ connectionString: options.databaseUrl }), log);
  try {
    if (options.applySchema !== false) await applySchema(options.databaseUrl, schema, { logger: log });
    const secret = options.secret ?? (await loadOrCreateSecret(pool));
    const auth = createAuth({
      pool,
      baseURL: baseUrl,
      secret,
      trustedOrigins: options.trustedOrigins ?? [],
      expiresIn: options.jwtExpiresIn,
      logger: log.child({ component: 'auth' }),
    });
    const upload = createUploadHandler({
      schema,
      pool,
      auth,
      limits: options.limits,
      logger: log.child({ component: 'upload' }),
    });
    const config = createConfigHandler({
      auth,
      powersyncUrl: options.powersyncUrl ?? 'http://localhost:8080',
      logger: log.child({ component: 'config' }),
    });
    // Share dialogs turn an email address into the user id a project_members row holds.
    const sharing = createUserLookupHandler({ auth, logger: log.child({ component: 'sharing' }) });
    await auth.ready();
    await upload.prepare();
    const app = new Elysia({ adapter: node() })
      .get('/health', () => ({ ok: true }))
      .use(synclinePlugin({ auth, config, upload, sharing, logger: log.child({ component: 'http' }) }));
    const server = await listenNode(app, { port, hostname: host });
    log.info('notes API listening', { url: server.url, baseUrl });
    return {
      url: server.url,
      baseUrl: auth.baseURL,
      auth,
      async stop() {
        await server.stop();
        await pool.end();
      },
    };
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw e;
  }
}
