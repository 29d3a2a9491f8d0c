/**
 * Devices: the real `@syncline/client` on the official `@powersync/node` SDK, each with its own SQLite
 * file, writing through the API (uploads) and reading through the sync server, like an app would — own rows,
 * rows shared with them (an editor's edit lands, a viewer's is rejected), and shares of their own projects
 * granted, changed and revoked through `project_members`, the way the notes app does it.
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
  /** Edits of documents owned by another user (shared with this one), shares granted or changed, revoked. */
  sharedEdits: number;
  shares: number;
  unshares: number;
  foreignSamples: string[];
}

export class Device {
  readonly stats: DeviceStats = {
    ops: 0,
    versions: [],
    foreign: 0,
    foreignSamples: [],
    sharedEdits: 0,
    shares: 0,
    unshares: 0,
  };
  readonly warnings: string[] = [];
  /** The SDK's last log lines at every level (for the diagnosis of a device that does not catch up). */
  readonly recent: string[] = [];

  private constructor(
    readonly name: string,
    readonly user: User,
    readonly client: SyncClient<typeof schema>,
    private readonly dir: string,
    /** Users of the same realm this device may share its user's projects with. */
    private readonly peers: User[],
  ) {}

  /** Opens and connects a device for `user` against the API at `apiUrl`. */
  static async open(name: string, user: User, apiUrl: string, peers: User[]): Promise<Device> {
    const dir = await mkdtemp(join(tmpdir(), 'syncline-torture-device-'));
    const warnings: string[] = [];
    const recent: string[] = [];
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
              const err = r.error as { message?: string } | undefined;
              const line = `${new Date().toISOString()} [${r.level}] ${r.message}${err ? ` ${err.message ?? String(err)}` : ''}`;
              recent.push(line);
              if (recent.length > 400) recent.splice(0, 100);
              if (r.level >= 40) warnings.push(line);
            },
          },
        }),
      sync: { retryDelayMs: 300, crudUploadThrottleMs: 50 },
      upload: { backoffMaxMs: 2000 },
      logger: quietLogger,
    });
    const device = new Device(
      name,
      user,
      client,
      dir,
      peers.filter((p) => p.id !== user.id),
    );
    (device as { warnings: string[] }).warnings = warnings;
    (device as { recent: string[] }).recent = recent;
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

  /** A random id among the rows `sql` selects (one column, `id`), or null when there are none. */
  private async pick(rng: Rng, sql: string, params: unknown[] = []): Promise<string | null> {
    const [{ n } = { n: 0 }] = await this.all<{ n: number }>(`SELECT count(*) AS n FROM (${sql})`, params);
    if (!n) return null;
    const [row] = await this.all<{ id: string }>(`${sql} ORDER BY id LIMIT 1 OFFSET ?`, [
      ...params,
      rng.int(0, n - 1),
    ]);
    return row?.id ?? null;
  }

  /** A random row of the table the user owns, or (`anyone`) any the device holds — shared ones too. */
  private pickRow(table: 'documents' | 'projects', rng: Rng, anyone = false): Promise<string | null> {
    return anyone
      ? this.pick(rng, `SELECT id FROM ${table}`)
      : this.pick(rng, `SELECT id FROM ${table} WHERE owner_id = ?`, [this.user.id]);
  }

  /** One random local write (uploaded by the SDK in the background). */
  async step(rng: Rng): Promise<void> {
    const now = new Date().toISOString();
    const kind = rng.weighted({
      insert: 32,
      update: 24,
      remove: 8,
      version: 22,
      multi: 7,
      share: 5,
      unshare: 2,
    });
    const db = this.client.powersync;
    const insertDoc = async (tx: { execute: typeof db.execute }) => {
      // Into an own project, or one shared with the user (a viewer's insert is rejected).
      const project = rng.chance(0.8) ? await this.pickRow('projects', rng, rng.chance(0.3)) : null;
      await tx.execute(
        'INSERT INTO documents (id, title, content, owner_id, project_id, device_id, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)',
        [rng.uuid(), rng.text(5, 40), rng.text(20, 400), this.user.id, project, this.name, now, now],
      );
    };
    const version = async (tx: { execute: typeof db.execute }) => {
      const id = rng.uuid();
      await tx.execute(
        'INSERT INTO document_versions (id, document_id, owner_id, title, content, version, device_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [
          id,
          (await this.pickRow('documents', rng)) ?? rng.uuid(),
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
      // An own document or one shared with the user, at the next version, as the notes app edits (an edit on
      // a stale version, a viewer's edit or one after a revoke is rejected).
      const id = await this.pickRow('documents', rng, rng.chance(0.4));
      if (!id) return;
      const [row] = await this.all<{ o: string | null }>('SELECT owner_id AS o FROM documents WHERE id = ?', [
        id,
      ]);
      if (row?.o && row.o !== this.user.id) this.stats.sharedEdits++;
      await db.execute(
        'UPDATE documents SET title = ?, content = ?, version = version + 1, updated_at = ? WHERE id = ?',
        [rng.text(5, 40), rng.text(20, 400), now, id],
      );
    } else if (kind === 'share') {
      // Share an own project with a peer as viewer or editor, or change the role of an existing share (one
      // row per pair, as the notes app writes it). A project whose owner changed meanwhile is rejected.
      const project = await this.pickRow('projects', rng);
      const peer = this.peers.length ? rng.pick(this.peers) : null;
      if (!project || !peer) return;
      const role = rng.pick(['viewer', 'editor'] as const);
      const id = `${project}.${peer.id}`;
      await db.writeTransaction(async (tx) => {
        const existing = await tx.getOptional('SELECT id FROM project_members WHERE id = ?', [id]);
        if (existing) await tx.execute('UPDATE project_members SET role = ? WHERE id = ?', [role, id]);
        else
          await tx.execute(
            'INSERT INTO project_members (id, project_id, user_id, email, role, owner_id, created_at) VALUES (?, ?, ?, NULL, ?, ?, ?)',
            [id, project, peer.id, role, this.user.id, now],
          );
      });
      this.stats.shares++;
    } else if (kind === 'unshare') {
      // Revoke a share of a project the user owns: its rows must leave the member's devices.
      const id = await this.pick(
        rng,
        'SELECT m.id AS id FROM project_members m JOIN projects p ON p.id = m.project_id WHERE p.owner_id = ?',
        [this.user.id],
      );
      if (!id) return;
      await db.execute('DELETE FROM project_members WHERE id = ?', [id]);
      this.stats.unshares++;
    } else if (kind === 'remove') {
      // Mostly own documents; now and then one shared with the user (an editor may delete it, a viewer not).
      const id = await this.pickRow('documents', rng, rng.chance(0.15));
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
       UNION ALL SELECT 'document_versions', id, owner_id FROM document_versions
       UNION ALL SELECT 'project_members', id, owner_id FROM project_members`,
    );
    for (const r of rows) {
      if (world.realmOf(r.owner_id) !== this.user.realm) {
        this.stats.foreign++;
        if (this.stats.foreignSamples.length < 5)
          this.stats.foreignSamples.push(`${r.t}/${r.id} owner ${r.owner_id}`);
      }
    }
  }

  /** This device's rejected writes, counted by error code. */
  async rejectionCodes(): Promise<Record<string, number>> {
    const rows = await this.all<{ code: string; n: number }>(
      'SELECT code, count(*) AS n FROM sync_rejections GROUP BY code',
    );
    return Object.fromEntries(rows.map((r) => [r.code, Number(r.n)]));
  }

  async pendingUploads(): Promise<number> {
    const [r] = await this.all<{ n: number }>('SELECT count(*) AS n FROM ps_crud');
    return Number(r?.n ?? 0);
  }

  /** The device's sync state, for the diagnosis of a device that does not catch up. */
  async diagnose(): Promise<Record<string, unknown>> {
    const q = (sql: string) => this.all(sql).catch((e) => [{ error: (e as Error).message }]);
    return {
      device: this.name,
      user: this.user.id,
      status: (() => {
        const st = this.client.powersync.currentStatus;
        return {
          message: st.getMessage(),
          connected: st.connected,
          connecting: st.connecting,
          hasSynced: st.hasSynced,
          lastSyncedAt: st.lastSyncedAt?.toISOString(),
          flow: {
            ...st.dataFlowStatus,
            downloadError: String(st.dataFlowStatus.downloadError ?? ''),
            uploadError: String(st.dataFlowStatus.uploadError ?? ''),
          },
        };
      })(),
      clientId: await q('SELECT powersync_client_id() AS id'),
      crud: await q('SELECT count(*) AS n, min(id) AS first, max(id) AS last FROM ps_crud'),
      buckets: await q(
        'SELECT name, last_op, target_op, count_at_last, count_since_last FROM ps_buckets ORDER BY name',
      ),
      kv: await q('SELECT * FROM ps_kv'),
      recent: this.recent.slice(-200),
    };
  }

  async close(): Promise<void> {
    await this.client.close().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}
