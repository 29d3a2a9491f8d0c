import type { Logger } from '@syncline/errors';
import { schema as notesSchema } from '@syncline/example-notes/schema';
import { freePort } from '@syncline/postgres';
import { column, defineSchema, defineTable, type SynclineSchema } from '@syncline/schema';
import { testLogger } from '@syncline/test-utils';
import { Elysia } from 'elysia';
import pg from 'pg';
import { listenNode, node, synclinePlugin } from '../src/elysia/index.js';
import {
  type AuthOptions,
  createAuth,
  createConfigHandler,
  createUploadHandler,
  createUserLookupHandler,
  type SynclineAuth,
  type UploadLimits,
} from '../src/index.js';

/** A table with every column kind, for codec tests. */
export const samples = defineTable('samples', {
  id: column.id(),
  ownerId: column.owner(),
  title: column.text(),
  flag: column.boolean(),
  happenedAt: column.timestamp(),
  meta: column.json(),
  score: column.real(),
  count: column.integer(),
});

/** A synced table without an owner column: clients may not write it. */
export const announcements = defineTable('announcements', { id: column.id(), body: column.text() });

/** The notes schema plus the two test tables. */
export const testSchema = defineSchema({ ...notesSchema.definitions, samples, announcements });

export const SECRET = 'test-secret-0123456789abcdef-0123456789abcdef';

export interface TestApi {
  url: string;
  auth: SynclineAuth;
  pool: pg.Pool;
  stop(): Promise<void>;
}

export interface TestApiOptions extends Partial<Omit<AuthOptions, 'pool' | 'baseURL'>> {
  schema?: SynclineSchema;
  limits?: UploadLimits;
  logger?: Logger;
}

/** The API on Elysia (Node adapter) on a free port, with real BetterAuth and Postgres. */
export async function startTestApi(databaseUrl: string, options: TestApiOptions = {}): Promise<TestApi> {
  const { schema = testSchema, limits, logger, ...authOptions } = options;
  const port = await freePort();
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 5 });
  const auth = createAuth({
    pool,
    baseURL: `http://127.0.0.1:${port}`,
    secret: SECRET,
    logger: logger ?? testLogger('auth'),
    ...authOptions,
  });
  await auth.ready();
  const upload = createUploadHandler({ schema, pool, auth, limits, logger: logger ?? testLogger('upload') });
  const config = createConfigHandler({
    auth,
    powersyncUrl: 'http://127.0.0.1:8080',
    logger: testLogger('config'),
  });
  const sharing = createUserLookupHandler({ auth, perMinute: 5, logger: testLogger('sharing') });
  const app = new Elysia({ adapter: node() }).use(synclinePlugin({ auth, config, upload, sharing }));
  const server = await listenNode(app, { port });
  return {
    url: server.url,
    auth,
    pool,
    async stop() {
      await server.stop();
      await pool.end();
    },
  };
}

export interface TestUser {
  userId: string;
  email: string;
  /** The session token from the sign-up body (a bearer credential). */
  session: string;
}

let counter = 0;

/** Signs up a fresh user over HTTP. */
export async function signUp(url: string, name = 'user'): Promise<TestUser> {
  const email = `${name}-${process.pid}-${Date.now()}-${counter++}@example.test`;
  const res = await fetch(`${url}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'correct-horse-battery', name }),
  });
  if (res.status !== 200) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { token: string; user: { id: string } };
  return { userId: body.user.id, email, session: body.token };
}

/** GET /api/auth/token with a session token. */
export async function getJwt(url: string, session: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/token`, { headers: { authorization: `Bearer ${session}` } });
  if (res.status !== 200) throw new Error(`token failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

export interface UploadReply {
  status: number;
  body: any;
}

/** PUT /api/powersync/upload with a JSON body (or raw text) and a bearer token. */
export async function upload(url: string, token: string | undefined, body: unknown): Promise<UploadReply> {
  const res = await fetch(`${url}/api/powersync/upload`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: res.status, body: parsed };
}

/** Rows of a table, for checking what was (not) written. */
export async function rows(pool: pg.Pool, table: string, where = 'true', params: unknown[] = []) {
  const { rows } = await pool.query(
    `SELECT * FROM ${pg.escapeIdentifier(table)} WHERE ${where} ORDER BY id`,
    params,
  );
  return rows as Record<string, any>[];
}
