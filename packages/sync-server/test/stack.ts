/**
 * The sync server's tests on the one test stack (`@syncline/test-utils/stack`): the test schema plus a
 * membership bucket and a rewriting trigger, the test API, the sync server in-process.
 */
import { applySchema } from '@syncline/postgres/migrate';
import { toSyncRules } from '@syncline/schema';
import {
  type ApiUser,
  apiUploader,
  type DeviceFactory,
  quietLogger,
  type SyncDevice,
} from '@syncline/test-utils';
import { testSchema as schema } from '@syncline/test-utils/schema';
import { clientSchemaOf, startTestApi, startTestSync, type TestApi } from '@syncline/test-utils/stack';
import pg from 'pg';
import type { SyncServer, SyncServerOptions } from '../src/index.js';

export const clientSchema = clientSchemaOf(schema);

/** The test schema's rules plus a membership-based bucket: group members see the group. */
export const rulesWithMemberships = toSyncRules(schema, {
  extraBuckets: {
    shared_groups: {
      parameters: 'SELECT group_id FROM group_members WHERE user_id = request.user_id()',
      data: ['SELECT * FROM groups WHERE id = bucket.group_id'],
    },
  },
});

export { quietLogger };

export async function prepareDatabase(url: string): Promise<pg.Pool> {
  await applySchema(url, schema);
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  await pool.query(
    'CREATE TABLE IF NOT EXISTS group_members (id text PRIMARY KEY, group_id text NOT NULL, user_id text NOT NULL)',
  );
  // Server-side rewrite, to prove the client ends up holding the server's version of its own write.
  await pool.query(`CREATE OR REPLACE FUNCTION shout() RETURNS trigger AS $$
    BEGIN IF NEW.title LIKE 'shout:%' THEN NEW.title := upper(substr(NEW.title, 7)); END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
  await pool.query('DROP TRIGGER IF EXISTS shout ON documents');
  await pool.query(
    'CREATE TRIGGER shout BEFORE INSERT OR UPDATE ON documents FOR EACH ROW EXECUTE FUNCTION shout()',
  );
  return pool;
}

export function startApi(url: string, syncUrl = 'http://127.0.0.1:1'): Promise<TestApi> {
  return startTestApi({ databaseUrl: url, powersyncUrl: syncUrl });
}

/** The sync server in-process with the membership rules, verifying `api`'s tokens. */
export async function startSync(
  url: string,
  api: TestApi,
  extra: Partial<SyncServerOptions> = {},
): Promise<SyncServer> {
  const sync = await startTestSync({
    databaseUrl: url,
    syncRules: rulesWithMemberships,
    auth: { jwksUri: `${api.url}/api/auth/jwks`, audience: api.baseUrl },
    port: 0,
    managePublication: true,
    options: extra,
  });
  return sync.server as SyncServer;
}

/** Opens and connects a device of `user` with `open` (node or browser, HTTP or WebSocket). */
export async function device(
  open: DeviceFactory,
  name: string,
  user: ApiUser,
  api: TestApi,
  server: () => SyncServer,
): Promise<SyncDevice> {
  const d = await open({
    name,
    schema: clientSchema,
    credentials: async () => ({ endpoint: server().url, token: await user.token() }),
    upload: apiUploader(api.url, user),
  });
  await d.connect();
  return d;
}

export async function insertDocs(pool: pg.Pool, owner: string, count: number, prefix: string): Promise<void> {
  await pool.query(
    `INSERT INTO documents (id, title, content, owner_id, device_id)
     SELECT $1 || g, 'Doc ' || g, repeat('x', 100), $2, 'server' FROM generate_series(1, $3) g`,
    [prefix, owner, count],
  );
}

/** The API uploader bound to a running API. */
export function apiUploaderFor(api: TestApi, user: ApiUser) {
  return apiUploader(api.url, user);
}

/** How a stream reached the server (the `transport` label of `syncline_streams_opened_by_transport_total`). */
export type StreamTransport = 'http-ndjson' | 'http-bson' | 'websocket';

/** Streams the server has opened, per transport (from its Prometheus metrics). */
export async function streamsByTransport(server: SyncServer): Promise<Record<StreamTransport, number>> {
  const text = await server.metrics();
  const counts = { 'http-ndjson': 0, 'http-bson': 0, websocket: 0 };
  for (const m of text.matchAll(
    /^syncline_streams_opened_by_transport_total\{transport="([^"]+)"\} (\d+)$/gm,
  ))
    counts[m[1] as StreamTransport] = Number(m[2]);
  return counts;
}
