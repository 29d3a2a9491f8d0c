/**
 * Harness for the desktop tests: the stack `npm start` runs (`runDev`: notes API + sync server on a
 * test database, free ports, no web app), and the desktop CLI as real child processes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type DevStack, loadConfig, runDev } from '@syncline/cli';
import { freePort } from '@syncline/postgres';
import { quietLogger, waitFor } from '@syncline/test-utils';
import type { Note } from '../desktop/notes.js';

const CONFIG = fileURLToPath(new URL('../syncline.config.ts', import.meta.url));
const CLI = fileURLToPath(new URL('../desktop/cli.ts', import.meta.url));

/** `npm start`'s stack on `databaseUrl`, with free ports and without the web app. */
export async function startDesktopStack(databaseUrl: string): Promise<DevStack & { apiUrl: string }> {
  const config = await loadConfig(CONFIG);
  const { webRoot: _web, ...dev } = config.dev ?? {};
  const stack = await runDev({
    config: { ...config, dev },
    configPath: CONFIG,
    databaseUrl,
    ports: { api: await freePort(), sync: await freePort(), web: await freePort() },
    print: () => undefined,
    logger: quietLogger,
  });
  if (!stack.apiUrl) throw new Error('runDev started no API');
  return stack as DevStack & { apiUrl: string };
}

/** What a CLI process printed and how it exited. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for `--json` commands). */
  json<T = unknown>(): T;
}

/** Runs `cli.ts <args>` as a child process (`node --import tsx`), optionally feeding stdin. */
export function runCliProcess(
  args: string[],
  options: { env?: Record<string, string>; stdin?: string; timeoutMs?: number } = {},
): Promise<CliRun> {
  const child = spawnCli(args, options.env);
  const out = collect(child);
  child.stdin!.end(options.stdin ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        code,
        stdout: out.stdout,
        stderr: out.stderr,
        json: <T>() => {
          try {
            return JSON.parse(out.stdout) as T;
          } catch {
            throw new Error(`not JSON (exit ${code}): ${out.stdout}\nstderr: ${out.stderr}`);
          }
        },
      });
    });
  });
}

/** A running `watch --json` process: the latest notes and every status it printed. */
export interface WatchProcess {
  readonly notes: Note[] | null;
  readonly statuses: { state: string; pendingUploads: number; userId: string | null }[];
  readonly stderr: string;
  until(predicate: (notes: Note[]) => boolean, message: string): Promise<void>;
  /** Ctrl-C; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `cli.ts watch --json <args>`. */
export function startWatch(args: string[], env: Record<string, string> = {}): WatchProcess {
  const child = spawnCli(['watch', '--json', ...args], env);
  const out = collect(child);
  let notes: Note[] | null = null;
  const statuses: WatchProcess['statuses'] = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      if (!line.trim()) continue;
      const event = JSON.parse(line) as {
        type: string;
        notes?: Note[];
        status?: WatchProcess['statuses'][0];
      };
      if (event.type === 'notes') notes = event.notes!;
      if (event.type === 'status') statuses.push(event.status!);
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    get notes() {
      return notes;
    },
    statuses,
    get stderr() {
      return out.stderr;
    },
    async until(predicate, message) {
      await waitFor(() => notes !== null && predicate(notes), {
        timeout: 30_000,
        message: `watch: ${message} (last notes: ${JSON.stringify(notes?.map((n) => n.title))}, stderr: ${out.stderr})`,
      });
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      return exited;
    },
  };
}

function spawnCli(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    env: { ...process.env, ...env, SYNCLINE_PASSWORD: env.SYNCLINE_PASSWORD ?? '' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

function collect(child: ChildProcess): { stdout: string; stderr: string } {
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (c: Buffer) => {
    out.stdout += c.toString('utf8');
  });
  child.stderr!.on('data', (c: Buffer) => {
    out.stderr += c.toString('utf8');
  });
  return out;
}
