/**
 * The client's tests on the one test stack (`@syncline/test-utils/stack`): the test schema, the test API behind
 * a fault proxy, the sync server, and devices built by @syncline/client's own database factory and connector
 * on `@powersync/node`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PowerSyncDatabase } from '@powersync/node';
import type { Logger } from '@syncline/errors';
import { applySchema } from '@syncline/postgres/migrate';
import { quietLogger, type WaitForOptions, waitFor } from '@syncline/test-utils';
import { testSchema as schema } from '@syncline/test-utils/schema';
import { type Stack, startStack as startTestStack } from '@syncline/test-utils/stack';
import pg from 'pg';
import { createSyncClient, type SyncClient, type SyncClientOptions } from '../src/index.js';

export type { Stack } from '@syncline/test-utils/stack';

export type TestClient = SyncClient<typeof schema>;

/** A logger that keeps every line (for assertions) and prints with SYNCLINE_TEST_LOG=1. */
export function recordingLogger(
  name: string,
  lines: { level: string; msg: string; fields?: object }[],
): Logger {
  const make = (bound: Record<string, unknown>): Logger => {
    const at =
      (level: string) =>
      (msg: string, fields?: Record<string, unknown>): void => {
        lines.push({ level, msg, fields: { ...bound, ...fields } });
        if (process.env.SYNCLINE_TEST_LOG) console.error(`[${name}] ${level} ${msg}`, fields ?? '');
      };
    return {
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      child: (f) => make({ ...bound, ...f }),
      level: 'debug',
    };
  };
  return make({});
}

/** The test schema + a log of every application of a write to `documents` (detects duplicates). */
export async function prepareDatabase(url: string): Promise<pg.Pool> {
  await applySchema(url, schema);
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  await pool.query(
    'CREATE TABLE IF NOT EXISTS apply_log (n bigserial PRIMARY KEY, id text, title text, op text)',
  );
  await pool.query(`CREATE OR REPLACE FUNCTION log_apply() RETURNS trigger AS $$
    BEGIN INSERT INTO apply_log (id, title, op) VALUES (NEW.id, NEW.title, TG_OP); RETURN NEW; END $$ LANGUAGE plpgsql`);
  await pool.query('DROP TRIGGER IF EXISTS log_apply ON documents');
  await pool.query(
    'CREATE TRIGGER log_apply AFTER INSERT OR UPDATE ON documents FOR EACH ROW EXECUTE FUNCTION log_apply()',
  );
  return pool;
}

/** Options of {@link startStack}. */
export interface StackOptions {
  /** JWT lifetime given to the API. Default: the API's (15 min). */
  jwtExpiresIn?: number | string;
}

/** The API (behind the fault proxy, restartable on its port) and the sync server for a prepared database. */
export function startStack(url: string, pool: pg.Pool, options: StackOptions = {}): Promise<Stack> {
  return startTestStack({
    databaseUrl: url,
    pool,
    applySchema: false,
    proxy: true,
    api: options.jwtExpiresIn !== undefined ? { expiresIn: options.jwtExpiresIn } : true,
    logger: quietLogger,
  });
}

/** A device: a @syncline/client on its own SQLite file, recording SDK warnings and client logs. */
export interface Device {
  name: string;
  client: TestClient;
  /** The session the device's auth source hands out; set it to sign in as someone else. */
  session: { token: string | null };
  sdkWarnings: string[];
  logs: { level: string; msg: string; fields?: object }[];
  checksumFailures(): string[];
  /** Rows of a query on the device. */
  all<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  until(predicate: () => Promise<boolean> | boolean, options?: WaitForOptions): Promise<void>;
  close(): Promise<void>;
}

/** Opens a device with the client under test and connects it. */
export async function openDevice(
  name: string,
  stack: Stack,
  sessionToken: string | null,
  overrides: Partial<SyncClientOptions<typeof schema>> = {},
): Promise<Device> {
  const dir = await mkdtemp(join(tmpdir(), 'syncline-client-'));
  const sdkWarnings: string[] = [];
  const logs: Device['logs'] = [];
  const session = { token: sessionToken };
  const client = createSyncClient({
    schema,
    apiUrl: stack.apiUrl,
    auth: { getSessionToken: () => session.token },
    openDatabase: (o) =>
      new PowerSyncDatabase({
        schema: o.schema,
        database: { dbFilename: `${name.replace(/\W/g, '_')}.db`, dbLocation: dir },
        logger: {
          log: (r) => {
            if (r.level < 40) return;
            const err = r.error as { message?: string } | undefined;
            sdkWarnings.push(`${r.message}${err ? ` ${err.message ?? String(err)}` : ''}`);
          },
        },
      }),
    sync: { retryDelayMs: 200, crudUploadThrottleMs: 0 },
    upload: { backoffMaxMs: 1000 },
    logger: recordingLogger(name, logs),
    ...overrides,
  });
  const device: Device = {
    name,
    client,
    session,
    sdkWarnings,
    logs,
    checksumFailures: () => sdkWarnings.filter((w) => /checksum/i.test(w)),
    all: async (sql, params = []) => (await client.powersync.getAll(sql, params)) as never,
    until: (predicate, options = {}) =>
      waitFor(predicate, {
        timeout: 20_000,
        ...options,
        message: `${name}: ${options.message ?? 'condition'}`,
      }).then(() => undefined),
    async close() {
      await client.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
  if (sessionToken !== null) await client.connect();
  else await client.init();
  return device;
}

/** A document row as the device writes it (owner left empty: the API sets it from the token). */
export function newDoc(id: string, title: string, extra: Record<string, unknown> = {}) {
  const now = new Date().toISOString();
  return {
    id,
    title,
    content: `content of ${title}`,
    deviceId: 'test',
    createdAt: now,
    updatedAt: now,
    ...extra,
  };
}

/** Rows of `documents` in Postgres for these ids. */
export async function pgDocs(
  pool: pg.Pool,
  ids: string[],
): Promise<{ id: string; title: string; owner_id: string }[]> {
  const { rows } = await pool.query(
    'SELECT id, title, owner_id FROM documents WHERE id = ANY($1) ORDER BY id',
    [ids],
  );
  return rows;
}

/** The `sub` of a JWT (tests only). */
export function subOf(token: string | null): string | null {
  if (!token) return null;
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    return (JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as { sub?: string }).sub ?? null;
  } catch {
    return null;
  }
}
