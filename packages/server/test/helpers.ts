/**
 * The server's tests on the one test API (`@syncline/test-utils/stack`): the test schema plus a table with
 * every column kind, a table without an owner and a unique parent → child pair, and raw HTTP helpers.
 */
import { createLogger, type ErrorBody, type Logger } from '@syncline/errors';
import { applySchema } from '@syncline/postgres/migrate';
import { column, defineSchema, defineTable, type SynclineSchema, uniqueIndex } from '@syncline/schema';
import { signUp as signUpUser, testLogger, useTestDatabase } from '@syncline/test-utils';
import { testSchema as baseSchema, groups } from '@syncline/test-utils/schema';
import { startTestApi as startApi, TEST_SECRET, type TestApi } from '@syncline/test-utils/stack';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import type { AuthOptions, UploadLimits } from '../src/index.js';

export type { TestApi } from '@syncline/test-utils/stack';

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

/** Parent → child links between groups; each user's pairs are unique. */
export const groupHierarchy = defineTable(
  'group_hierarchy',
  {
    id: column.id(),
    parentGroupId: column
      .text()
      .notNull()
      .ref(() => groups),
    childGroupId: column
      .text()
      .notNull()
      .ref(() => groups),
    ownerId: column.owner(),
    createdAt: column.timestamp().notNull().defaultNow(),
  },
  { indexes: [uniqueIndex('uq_group_hierarchy_pair').on('parentGroupId', 'childGroupId')] },
);

/** The test schema plus the three tables above. */
export const testSchema = defineSchema({ ...baseSchema.definitions, groupHierarchy, samples, announcements });

export const SECRET = TEST_SECRET;

export interface TestApiOptions extends Partial<Omit<AuthOptions, 'pool' | 'baseURL'>> {
  schema?: SynclineSchema;
  limits?: UploadLimits;
  logger?: Logger;
}

/** The test API (Elysia, Node adapter) on a free port for {@link testSchema} (sync URL `http://127.0.0.1:8080`, user lookups at 5 a minute). */
export function startTestApi(databaseUrl: string, options: TestApiOptions = {}): Promise<TestApi> {
  const { schema = testSchema, logger = testLogger('api'), ...rest } = options;
  return startApi({
    databaseUrl,
    schema,
    logger,
    powersyncUrl: 'http://127.0.0.1:8080',
    lookupPerMinute: 5,
    ...rest,
  });
}

export interface TestUser {
  userId: string;
  email: string;
  /** The session token from the sign-up body (a bearer credential). */
  session: string;
}

/** Signs up a fresh user over HTTP (password `correct-horse-battery`). */
export async function signUp(url: string, name = 'user'): Promise<TestUser> {
  const user = await signUpUser(url, name, 'correct-horse-battery');
  return { userId: user.id, email: user.email, session: user.sessionToken };
}

/** What {@link useUploadApi} sets up; `api`, `alice` and `bob` are set in `beforeAll`. */
export interface UploadApiContext {
  readonly db: { readonly url: string; readonly name: string };
  /** The API's log, one parsed JSON line each. */
  readonly logLines: Record<string, unknown>[];
  api: TestApi;
  alice: TestUser;
  bob: TestUser;
}

/**
 * The upload tests' set-up: a fresh database (`name` its prefix) with {@link testSchema}, the test API logging JSON
 * lines at `level` into `logLines`, and two users signed up, alice and bob; the API stops after the file.
 *
 * @example
 * const t = useUploadApi('server_upload_batched');
 * it('uploads', async () => expect((await upload(t.api.url, t.alice.session, body)).status).toBe(200));
 */
export function useUploadApi(name: string, level: 'info' | 'debug' = 'debug'): UploadApiContext {
  const db = useTestDatabase(name);
  const logLines: Record<string, unknown>[] = [];
  const t = { db, logLines } as UploadApiContext;
  beforeAll(async () => {
    await applySchema(db.url, testSchema);
    const logger = createLogger({ format: 'json', level, write: (l) => logLines.push(JSON.parse(l)) });
    t.api = await startTestApi(db.url, { logger });
    t.alice = await signUp(t.api.url, 'alice');
    t.bob = await signUp(t.api.url, 'bob');
  });
  afterAll(async () => {
    await t.api?.stop();
  });
  return t;
}

/** GET /api/auth/token with a session token. */
export async function getJwt(url: string, session: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/token`, { headers: { authorization: `Bearer ${session}` } });
  if (res.status !== 200) throw new Error(`token failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

export interface UploadReply {
  status: number;
  /** The JSON answer: an error body on a rejection, `applied`/`replayed` on success (tests assert which). */
  body: ErrorBody & { applied?: number[]; replayed?: number[] };
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
  return { status: res.status, body: parsed as UploadReply['body'] };
}

/** Rows of a table, for checking what was (not) written. */
export async function rows(pool: pg.Pool, table: string, where = 'true', params: unknown[] = []) {
  const { rows } = await pool.query(
    `SELECT * FROM ${pg.escapeIdentifier(table)} WHERE ${where} ORDER BY id`,
    params,
  );
  return rows as Record<string, unknown>[];
}
