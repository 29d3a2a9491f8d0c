/** What the desktop CLI's commands share: opening the client, waiting for sync, arguments, output. */
import { createLogger, SyncError } from '@syncline/errors';
import type { CliIo, Values } from './cli-args.js';
import { type DesktopClient, openDesktopClient } from './desktop-client.js';
import { EXIT, NotesError } from './errors.js';
import { statusLine } from './format.js';
import { resolveProfile } from './profile.js';

export async function withClient(
  command: string,
  v: Values,
  io: CliIo,
  fn: (c: DesktopClient) => Promise<number>,
): Promise<number> {
  const profile = resolveProfile({
    ...(v['data-dir'] !== undefined ? { dataDir: v['data-dir'] } : {}),
    ...(v.profile !== undefined ? { profile: v.profile } : {}),
    env: io.env,
  });
  const apiUrl = v.api ?? io.env.SYNCLINE_API_URL;
  if (apiUrl !== undefined && !/^https?:\/\/[^/]/.test(apiUrl)) {
    throw new NotesError('CLIENT_USAGE', `--api must be an http(s) URL, got ${JSON.stringify(apiUrl)}`);
  }
  timeoutMs(v); // validate before opening anything
  const client = await openDesktopClient({
    profile,
    command,
    ...(apiUrl !== undefined ? { apiUrl } : {}),
    logger: createLogger({
      name: 'notes-desktop',
      level: v.verbose ? 'debug' : 'error',
      write: (line) => io.stderr(`${line}\n`),
    }),
  });
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

export async function afterSignIn(c: DesktopClient, v: Values, io: CliIo, message: string): Promise<number> {
  const synced = await c.waitForSync(timeoutMs(v));
  const notes = (await c.list()).length;
  if (!synced) io.stderr(`! not caught up with the server yet (${statusLine(c.status())})\n`);
  out(
    io,
    v,
    { account: c.session(), synced, notes },
    () => `✓ ${message} · ${notes} note${notes === 1 ? '' : 's'}`,
  );
  return EXIT.ok;
}

/** Connects and waits (up to --timeout) to be current; warns and goes on with local data otherwise. */
export async function connectAndCatchUp(c: DesktopClient, v: Values, io: CliIo): Promise<void> {
  await c.connect();
  if (!(await c.waitForSync(timeoutMs(v)))) {
    io.stderr(`! not caught up with the server (${statusLine(c.status())}); using local data\n`);
  }
}

/** Waits (up to --timeout) for the upload; the write is safe locally either way. */
export async function uploaded(c: DesktopClient, v: Values, io: CliIo): Promise<void> {
  if (await c.waitForUploads(timeoutMs(v))) return;
  const n = c.status().pendingUploads;
  io.stderr(
    `! saved locally; ${n} change${n === 1 ? '' : 's'} not uploaded yet (${statusLine(c.status())}). ` +
      'They upload on the next command that connects (or run: sync).\n',
  );
}

export function notCaughtUp(c: DesktopClient, v: Values): SyncError {
  const s = c.status();
  return new SyncError(
    s.error?.code === 'CLIENT_SERVER_ERROR' ? 'CLIENT_SERVER_ERROR' : 'CLIENT_NETWORK',
    `Did not catch up with the server within ${timeoutMs(v) / 1000} s (${statusLine(s)})`,
  );
}

export function requireSignedIn(c: DesktopClient): void {
  if (!c.session()) {
    throw new SyncError(
      'CLIENT_NOT_SIGNED_IN',
      `Not signed in (profile "${c.profile.name}"). Run sign-in first.`,
    );
  }
}

export async function password(v: Values, io: CliIo): Promise<string> {
  let pw: string | undefined;
  if (v['password-stdin']) pw = (await io.readStdin()).replace(/\r?\n$/, '');
  else if (io.env.SYNCLINE_PASSWORD) pw = io.env.SYNCLINE_PASSWORD;
  else if (io.promptPassword) pw = await io.promptPassword('password: ');
  if (!pw) {
    throw new NotesError(
      'CLIENT_USAGE',
      'No password: type it at the prompt, pipe it with --password-stdin, or set SYNCLINE_PASSWORD.',
    );
  }
  return pw;
}

export function timeoutMs(v: Values): number {
  if (v.timeout === undefined) return 15_000;
  const s = Number(v.timeout);
  if (!Number.isFinite(s) || s <= 0)
    throw new NotesError('CLIENT_USAGE', `--timeout must be a positive number of seconds, got ${v.timeout}`);
  return s * 1000;
}

export function one(args: string[], usage: string): string {
  if (args.length !== 1 || args[0] === '')
    throw new NotesError('CLIENT_USAGE', `Usage: notes-desktop ${usage}`);
  return args[0]!;
}

export function none(args: string[], command: string): void {
  if (args.length > 0)
    throw new NotesError('CLIENT_USAGE', `${command} takes no arguments (got ${args.join(' ')})`);
}

export function out(io: CliIo, v: Values, value: unknown, human: () => string): void {
  io.stdout(`${v.json ? JSON.stringify(value) : human()}\n`);
}
