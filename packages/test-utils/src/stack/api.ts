/**
 * The test API: `@syncline/server` on Elysia (Node adapter) for a schema, with real BetterAuth (RS256 JWT +
 * JWKS), `GET /api/powersync/config`, `PUT /api/powersync/upload` and `GET /api/sharing/users`. What the
 * example apps build, without depending on any of them.
 */
import type { Logger } from '@syncline/errors';
import { freePort } from '@syncline/postgres';
import { applySchema } from '@syncline/postgres/migrate';
import type { SynclineSchema } from '@syncline/schema';
import {
  type AuthOptions,
  createAuth,
  createConfigHandler,
  createUploadHandler,
  createUserLookupHandler,
  guardPool,
  type SynclineAuth,
  type UploadLimits,
} from '@syncline/server';
import { listenNode, node, synclinePlugin } from '@syncline/server/elysia';
import { Elysia } from 'elysia';
import pg from 'pg';
import { quietLogger } from '../logger.js';
import { testSchema } from '../schema.js';

/** A fixed BetterAuth secret for tests (≥ 32 characters). */
export const TEST_SECRET = 'test-secret-0123456789abcdef-0123456789abcdef';

/** Options of {@link startTestApi}; BetterAuth options (`audience`, `expiresIn`, `rateLimit`, …) pass through. */
export interface TestApiOptions extends Partial<Omit<AuthOptions, 'pool' | 'baseURL' | 'logger'>> {
  /** Postgres the API writes to. Required. */
  databaseUrl: string;
  /** The schema uploads are checked against. Default: the test schema. */
  schema?: SynclineSchema;
  /** Apply `schema` to the database first. Default false (most tests apply it themselves). */
  applySchema?: boolean;
  /** Port to listen on. Default: a free one (pass the previous port to restart on the same URL). */
  port?: number;
  /** BetterAuth's base URL (JWT `iss`/`aud` unless overridden). Default: the API's own URL. */
  baseUrl?: string;
  /** The sync service URL `/api/powersync/config` hands out. Default `http://127.0.0.1:1` (none). */
  powersyncUrl?: string;
  limits?: UploadLimits;
  /** Requests per minute of the user lookup. Default: the handler's. */
  lookupPerMinute?: number;
  /** Default: quiet. */
  logger?: Logger;
}

/** A running test API. */
export interface TestApi {
  /** Where it listens, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Its BetterAuth base URL (JWT `iss`/`aud`). */
  readonly baseUrl: string;
  readonly port: number;
  readonly auth: SynclineAuth;
  /** The API's own pool (for checking what an upload wrote). */
  readonly pool: pg.Pool;
  stop(): Promise<void>;
}

/**
 * Starts the API and resolves once it listens.
 *
 * @example
 * const api = await startTestApi({ databaseUrl: db.url, applySchema: true });
 * const alice = await signUp(api.url, 'alice');
 */
export async function startTestApi(options: TestApiOptions): Promise<TestApi> {
  const {
    databaseUrl,
    schema = testSchema,
    applySchema: apply = false,
    port: wantedPort,
    baseUrl,
    powersyncUrl = 'http://127.0.0.1:1',
    limits,
    lookupPerMinute,
    logger = quietLogger,
    ...authOptions
  } = options;
  const port = wantedPort ?? (await freePort());
  if (apply) await applySchema(databaseUrl, schema, { logger });
  const pool = guardPool(new pg.Pool({ connectionString: databaseUrl, max: 5 }), logger);
  try {
    const auth = createAuth({
      pool,
      baseURL: baseUrl ?? `http://127.0.0.1:${port}`,
      secret: TEST_SECRET,
      logger: logger.child({ component: 'auth' }),
      ...authOptions,
    });
    await auth.ready();
    const upload = createUploadHandler({
      schema,
      pool,
      auth,
      limits,
      logger: logger.child({ component: 'upload' }),
    });
    await upload.prepare();
    const config = createConfigHandler({ auth, powersyncUrl, logger: logger.child({ component: 'config' }) });
    const sharing = createUserLookupHandler({
      auth,
      ...(lookupPerMinute !== undefined ? { perMinute: lookupPerMinute } : {}),
      logger: logger.child({ component: 'sharing' }),
    });
    const app = new Elysia({ adapter: node() })
      .get('/health', () => ({ ok: true }))
      .use(synclinePlugin({ auth, config, upload, sharing, logger: logger.child({ component: 'http' }) }));
    const server = await listenNode(app, { port, hostname: '127.0.0.1' });
    return {
      url: server.url,
      baseUrl: auth.baseURL,
      port,
      auth,
      pool,
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
