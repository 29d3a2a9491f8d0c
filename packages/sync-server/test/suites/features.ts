/**
 * Protocol features beyond plain syncing, driven through an official SDK's own API: Sync Streams
 * subscriptions (`db.syncStream(name, params).subscribe({ ttl, priority })`), bucket priorities with
 * `partial_checkpoint_complete`, and checkpoint requests (`checkpointMode: 'requests'`). Every test fails on
 * a checksum warning. Run once per SDK × connection method.
 */
import type { AbstractPowerSyncDatabase } from '@powersync/common';
import { applySchema } from '@syncline/postgres/migrate';
import { startTestJwks, type TestJwks, useTestDatabase } from '@syncline/test-utils';
import { testSchema as schema } from '@syncline/test-utils/schema';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSyncServer, type SyncServer } from '../../src/index.js';
import { clientSchema, quietLogger, type StreamTransport, streamsByTransport } from '../stack.js';
import type { FeatureDevice, FeatureDeviceFactory } from './feature-device.js';

/** Edition-3 streams: urgent projects (priority 0), a large default stream, a parameterised one. */
export const FEATURE_RULES = `config:
  edition: 3
streams:
  my_projects:
    auto_subscribe: true
    priority: 0
    query: SELECT * FROM projects WHERE owner_id = auth.user_id()
  my_documents:
    auto_subscribe: true
    query: SELECT * FROM documents WHERE owner_id = auth.user_id() AND project_id IS NULL
  project_documents:
    query: SELECT * FROM documents WHERE project_id = subscription.parameter('project') AND owner_id = auth.user_id()
`;

const BIG = 30_000;

/** `promise`, or a failure naming what did not happen within `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Registers the feature suite for devices opened by `open`, whose streams must use `transport`. */
export function featuresSuite(open: FeatureDeviceFactory, transport: StreamTransport): void {
  const db = useTestDatabase('features');
  let pool: pg.Pool;
  let jwks: TestJwks;
  let server: SyncServer;
  const devices: FeatureDevice[] = [];
  const count = async (d: FeatureDevice, where: string, table = 'documents') =>
    Number((await d.all<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE ${where}`))[0]!.n);

  beforeAll(async () => {
    await applySchema(db.url, schema);
    pool = new pg.Pool({ connectionString: db.url, max: 3 });
    const docs = (user: string, n: number, prefix: string, project: string | null) =>
      pool.query(
        `INSERT INTO documents (id, title, content, owner_id, project_id, device_id)
         SELECT $1 || g, 'Doc ' || g, repeat('x', 100), $2, $3, 'server' FROM generate_series(1, $4) g`,
        [prefix, user, project, n],
      );
    await docs('u-sub', 50, 'p1-', 'p1');
    await docs('u-sub', 20, 'p2-', 'p2');
    await docs('u-prio', BIG, 'big-', null);
    await pool.query(
      `INSERT INTO projects (id, name, owner_id) SELECT 'urgent-' || g, 'Urgent ' || g, 'u-prio' FROM generate_series(1, 5) g`,
    );
    jwks = await startTestJwks();
    server = createSyncServer({
      databaseUrl: db.url,
      syncRules: FEATURE_RULES,
      auth: { jwksUri: jwks.url, audience: jwks.audience },
      port: 0,
      managePublication: true,
      keepaliveSeconds: 1, // the client re-checks subscription TTLs on every keepalive
      logger: quietLogger as never,
    });
    await server.start();
  }, 120_000);

  afterEach(() => {
    for (const d of devices) expect(d.checksumFailures(), `${d.name} reported checksum failures`).toEqual([]);
  });

  afterAll(async () => {
    for (const d of devices) await d.close();
    await server?.stop();
    await jwks?.stop();
    await pool?.end();
  });

  async function device(
    name: string,
    user: string,
    extra: { upload?: (db: AbstractPowerSyncDatabase) => Promise<void>; requests?: boolean } = {},
  ): Promise<FeatureDevice> {
    const d = await open({
      name,
      schema: clientSchema,
      credentials: async () => ({ endpoint: server.url, token: await jwks.sign(user) }),
      ...(extra.upload ? { upload: extra.upload } : {}),
      ...(extra.requests ? { connectOptions: { checkpointMode: 'requests' } } : {}),
    });
    devices.push(d);
    return d;
  }

  /** Applies uploaded documents to Postgres as `user` (what an app's upload endpoint does). */
  const uploadAs =
    (user: string, gate: Promise<void> = Promise.resolve()) =>
    async (db: AbstractPowerSyncDatabase) => {
      await gate;
      for (let tx = await db.getNextCrudTransaction(); tx; tx = await db.getNextCrudTransaction()) {
        for (const op of tx.crud) {
          const d = op.opData ?? {};
          await pool.query(
            `INSERT INTO documents (id, title, content, owner_id, project_id, device_id) VALUES ($1, upper($2), $3, $4, $5, 'client')
             ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, content = EXCLUDED.content`,
            [op.id, d.title ?? null, d.content ?? '', user, d.project_id ?? null],
          );
        }
        await tx.complete();
      }
    };

  describe('sync stream subscriptions', () => {
    it('subscribing with parameters brings the stream’s data and resolves its first sync; after unsubscribe the data leaves when the TTL expires', async () => {
      const d = await device('subscriber', 'u-sub');
      await d.connect();
      await d.db.waitForFirstSync();
      expect(await count(d, "project_id = 'p1'")).toBe(0);
      const sub = await d.subscribe('project_documents', { project: 'p1' }, { ttl: 2 });
      await within(sub.waitForFirstSync(), 15_000, 'the subscription’s first sync');
      expect(await count(d, "project_id = 'p1'")).toBe(50);
      expect(await count(d, "project_id = 'p2'")).toBe(0);
      expect(await d.streamState('project_documents', { project: 'p1' })).toMatchObject({
        active: true,
        hasSynced: true,
        hasExplicitSubscription: true,
      });
      await pool.query(
        `INSERT INTO documents (id, content, owner_id, project_id, device_id) VALUES ('p1-live', 'c', 'u-sub', 'p1', 's')`,
      );
      await d.until(async () => (await count(d, "project_id = 'p1'")) === 51, { message: 'live change' });
      const unsubscribedAt = Date.now();
      await sub.unsubscribe();
      await new Promise((r) => setTimeout(r, 500));
      expect(await count(d, "project_id = 'p1'"), 'kept while the TTL runs').toBe(51);
      await d.until(async () => (await count(d, "project_id = 'p1'")) === 0, {
        timeout: 20_000,
        message: 'data left after the TTL',
      });
      // The client extends a subscription's expiry on every keepalive (1 s here) while it is active, so
      // the 2 s TTL runs from the last keepalive before the unsubscribe: at least ~0.9 s after it.
      expect(Date.now() - unsubscribedAt).toBeGreaterThanOrEqual(900);
      expect(await d.streamState('project_documents', { project: 'p1' })).toBeNull();
    }, 60_000);

    it('a subscription’s priority override applies to its buckets, and an unknown stream is reported to the client', async () => {
      const d = await device('overrides', 'u-sub');
      await d.connect();
      const sub = await d.subscribe('project_documents', { project: 'p2' }, { priority: 0 });
      await within(sub.waitForFirstSync(), 15_000, 'the subscription’s first sync');
      expect(await count(d, "project_id = 'p2'")).toBe(20);
      expect((await d.streamState('project_documents', { project: 'p2' }))?.priority).toBe(0);
      await d.subscribe('no_such_stream', { x: 1 });
      await d.until(() => d.warnings.some((w) => /no_such_stream/.test(w) && /no stream named/.test(w)), {
        message: 'warning about the unknown stream',
      });
      await sub.unsubscribe();
    }, 60_000);
  });

  describe('priorities', () => {
    it('priority-0 data is visible before a large lower-priority bucket finishes, and while a local upload is pending', async () => {
      let release!: () => void;
      const gate = new Promise<void>((r) => {
        release = r;
      });
      const d = await device('prioritised', 'u-prio', { upload: uploadAs('u-prio', gate) });
      await d.db.execute(
        `INSERT INTO documents (id, title, content, owner_id, device_id) VALUES ('local-1', 'local', 'c', 'u-prio', 'dev')`,
      );
      const urgentSynced = d.watchPrioritySynced(0);
      await d.connect();
      const at = await within(urgentSynced, 20_000, 'priority 0 syncing');
      expect(at.hasSynced, 'priority 0 synced before the whole checkpoint').toBe(false);
      expect(at.downloadedOperations).toBeLessThan(at.totalOperations);
      await d.until(async () => (await count(d, '1 = 1', 'projects')) === 5, { message: 'urgent projects' });
      expect((await d.db.getUploadQueueStats()).count, 'the upload is still pending').toBe(1);
      expect(await count(d, "id LIKE 'big-%'"), 'lower priorities wait for the upload').toBe(0);
      // Live: new urgent data still shows while the upload is pending; other data waits.
      await pool.query(`INSERT INTO projects (id, name, owner_id) VALUES ('urgent-live', 'U', 'u-prio')`);
      await pool.query(
        `INSERT INTO documents (id, content, owner_id, device_id) VALUES ('big-live', 'c', 'u-prio', 's')`,
      );
      await d.until(async () => (await count(d, "id = 'urgent-live'", 'projects')) === 1, {
        message: 'live urgent change while the upload is pending',
      });
      expect(await count(d, "id = 'big-live'")).toBe(0);
      release();
      await d.until(async () => (await count(d, "id LIKE 'big-%'")) === BIG + 1, {
        timeout: 30_000,
        message: 'everything after the upload',
      });
      expect((await d.db.getUploadQueueStats()).count).toBe(0);
      expect(
        (await d.all<{ title: string }>(`SELECT title FROM documents WHERE id = 'local-1'`))[0]?.title,
      ).toBe('LOCAL');
    }, 90_000);
  });

  describe('checkpoint requests', () => {
    it("with checkpointMode 'requests' an upload is acknowledged through /sync/checkpoint-request and requestCheckpoint() resolves", async () => {
      const metric = async (name: string) =>
        Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(await server.metrics())![1]);
      const legacyBefore = await metric('syncline_write_checkpoints_total');
      const requestsBefore = await metric('syncline_checkpoint_requests_total');
      const d = await device('requests', 'u-req', { upload: uploadAs('u-req'), requests: true });
      await d.connect();
      await d.db.waitForFirstSync();
      await d.db.execute(
        `INSERT INTO documents (id, title, content, owner_id, device_id) VALUES ('req-1', 'hello', 'c', 'u-req', 'dev')`,
      );
      await d.until(
        async () =>
          (await d.all<{ title: string }>(`SELECT title FROM documents WHERE id = 'req-1'`))[0]?.title ===
            'HELLO' && (await d.db.getUploadQueueStats()).count === 0,
        { message: 'server version after the upload' },
      );
      await within(d.requestCheckpointAndWait(), 15_000, 'the requested checkpoint syncing');
      expect(await metric('syncline_checkpoint_requests_total')).toBeGreaterThan(requestsBefore);
      expect(await metric('syncline_write_checkpoints_total'), 'legacy endpoint unused').toBe(legacyBefore);
    }, 60_000);
  });

  describe('transport', () => {
    it(`every stream of the suite was served over ${transport}`, async () => {
      const counts = await streamsByTransport(server);
      expect(counts[transport]).toBeGreaterThanOrEqual(4);
      for (const [t, n] of Object.entries(counts)) if (t !== transport) expect(n, t).toBe(0);
    });
  });
}
