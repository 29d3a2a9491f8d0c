import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@syncline/errors';
import { freePort, withDatabase } from '@syncline/postgres';
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from '@syncline/postgres/embedded';
import pg from 'pg';

/** The torture run's own Postgres cluster, which it may restart with `-m immediate` at any moment. */
export interface Cluster {
  readonly port: number;
  /** Superuser URL of the `postgres` database. */
  readonly adminUrl: string;
  url(database: string): string;
  createDatabase(name: string): Promise<string>;
  /**
   * `pg_ctl stop -m immediate` (SIGQUIT to the postmaster: no checkpoint, every connection dropped), then
   * a start after `downMs`. Resolves with when it went down and when it accepted connections again.
   */
  restartImmediate(downMs: number): Promise<{ downAt: number; upAt: number }>;
  readonly restarts: number;
  readonly up: boolean;
  stop(): Promise<void>;
}

/** Starts a fresh cluster in a temporary directory (deleted on `stop`). */
export async function startCluster(logger: Logger): Promise<Cluster> {
  const dir = await mkdtemp(join(tmpdir(), 'syncline-torture-pg-'));
  await chmod(dir, 0o755); // the server runs as the postgres OS user when we are root
  const dataDir = join(dir, 'data');
  const port = await freePort();
  const settings = {
    fsync: 'off',
    full_page_writes: 'off',
    max_connections: '400',
    max_replication_slots: '20',
    max_wal_senders: '20',
    wal_sender_timeout: '30s',
  };
  const start = () =>
    startEmbeddedPostgres({
      dataDir,
      port,
      ephemeral: false,
      settings,
      logger: logger.child({ part: 'pg' }),
    });
  let handle: EmbeddedPostgresHandle | null = await start();
  let restarts = 0;
  let up = true;
  const cluster: Cluster = {
    port,
    adminUrl: handle.url,
    url: (database) => withDatabase(handle?.url ?? cluster.adminUrl, database),
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: cluster.adminUrl });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
      return cluster.url(name);
    },
    get restarts() {
      return restarts;
    },
    get up() {
      return up;
    },
    async restartImmediate(downMs) {
      const pidFile = join(dataDir, 'postmaster.pid');
      const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
      up = false;
      process.kill(pid, 'SIGQUIT');
      const downAt = Date.now();
      for (let i = 0; i < 300 && alive(pid); i++) await new Promise((r) => setTimeout(r, 20));
      if (alive(pid)) process.kill(pid, 'SIGKILL');
      await new Promise((r) => setTimeout(r, downMs));
      handle = null;
      for (let attempt = 0; ; attempt++) {
        try {
          handle = await start();
          break;
        } catch (e) {
          if (attempt >= 20) throw e;
          await new Promise((r) => setTimeout(r, 250));
        }
      }
      up = true;
      restarts++;
      return { downAt, upAt: Date.now() };
    },
    async stop() {
      await handle?.stop().catch(() => undefined);
      if (existsSync(dir)) await rm(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
