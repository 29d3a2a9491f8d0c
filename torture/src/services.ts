/**
 * The servers under test as real processes (so they can be killed with SIGKILL): Syncline's sync server
 * (its CLI, reading a powersync.yaml) and the notes API. A supervisor restarts a process that died on its
 * own, and counts it: a crash is a finding, never part of the plan.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** One supervised process. */
export class Service {
  private proc: ChildProcess | null = null;
  private readonly log: WriteStream;
  private starting: Promise<void> | null = null;
  private expectedExit = false;
  private stopped = false;
  /** Exits nobody asked for, with the last lines the process wrote. */
  readonly crashes: { at: number; code: number | null; signal: string | null; tail: string }[] = [];
  /** Times it was killed on purpose. */
  kills = 0;
  private tail: string[] = [];

  constructor(
    readonly name: string,
    private readonly command: () => { args: string[]; env: NodeJS.ProcessEnv },
    private readonly isReady: (line: string) => boolean,
    logDir: string,
  ) {
    this.log = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
  }

  /** Process id while running. */
  get pid(): number | undefined {
    return this.proc?.pid;
  }

  get running(): boolean {
    return this.proc !== null;
  }

  /** Starts the process and resolves once it says it is ready (retrying while it fails to start). */
  start(): Promise<void> {
    if (this.proc) return Promise.resolve();
    if (!this.starting) {
      this.starting = this.startLoop().finally(() => {
        this.starting = null;
      });
    }
    return this.starting;
  }

  private async startLoop(): Promise<void> {
    const deadline = Date.now() + 90_000;
    for (let attempt = 0; ; attempt++) {
      if (this.stopped) return;
      try {
        await this.spawnOnce();
        return;
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`${this.name} did not start: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, Math.min(2000, 200 * (attempt + 1))));
      }
    }
  }

  private spawnOnce(): Promise<void> {
    const { args, env } = this.command();
    const proc = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.log.write(`\n── ${new Date().toISOString()} start pid ${proc.pid}\n`);
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      const onLine = (chunk: Buffer) => {
        const text = chunk.toString();
        this.log.write(text);
        for (const line of text.split('\n')) {
          if (!line) continue;
          this.tail.push(line);
          if (this.tail.length > 40) this.tail.shift();
          if (!ready && this.isReady(line)) {
            ready = true;
            this.proc = proc;
            resolve();
          }
        }
      };
      proc.stdout!.on('data', onLine);
      proc.stderr!.on('data', onLine);
      proc.once('exit', (code, signal) => {
        this.log.write(`── exit code ${code} signal ${signal}\n`);
        if (!ready) {
          reject(new Error(`exited before ready (${code ?? signal}): ${this.tail.slice(-5).join(' | ')}`));
          return;
        }
        if (this.proc === proc) this.proc = null;
        if (this.expectedExit || this.stopped) {
          this.expectedExit = false;
          return;
        }
        this.crashes.push({ at: Date.now(), code, signal, tail: this.tail.slice(-15).join('\n') });
        void this.start().catch(() => undefined);
      });
    });
  }

  /** SIGKILL (nothing is flushed or closed). */
  async kill9(): Promise<void> {
    const proc = this.proc;
    if (!proc) return;
    this.expectedExit = true;
    this.kills++;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    });
  }

  /** SIGTERM and wait (SIGKILL after 10 s). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.starting?.catch(() => undefined);
    const proc = this.proc;
    if (proc) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
        proc.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
        proc.kill('SIGTERM');
      });
    }
    await new Promise<void>((resolve) => this.log.end(() => resolve()));
  }
}

/** Where the sync server CLI and the notes API live. */
const SYNC_BIN = join(root, 'packages/sync-server/bin/syncline-sync-server.mjs');
const API_MAIN = join(root, 'examples/notes/api/main.ts');

/** Writes the sync server's powersync.yaml + rules (the official service's format) into `dir`. */
export async function writeSyncConfig(dir: string, rules: string): Promise<string> {
  await writeFile(join(dir, 'sync_rules.yaml'), rules);
  const path = join(dir, 'powersync.yaml');
  await writeFile(
    path,
    `replication:
  connections:
    - type: postgresql
      uri: !env PS_DATABASE_URL
storage:
  type: postgresql
  uri: !env PS_STORAGE_URL
sync_rules:
  path: sync_rules.yaml
client_auth:
  jwks_uri: !env PS_JWKS_URI
  audience:
    - !env PS_AUDIENCE
port: !env PS_PORT::number
`,
  );
  return path;
}

export function syncServerService(
  logDir: string,
  config: string,
  env: { databaseUrl: string; storageUrl: string; jwksUri: string; audience: string; port: number },
): Service {
  return new Service(
    'sync-server',
    () => ({
      // Compaction far more often than the default, so it races with streams all the time.
      // TORTURE_SYNC_NODE_ARGS: extra node flags for the sync server (e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`).
      args: [
        ...(process.env.TORTURE_SYNC_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
        SYNC_BIN,
        '--config',
        config,
        '--compact-after',
        process.env.TORTURE_COMPACT_AFTER ?? '40',
      ],
      env: {
        ...process.env,
        PS_DATABASE_URL: env.databaseUrl,
        PS_STORAGE_URL: env.storageUrl,
        PS_JWKS_URI: env.jwksUri,
        PS_AUDIENCE: env.audience,
        PS_PORT: String(env.port),
        SYNCLINE_LOG_LEVEL: process.env.TORTURE_LOG_LEVEL ?? 'info',
        SYNCLINE_LOG_FORMAT: 'json',
      },
    }),
    (line) => line.includes('sync server ready'),
    logDir,
  );
}

export function apiService(
  logDir: string,
  env: { databaseUrl: string; port: number; powersyncUrl: string },
): Service {
  return new Service(
    'api',
    () => ({
      args: ['--import', 'tsx', API_MAIN],
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: env.databaseUrl,
        PORT: String(env.port),
        BASE_URL: `http://127.0.0.1:${env.port}`,
        POWERSYNC_URL: env.powersyncUrl,
        BETTER_AUTH_SECRET: 'torture-secret-torture-secret-torture-secret',
        SYNCLINE_LOG_LEVEL: process.env.TORTURE_LOG_LEVEL ?? 'info',
        SYNCLINE_LOG_FORMAT: 'json',
      },
    }),
    (line) => line.includes('notes API listening'),
    logDir,
  );
}
