import { type CliIo, parse, type Values } from './cli-args.js';
import {
  afterSignIn,
  connectAndCatchUp,
  none,
  notCaughtUp,
  one,
  out,
  password,
  requireSignedIn,
  timeoutMs,
  uploaded,
  withClient,
} from './command-helpers.js';
import { classify, EXIT, NotesError } from './errors.js';
import { formatNotes, formatStatus, statusLine } from './format.js';

export type { CliIo } from './cli-args.js';

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
