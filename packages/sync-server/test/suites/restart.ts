/**
 * Crash safety: the sync server runs as its own process (the CLI, reading a powersync.yaml with !env tags)
 * and is killed with SIGKILL mid-stream and mid-write. After a restart, clients reconnect and converge,
 * no change is lost, none is applied twice, and write-checkpoint ids keep increasing. Run once per SDK ×
 * connection method.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@syncline/postgres';
import {
  type ApiUser,
  type DeviceFactory,
  type SyncDevice,
  signUp,
  useTestDatabase,
  waitFor,
} from '@syncline/test-utils';
import type { TestApi } from '@syncline/test-utils/stack';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiUploaderFor,
  clientSchema,
  insertDocs,
  prepareDatabase,
  rulesWithMemberships,
  startApi,
} from '../stack.js';

/** Registers the kill -9 suite for devices opened by `openDevice`. */
export function restartSuite(openDevice: DeviceFactory): void {
  const db = useTestDatabase('restart');
  const bin = fileURLToPath(new URL('../../bin/syncline-sync-server.mjs', import.meta.url));
  let pool: pg.Pool;
  let api: TestApi;
  let dir: string;
  let port: number;
  let child: ChildProcess | null = null;
  let alice: ApiUser;
  const devices: SyncDevice[] = [];

  async function startProcess(): Promise<void> {
    const proc = spawn(process.execPath, [bin, '--config', join(dir, 'powersync.yaml')], {
      env: {
        ...process.env,
        PS_DATABASE_URL: db.url,
        PS_JWKS_URI: `${api.url}/api/auth/jwks`,
        PS_AUDIENCE: api.baseUrl,
        SYNCLINE_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let out = '';
    proc.stderr!.on('data', (d) => {
      out += d;
    });
    await new Promise<void>((resolve, reject) => {
      proc.stdout!.on('data', (d) => {
        if (String(d).includes('sync server ready')) resolve();
      });
      proc.once('exit', (code) => reject(new Error(`sync server exited (${code}): ${out}`)));
    });
  }

  function kill9(): Promise<void> {
    const proc = child!;
    child = null;
    return new Promise((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    });
  }

  const ids = async (d: SyncDevice, owner: string) =>
    (await d.all<{ id: string }>('SELECT id FROM documents WHERE owner_id = ? ORDER BY id', [owner])).map(
      (r) => r.id,
    );
  const pgIds = async (owner: string) =>
    (
      await pool.query<{ id: string }>(
        'SELECT id FROM documents WHERE owner_id = $1 ORDER BY id COLLATE "C"',
        [owner],
      )
    ).rows.map((r) => r.id);

  beforeAll(async () => {
    pool = await prepareDatabase(db.url);
    api = await startApi(db.url);
    alice = await signUp(api.url, 'alice');
    dir = await mkdtemp(join(tmpdir(), 'syncline-restart-'));
    port = await freePort();
    await writeFile(join(dir, 'sync_rules.yaml'), rulesWithMemberships);
    await writeFile(
      join(dir, 'powersync.yaml'),
      `replication:\n  connections:\n    - type: postgresql\n      uri: !env PS_DATABASE_URL\n      sslmode: disable\nclient_auth:\n  jwks_uri: !env PS_JWKS_URI\n  audience:\n    - !env PS_AUDIENCE\nport: ${port}\nsync_rules:\n  path: sync_rules.yaml\n`,
    );
    await insertDocs(pool, alice.id, 20_000, 'big-');
    await startProcess();
  }, 120_000);

  afterAll(async () => {
    for (const d of devices) await d.close();
    if (child) await kill9();
    await api?.stop();
    await pool?.end();
    await rm(dir, { recursive: true, force: true });
  });

  async function newDevice(name: string): Promise<SyncDevice> {
    const d = await openDevice({
      name,
      schema: clientSchema,
      credentials: async () => ({ endpoint: `http://127.0.0.1:${port}`, token: await alice.token() }),
      upload: apiUploaderFor(api, alice),
    });
    devices.push(d);
    await d.connect();
    return d;
  }

  describe('kill -9 and restart', () => {
    it('a client killed mid-download reconnects and converges; changes made while the server was down arrive; nothing doubles', async () => {
      const d = await newDevice('alice-crash');
      // Kill while the 20 000-row initial download is under way.
      await waitFor(
        () => d.db.currentStatus.dataFlowStatus.downloading === true || d.db.currentStatus.hasSynced === true,
        { timeout: 20_000, interval: 1 },
      );
      const midDownload = d.db.currentStatus.hasSynced !== true;
      await kill9();
      expect(midDownload, 'the kill should land before the first sync completes').toBe(true);
      await pool.query(`UPDATE documents SET title = 'changed while down' WHERE id IN ('big-1', 'big-2')`);
      await pool.query(`DELETE FROM documents WHERE id = 'big-3'`);
      await insertDocs(pool, alice.id, 50, 'down-');
      await startProcess();
      await d.until(async () => (await ids(d, alice.id)).length === (await pgIds(alice.id)).length, {
        timeout: 60_000,
        message: 'converged',
      });
      expect(await ids(d, alice.id)).toEqual(await pgIds(alice.id));
      const [row] = await d.all<{ title: string }>(`SELECT title FROM documents WHERE id = 'big-1'`);
      expect(row?.title).toBe('changed while down');
      expect(d.checksumFailures()).toEqual([]);
    }, 120_000);

    it('a kill right after a burst of writes loses nothing and applies nothing twice', async () => {
      const d = devices[0]!;
      const writes = (async () => {
        for (let i = 0; i < 40; i++)
          await pool.query(
            `INSERT INTO documents (id, title, content, owner_id, device_id) VALUES ($1, 'burst', 'c', $2, 's')`,
            [`burst-${i}`, alice.id],
          );
      })();
      await new Promise((r) => setTimeout(r, 15));
      await kill9();
      await writes;
      await startProcess();
      await d.until(async () => (await ids(d, alice.id)).length === (await pgIds(alice.id)).length, {
        timeout: 60_000,
        message: 'converged after burst',
      });
      expect(await ids(d, alice.id)).toEqual(await pgIds(alice.id));
      // Storage invariants: one current-row record per source row, and each row's newest op in its bucket is a PUT.
      const { rows } = await pool.query(`SELECT
        (SELECT count(*) FROM syncline.current_rows WHERE source_table = 'public.documents')::int AS tracked,
        (SELECT count(*) FROM documents)::int AS source,
        (SELECT sum(live_count) FROM syncline.bucket_state)::int AS live,
        (SELECT count(*) FROM syncline.current_rows)::int AS all_tracked`);
      expect(rows[0].tracked).toBe(rows[0].source);
      expect(rows[0].live).toBe(rows[0].all_tracked);
      expect(d.checksumFailures()).toEqual([]);
    }, 120_000);

    it('write-checkpoint ids keep increasing across a restart, and uploads still round-trip', async () => {
      const token = await alice.token();
      const get = async () => {
        const r = await fetch(`http://127.0.0.1:${port}/write-checkpoint2.json?client_id=c1`, {
          headers: { authorization: `Token ${token}` },
        });
        return BigInt(((await r.json()) as { data: { write_checkpoint: string } }).data.write_checkpoint);
      };
      const before = await get();
      expect(await get()).toBe(before + 1n);
      await kill9();
      await startProcess();
      expect(await get()).toBeGreaterThan(before + 1n);
      const d = devices[0]!;
      await d.db.execute(
        `INSERT INTO documents (id, title, content, device_id, created_at, updated_at) VALUES ('after-restart', 'shout:ok', 'c', 'x', ?, ?)`,
        [new Date().toISOString(), new Date().toISOString()],
      );
      await d.until(
        async () =>
          (await d.all<{ title: string }>(`SELECT title FROM documents WHERE id = 'after-restart'`))[0]
            ?.title === 'OK',
      );
      expect((await d.db.getUploadQueueStats()).count).toBe(0);
    }, 120_000);
  });
}
