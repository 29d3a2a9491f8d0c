/**
 * The notes desktop CLI: argument parsing, the commands, output (human or `--json`), exit codes.
 * `runCli(argv, io)` is importable; `cli.ts` runs it with the process's streams.
 */
import { parseArgs } from 'node:util';
import { createLogger, SyncError } from '@syncline/errors';
import { type DesktopClient, openDesktopClient } from './desktop-client.js';
import { classify, EXIT, NotesError } from './errors.js';
import { formatNotes, formatStatus, statusLine } from './format.js';
import { resolveProfile } from './profile.js';

/** What the CLI talks to. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  /** All of stdin (for `--password-stdin`). */
  readStdin(): Promise<string>;
  /** A hidden interactive prompt, when stdin is a terminal. */
  promptPassword?(question: string): Promise<string>;
  /** Aborted on Ctrl-C / SIGTERM: ends `watch`. */
  signal: AbortSignal;
}

export const USAGE = `notes-desktop <command> [options]

  sign-up <email> [--name <name>]     create an account and sign in
  sign-in <email>                     sign in (password: prompt, --password-stdin or SYNCLINE_PASSWORD)
  sign-out [--clear]                  sign out (revokes the session); --clear also wipes the local data
  list [--offline]                    the notes, after catching up with the server (--offline: local only)
  add <title> [--content <text>]      add a note
  edit <id> [--title <t>] [--content <text>]
  delete <id>
  watch                               print the notes on every change and the sync status, until Ctrl-C
  status [--offline]                  account, sync state, pending uploads
  sync                                connect and wait until everything is uploaded and downloaded

options
  --profile <name>    profile (own database and session); default: SYNCLINE_PROFILE or "default"
  --data-dir <dir>    where profiles live; default: SYNCLINE_DESKTOP_DIR or ~/.syncline-notes
  --api <url>         the API; default: SYNCLINE_API_URL, the profile's, or http://127.0.0.1:3000
  --timeout <s>       how long to wait for the server (default 15)
  --json              machine-readable output (watch: one JSON object per line)
  --verbose           log the client's warnings and errors to stderr

exit codes: 0 ok · 1 error · 2 usage · 3 not signed in / auth refused · 4 server unreachable
            5 note not found · 6 profile in use by another process`;

const OPTIONS = {
  profile: { type: 'string' },
  'data-dir': { type: 'string' },
  api: { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  offline: { type: 'boolean' },
  name: { type: 'string' },
  title: { type: 'string' },
  content: { type: 'string' },
  clear: { type: 'boolean' },
  'password-stdin': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parse>['values'];

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new NotesError('CLIENT_USAGE', (e as Error).message);
  }
}

/**
 * Runs one command and returns its exit code; errors are printed as `✗ CODE: message` (or
 * `{"error":{code,message}}` with `--json`).
 *
 * @example
 * const code = await runCli(['add', 'hello', '--profile', 'a'], io);
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let json = argv.includes('--json');
  try {
    const { values, positionals } = parse(argv);
    json = values.json === true;
    const [command, ...args] = positionals;
    if (values.help || !command) {
      io.stdout(`${USAGE}\n`);
      return command || values.help ? EXIT.ok : EXIT.usage;
    }
    const run = COMMANDS[command];
    if (!run) throw new NotesError('CLIENT_USAGE', `Unknown command "${command}". Run with --help.`);
    return await run(args, values, io);
  } catch (e) {
    const { code, message, exit } = classify(e);
    if (json) io.stdout(`${JSON.stringify({ error: { code, message } })}\n`);
    else io.stderr(`✗ ${code}: ${message}\n`);
    return exit;
  }
}

type Command = (args: string[], values: Values, io: CliIo) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  'sign-up': (args, v, io) =>
    withClient('sign-up', v, io, async (c) => {
      const email = one(args, 'sign-up <email>');
      const account = await c.signUp(email, await password(v, io), v.name ?? email.split('@')[0]!);
      return afterSignIn(c, v, io, `signed up and signed in as ${account.email}`);
    }),
  'sign-in': (args, v, io) =>
    withClient('sign-in', v, io, async (c) => {
      const account = await c.signIn(one(args, 'sign-in <email>'), await password(v, io));
      return afterSignIn(c, v, io, `signed in as ${account.email}`);
    }),
  'sign-out': (args, v, io) =>
    withClient('sign-out', v, io, async (c) => {
      none(args, 'sign-out');
      const who = c.session();
      await c.signOut({ clearData: v.clear === true });
      out(io, v, { signedOut: who?.email ?? null, cleared: v.clear === true }, () =>
        who ? `✓ signed out ${who.email}${v.clear ? ' (local data wiped)' : ''}` : 'not signed in',
      );
      return EXIT.ok;
    }),
  list: (args, v, io) =>
    withClient('list', v, io, async (c) => {
      none(args, 'list');
      if (!v.offline) await connectAndCatchUp(c, v, io);
      else requireSignedIn(c);
      const notes = await c.list();
      out(io, v, notes, () => formatNotes(notes));
      return EXIT.ok;
    }),
  add: (args, v, io) =>
    withClient('add', v, io, async (c) => {
      const title = one(args, 'add <title>');
      await c.connect();
      const note = await c.add({ title, ...(v.content !== undefined ? { content: v.content } : {}) });
      await uploaded(c, v, io);
      out(io, v, note, () => `✓ added ${note.id}  ${note.title}`);
      return EXIT.ok;
    }),
  edit: (args, v, io) =>
    withClient('edit', v, io, async (c) => {
      const id = one(args, 'edit <id> [--title <t>] [--content <text>]');
      await connectAndCatchUp(c, v, io); // the note may come from another device
      const patch = {
        ...(v.title !== undefined ? { title: v.title } : {}),
        ...(v.content !== undefined ? { content: v.content } : {}),
      };
      const note = await c.edit(id, patch);
      await uploaded(c, v, io);
      out(io, v, note, () => `✓ edited ${note.id}  ${note.title}`);
      return EXIT.ok;
    }),
  delete: (args, v, io) =>
    withClient('delete', v, io, async (c) => {
      const id = one(args, 'delete <id>');
      await connectAndCatchUp(c, v, io);
      await c.remove(id);
      await uploaded(c, v, io);
      out(io, v, { deleted: id }, () => `✓ deleted ${id}`);
      return EXIT.ok;
    }),
  watch: (args, v, io) =>
    withClient('watch', v, io, async (c) => {
      none(args, 'watch');
      await c.connect();
      const emit = (type: string, payload: unknown, human: () => string) =>
        v.json ? io.stdout(`${JSON.stringify({ type, [type]: payload })}\n`) : io.stdout(`${human()}\n`);
      let lastLine = '';
      const onStatus = () => {
        const s = c.status();
        const line = statusLine(s);
        if (line === lastLine) return;
        lastLine = line;
        emit('status', s, () => `· ${line}`);
      };
      const off = c.client.status.subscribe(onStatus);
      onStatus();
      const stop = new AbortController();
      c.watch(
        (notes) =>
          emit('notes', notes, () => `── ${new Date().toLocaleTimeString()} ──\n${formatNotes(notes)}`),
        stop.signal,
      );
      if (!io.signal.aborted)
        await new Promise((r) => io.signal.addEventListener('abort', r, { once: true }));
      stop.abort();
      off();
      return EXIT.ok;
    }),
  status: (args, v, io) =>
    withClient('status', v, io, async (c) => {
      none(args, 'status');
      if (c.session() && !v.offline) {
        await c.connect();
        await c.waitForSync(Math.min(timeoutMs(v), 5000));
      }
      const report = {
        profile: c.profile.name,
        dir: c.profile.dir,
        apiUrl: c.apiUrl,
        account: c.session(),
        status: c.status(),
      };
      out(io, v, report, () => formatStatus(report));
      return EXIT.ok;
    }),
  sync: (args, v, io) =>
    withClient('sync', v, io, async (c) => {
      none(args, 'sync');
      await c.connect();
      if (!(await c.waitForSync(timeoutMs(v)))) throw notCaughtUp(c, v);
      out(io, v, c.status(), () => `✓ ${statusLine(c.status())}`);
      return EXIT.ok;
    }),
};

async function withClient(
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

async function afterSignIn(c: DesktopClient, v: Values, io: CliIo, message: string): Promise<number> {
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
async function connectAndCatchUp(c: DesktopClient, v: Values, io: CliIo): Promise<void> {
  await c.connect();
  if (!(await c.waitForSync(timeoutMs(v)))) {
    io.stderr(`! not caught up with the server (${statusLine(c.status())}); using local data\n`);
  }
}

/** Waits (up to --timeout) for the upload; the write is safe locally either way. */
async function uploaded(c: DesktopClient, v: Values, io: CliIo): Promise<void> {
  if (await c.waitForUploads(timeoutMs(v))) return;
  const n = c.status().pendingUploads;
  io.stderr(
    `! saved locally; ${n} change${n === 1 ? '' : 's'} not uploaded yet (${statusLine(c.status())}). ` +
      'They upload on the next command that connects (or run: sync).\n',
  );
}

function notCaughtUp(c: DesktopClient, v: Values): SyncError {
  const s = c.status();
  return new SyncError(
    s.error?.code === 'CLIENT_SERVER_ERROR' ? 'CLIENT_SERVER_ERROR' : 'CLIENT_NETWORK',
    `Did not catch up with the server within ${timeoutMs(v) / 1000} s (${statusLine(s)})`,
  );
}

function requireSignedIn(c: DesktopClient): void {
  if (!c.session()) {
    throw new SyncError(
      'CLIENT_NOT_SIGNED_IN',
      `Not signed in (profile "${c.profile.name}"). Run sign-in first.`,
    );
  }
}

async function password(v: Values, io: CliIo): Promise<string> {
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

function timeoutMs(v: Values): number {
  if (v.timeout === undefined) return 15_000;
  const s = Number(v.timeout);
  if (!Number.isFinite(s) || s <= 0)
    throw new NotesError('CLIENT_USAGE', `--timeout must be a positive number of seconds, got ${v.timeout}`);
  return s * 1000;
}

function one(args: string[], usage: string): string {
  if (args.length !== 1 || args[0] === '')
    throw new NotesError('CLIENT_USAGE', `Usage: notes-desktop ${usage}`);
  return args[0]!;
}

function none(args: string[], command: string): void {
  if (args.length > 0)
    throw new NotesError('CLIENT_USAGE', `${command} takes no arguments (got ${args.join(' ')})`);
}

function out(io: CliIo, v: Values, value: unknown, human: () => string): void {
  io.stdout(`${v.json ? JSON.stringify(value) : human()}\n`);
}
