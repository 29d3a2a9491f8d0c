/**
 * Syncline's sync server for tests: in-process (`createSyncServer`) or as its own process (the CLI reading a
 * powersync.yaml: what crash tests kill with SIGKILL and what the bench measures).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '@syncline/errors';
import { freePort } from '@syncline/postgres';
import { createSyncServer, type SyncServer, type SyncServerOptions } from '@syncline/sync-server';
import { quietLogger } from '../logger.js';

/** How clients' tokens are verified. */
export interface TestSyncAuth {
  jwksUri: string;
  audience: string;
}

/** Options of {@link startTestSync}. */
export interface TestSyncOptions {
  databaseUrl: string;
  /** Sync rules YAML. */
  syncRules: string;
  auth: TestSyncAuth;
  /** Default: a free port (pass the previous one to restart on the same URL). */
  port?: number;
  /** Default false: the test prepared the publication (or the server is told to manage it). */
  managePublication?: boolean;
  /** `in-process` (default) or `process` (the CLI as a child process). */
  mode?: 'in-process' | 'process';
  /** In-process only: further `createSyncServer` options. */
  options?: Partial<SyncServerOptions>;
  /** Process only: further CLI arguments, e.g. `['--gzip']`. */
  args?: string[];
  /** Process only: the CLI to run. Default: `@syncline/sync-server`'s `bin/syncline-sync-server.mjs`. */
  bin?: string;
  /** Process only: Node flags before the script (e.g. `--cpu-prof`). */
  nodeFlags?: string[];
  /** Process only: raise the open-file limit to this (through `ulimit` in a shell). */
  fdLimit?: number;
  /** Process only: bucket storage in another database. */
  storageUrl?: string;
  /** Process only: the child's `SYNCLINE_LOG_LEVEL`. Default `warn`. */
  logLevel?: string;
  /** In-process only. Default: quiet. */
  logger?: Logger;
}

/** A running sync server. */
export interface TestSync {
  /** The PowerSync endpoint clients use. */
  readonly url: string;
  readonly port: number;
  /** The server object (in-process mode), for metrics and its replicator. */
  readonly server: SyncServer | null;
  /** The child's pid (process mode). */
  readonly pid: number | null;
  /** Stops gracefully (SIGTERM for a process). */
  stop(): Promise<void>;
  /** Process mode: SIGKILL, as a crash would. */
  kill(): Promise<void>;
}

/** The sync server CLI shipped by `@syncline/sync-server`. */
export const syncServerBin = fileURLToPath(
  new URL('../../../sync-server/bin/syncline-sync-server.mjs', import.meta.url),
);

/**
 * Starts the sync server and resolves once it serves.
 *
 * @example
 * const sync = await startTestSync({ databaseUrl: db.url, syncRules, auth: { jwksUri, audience }, mode: 'process' });
 * await sync.kill(); // kill -9
 */
export async function startTestSync(options: TestSyncOptions): Promise<TestSync> {
  const port = options.port ?? (await freePort());
  if (options.mode === 'process') return startProcess(options, port);
  const server = createSyncServer({
    databaseUrl: options.databaseUrl,
    syncRules: options.syncRules,
    auth: options.auth,
    port,
    managePublication: options.managePublication ?? false,
    logger: options.logger ?? quietLogger,
    ...options.options,
  });
  await server.start();
  return {
    url: server.url,
    port: server.port,
    server,
    pid: null,
    stop: () => server.stop(),
    kill: () => server.stop(),
  };
}

async function startProcess(options: TestSyncOptions, port: number): Promise<TestSync> {
  const dir = await mkdtemp(join(tmpdir(), 'syncline-sync-'));
  await writeFile(join(dir, 'sync_rules.yaml'), options.syncRules);
  const storage = options.storageUrl ? `storage:\n  type: postgresql\n  uri: ${options.storageUrl}\n` : '';
  await writeFile(
    join(dir, 'powersync.yaml'),
    `replication:\n  connections:\n    - type: postgresql\n      uri: ${options.databaseUrl}\n      sslmode: disable\n${storage}client_auth:\n  jwks_uri: ${options.auth.jwksUri}\n  audience: [${options.auth.audience}]\nport: ${port}\nsync_rules:\n  path: sync_rules.yaml\n`,
  );
  const args = [
    ...(options.nodeFlags ?? []),
    options.bin ?? syncServerBin,
    '--config',
    join(dir, 'powersync.yaml'),
    ...(options.args ?? []),
  ];
  // Raising the file-descriptor limit needs a shell (`ulimit`); as root the hard limit can be raised too.
  const [command, argv] = options.fdLimit
    ? [
        'sh',
        [
          '-c',
          `ulimit -Hn ${options.fdLimit} 2>/dev/null; ulimit -n ${options.fdLimit} 2>/dev/null || ulimit -n $(ulimit -Hn); exec "$0" "$@"`,
          process.execPath,
          ...args,
        ],
      ]
    : [process.execPath, args];
  const child: ChildProcess = spawn(command, argv, {
    env: { ...process.env, SYNCLINE_LOG_LEVEL: options.logLevel ?? 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d) => {
    err += d;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (d) => {
        if (String(d).includes('sync server ready')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`sync server exited (${code}): ${err}`)));
    });
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server: null,
    pid: child.pid ?? null,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
  };
}

/** RSS of a process from /proc (bytes). */
export async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
}

/** CPU time (user + system) of a process from /proc, ms (clock ticks of 10 ms, Linux's USER_HZ). */
export async function cpuOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
