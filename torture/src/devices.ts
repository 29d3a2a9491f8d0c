/**
 * Devices: the real `@syncline/client` on the official `@powersync/node` SDK, each with its own SQLite
 * file, writing through the API (uploads) and reading through the sync server, like an app would.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PowerSyncDatabase } from '@powersync/node';
import { createSyncClient, type SyncClient } from '@syncline/client';
import { quietLogger } from '@syncline/test-utils';
import { schema } from './model.js';
import { type Rng, sleep } from './random.js';
import type { User, World } from './world.js';

export interface DeviceStats {
  ops: number;
  /** Ids of `document_versions` rows this device created (each must reach Postgres unless rejected). */
  versions: string[];
  /** Rows seen on the device whose owner is outside the user's realm (must stay 0). */
  foreign: number;
  foreignSamples: string[];
}

export class Device {
  readonly stats: DeviceStats = { ops: 0, versions: [], foreign: 0, foreignSamples: [] };
  readonly warnings: string[] = [];

  private constructor(
    readonly name: string,
    readonly user: User,
    readonly client: SyncClient<typeof schema>,
    private readonly dir: string,
  ) {}

  /** Opens and connects a device for `user` against the API at `apiUrl`. */
  static async open(name: string, user: User, apiUrl: string): Promise<Device> {
    const dir = await mkdtemp(join(tmpdir(), 'syncline-torture-device-'));
    const warnings: string[] = [];
    const client = createSyncClient({
      schema,
      apiUrl,
      auth: { getSessionToken: () => user.api.sessionToken },
      openDatabase: (o) =>
        new PowerSyncDatabase({
          schema: o.schema,
          database: { dbFilename: `${name}.db`, dbLocation: dir },
          logger: {
            log: (r) => {
              if (r.level < 40) return;
              const err = r.error as { message?: string } | undefined;
              warnings.push(
                `${new Date().toISOString()} ${r.message}${err ? ` ${err.message ?? String(err)}` : ''}`,
              );
            },
          },
        }),
      sync: { retryDelayMs: 300, crudUploadThrottleMs: 50 },
      upload: { backoffMaxMs: 2000 },
      logger: quietLogger,
    });
    const device = new Device(name, user, client, dir);
    (device as { warnings: string[] }).warnings = warnings;
    await client.connect();
    return device;
  }

  all<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.client.powersync.getAll<T>(sql, params);
  }

  /** Checksum failures the SDK reported (each one is a protocol bug). */
  checksumFailures(): string[] {
    return this.warnings.filter((w) => /checksum/i.test(w));
  }

  private async pickOwn(table: 'documents' | 'projects', rng: Rng): Promise<string | null> {
    const [{ n } = { n: 0 }] = await this.all<{ n: number }>(
      `SELECT count(*) AS n FROM ${table} WHERE owner_id = ?`,
      [this.user.id],
    );
    if (!n) return null;
    return (
      (
        await this.all<{ id: string }>(
          `SELECT id FROM ${table} WHERE owner_id = ? ORDER BY id LIMIT 1 OFFSET ?`,
          [this.user.id, rng.int(0, n - 1)],
        )
      )[0]?.id ?? null
    );
  }

  /** One random local write (uploaded by the SDK in the background). */
  async step(rng: Rng): Promise<void> {
    const now = new Date().toISOString();
    const kind = rng.weighted({ insert: 35, update: 25, remove: 8, version: 25, multi: 7 });
    const db = this.client.powersync;
    const insertDoc = async (tx: { execute: typeof db.execute }) => {
      const project = rng.chance(0.8) ? await this.pickOwn('projects', rng) : null;
      await tx.execute(
        'INSERT INTO documents (id, title, content, owner_id, project_id, device_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [rng.uuid(), rng.text(5, 40), rng.text(20, 400), this.user.id, project, this.name, now, now],
      );
    };
    const version = async (tx: { execute: typeof db.execute }) => {
      const id = rng.uuid();
      await tx.execute(
        'INSERT INTO document_versions (id, document_id, owner_id, title, content, version, device_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [
          id,
          (await this.pickOwn('documents', rng)) ?? rng.uuid(),
          this.user.id,
          'v',
          rng.text(10, 200),
          rng.int(1, 99),
          this.name,
          now,
        ],
      );
      this.stats.versions.push(id);
    };
    if (kind === 'insert') await insertDoc(db);
    else if (kind === 'version') await version(db);
    else if (kind === 'update') {
      const id = await this.pickOwn('documents', rng);
      if (id)
        await db.execute('UPDATE documents SET title = ?, content = ?, updated_at = ? WHERE id = ?', [
          rng.text(5, 40),
          rng.text(20, 400),
          now,
          id,
        ]);
    } else if (kind === 'remove') {
      const id = await this.pickOwn('documents', rng);
      if (id) await db.execute('DELETE FROM documents WHERE id = ?', [id]);
    } else {
      // several writes in one local transaction (one client transaction on the wire)
      const pending: string[] = [];
      await db.writeTransaction(async (tx) => {
        for (let i = rng.int(2, 5); i > 0; i--) {
          if (rng.chance(0.5)) await insertDoc(tx);
          else {
            const id = rng.uuid();
            await tx.execute(
              'INSERT INTO document_versions (id, document_id, owner_id, title, content, version, device_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
              [id, rng.uuid(), this.user.id, 'm', rng.text(10, 100), 1, this.name, now],
            );
            pending.push(id);
          }
        }
      });
      this.stats.versions.push(...pending);
    }
    this.stats.ops++;
  }

  /** Writes at random until `signal` aborts. */
  async run(rng: Rng, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.step(rng);
      } catch (e) {
        this.warnings.push(`local write failed: ${(e as Error).message}`);
      }
      await sleep(rng.int(80, 700), signal);
    }
  }

  /** Looks for rows the device may never hold (owners from another realm). */
  async sampleForeign(world: World): Promise<void> {
    const rows = await this.all<{ t: string; id: string; owner_id: string }>(
      `SELECT 'projects' AS t, id, owner_id FROM projects UNION ALL SELECT 'documents', id, owner_id FROM documents
       UNION ALL SELECT 'document_versions', id, owner_id FROM document_versions`,
    );
    for (const r of rows) {
      if (world.realmOf(r.owner_id) !== this.user.realm) {
        this.stats.foreign++;
        if (this.stats.foreignSamples.length < 5)
          this.stats.foreignSamples.push(`${r.t}/${r.id} owner ${r.owner_id}`);
      }
    }
  }

  async pendingUploads(): Promise<number> {
    const [r] = await this.all<{ n: number }>('SELECT count(*) AS n FROM ps_crud');
    return Number(r?.n ?? 0);
  }

  async close(): Promise<void> {
    await this.client.close().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}
