/**
 * The desktop client against `npm start`'s stack (runDev: notes API + sync server, test database):
 * two desktop clients of one user converge — one in-process (`openDesktopClient`), one as real CLI
 * processes (`watch`, `add`, `edit`, `delete`, `list`) — and another user's client never sees their notes.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DevStack } from '@syncline/cli';
import { freePort } from '@syncline/postgres';
import {
  type ApiUser,
  quietLogger,
  signUp,
  waitFor,
  useTestDatabase as withTestDatabase,
} from '@syncline/test-utils';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DesktopClient, openDesktopClient } from '../desktop/desktop-client.js';
import type { Note } from '../desktop/notes.js';
import { resolveProfile } from '../desktop/profile.js';
import { runCliProcess, startDesktopStack, startWatch, type WatchProcess } from './desktop-harness.js';

// Aliased: biome's React rules (react is a dependency here) read `use…` as a hook.
const db = withTestDatabase('desktop_cli');
const PASSWORD = 'correct horse battery staple';
let stack: DevStack & { apiUrl: string };
let pool: pg.Pool;
let dataDir: string;
let alice: ApiUser;
let bob: ApiUser;
let a1: DesktopClient; // in-process
let watcher: WatchProcess | undefined; // alice-2, a child process
let env: Record<string, string>;

const cli = (args: string[], stdin?: string) =>
  runCliProcess([...args, '--timeout', '20'], { env, ...(stdin !== undefined ? { stdin } : {}) });
const titles = (notes: Note[]) => notes.map((n) => n.title).sort();
const pgNotes = async (owner: string) =>
  (
    await pool.query<{ id: string; title: string; deleted: boolean }>(
      'SELECT id, title, deleted_at IS NOT NULL AS deleted FROM documents WHERE owner_id = $1 ORDER BY title',
      [owner],
    )
  ).rows;

beforeAll(async () => {
  stack = await startDesktopStack(db.url);
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  dataDir = await mkdtemp(join(tmpdir(), 'syncline-desktop-'));
  env = { SYNCLINE_API_URL: stack.apiUrl, SYNCLINE_DESKTOP_DIR: dataDir };
  alice = await signUp(stack.apiUrl, 'alice', PASSWORD);
  bob = await signUp(stack.apiUrl, 'bob', PASSWORD);
}, 120_000);

afterAll(async () => {
  await watcher?.stop();
  await a1?.close();
  await stack?.stop();
  await pool?.end();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('desktop CLI against the dev stack', () => {
  it('sign-in keeps the session in the profile with owner-only permissions; a wrong password exits 3', async () => {
    const wrong = await cli(['sign-in', alice.email, '--profile', 'alice-2', '--password-stdin'], 'nope\n');
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toMatch(/AUTH_INVALID_SESSION/);

    const ok = await cli(
      ['sign-in', alice.email, '--profile', 'alice-2', '--password-stdin'],
      `${PASSWORD}\n`,
    );
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(`signed in as ${alice.email}`);
    const profile = resolveProfile({ dataDir, profile: 'alice-2' });
    expect((await stat(profile.sessionFile)).mode & 0o777).toBe(0o600);
    expect((await stat(profile.dir)).mode & 0o777).toBe(0o700);
    expect((await stat(profile.dbFile)).isFile()).toBe(true);

    const status = (await cli(['status', '--profile', 'alice-2', '--json'])).json<{
      account: { userId: string };
      status: { state: string };
    }>();
    expect(status.account.userId).toBe(alice.id);
    expect(status.status.state).toBe('synced');
  });

  it('two desktop clients of one user converge: add, edit and delete in both directions', async () => {
    a1 = await openDesktopClient({
      profile: resolveProfile({ dataDir, profile: 'alice-1' }),
      apiUrl: stack.apiUrl,
      logger: quietLogger,
    });
    await a1.signIn(alice.email, PASSWORD);
    watcher = startWatch(['--profile', 'alice-2'], env);
    await watcher.until((n) => n.length === 0, 'initial empty list');

    // in-process → CLI process
    const first = await a1.add({ title: 'from alice-1', content: 'hello' });
    await watcher.until((n) => n.some((x) => x.id === first.id && x.content === 'hello'), 'add from alice-1');
    await a1.edit(first.id, { title: 'edited on alice-1' });
    await watcher.until((n) => n.some((x) => x.id === first.id && x.title === 'edited on alice-1'), 'edit');

    // The watching process holds its profile: a second process on it is refused.
    const busy = await cli(['add', 'x', '--profile', 'alice-2']);
    expect(busy.code).toBe(6);
    expect(busy.stderr).toMatch(/CLIENT_PROFILE_IN_USE/);

    expect(await watcher.stop()).toBe(0);
    expect(watcher.statuses.some((s) => s.state === 'synced' && s.userId === alice.id)).toBe(true);

    // CLI processes → in-process
    const added = await cli(['add', 'from alice-2', '--content', 'cli', '--profile', 'alice-2', '--json']);
    expect(added.code, added.stderr).toBe(0);
    const second = added.json<Note>();
    await waitFor(async () => (await a1.list()).some((n) => n.id === second.id), {
      message: 'add from the CLI',
    });
    const edited = await cli(['edit', first.id, '--content', 'changed by the CLI', '--profile', 'alice-2']);
    expect(edited.code, edited.stderr).toBe(0);
    await waitFor(
      async () => (await a1.list()).find((n) => n.id === first.id)?.content === 'changed by the CLI',
      {
        message: 'edit from the CLI',
      },
    );
    const deleted = await cli(['delete', second.id, '--profile', 'alice-2']);
    expect(deleted.code, deleted.stderr).toBe(0);
    await waitFor(async () => !(await a1.list()).some((n) => n.id === second.id), {
      message: 'delete from the CLI',
    });

    // Both clients and Postgres agree.
    const listed = (await cli(['list', '--profile', 'alice-2', '--json'])).json<Note[]>();
    expect(titles(listed)).toEqual(['edited on alice-1']);
    expect(titles(await a1.list())).toEqual(['edited on alice-1']);
    expect(await pgNotes(alice.id)).toEqual([
      { id: first.id, title: 'edited on alice-1', deleted: false },
      { id: second.id, title: 'from alice-2', deleted: true }, // soft-deleted
    ]);
  });

  it("another user's desktop client never sees them, and theirs stay theirs", async () => {
    const signIn = await cli(['sign-in', bob.email, '--profile', 'bob', '--password-stdin'], PASSWORD);
    expect(signIn.code, signIn.stderr).toBe(0);
    const added = await cli(['add', 'bob only', '--profile', 'bob']);
    expect(added.code, added.stderr).toBe(0);
    const bobs = (await cli(['list', '--profile', 'bob', '--json'])).json<Note[]>();
    expect(titles(bobs)).toEqual(['bob only']);
    const aliceId = (await a1.list())[0]!.id;
    const steal = await cli(['edit', aliceId, '--title', 'mine now', '--profile', 'bob']);
    expect(steal.code).toBe(5); // not on Bob's device at all
    expect(steal.stderr).toMatch(/CLIENT_NOT_FOUND/);
    // Alice's device has moved past Bob's write (its own later write came back from the server) …
    const marker = await a1.add({ title: 'marker' });
    await waitFor(
      async () =>
        (
          await a1.client.powersync.getAll<{ o: string }>(
            'SELECT owner_id AS o FROM documents WHERE id = ?',
            [marker.id],
          )
        )[0]?.o === alice.id,
      { message: 'the marker came back from the server' },
    );
    // … and never got it.
    expect(
      await a1.client.powersync.getAll('SELECT id FROM documents WHERE owner_id IS NOT ?', [alice.id]),
    ).toEqual([]);
    expect(titles(await a1.list())).toEqual(['edited on alice-1', 'marker']);
    expect((await pgNotes(bob.id)).map((r) => r.title)).toEqual(['bob only']);
    await a1.remove(marker.id);
  });

  it('clear errors and exit codes', async () => {
    const usage = await cli(['list', '--frobnicate']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/CLIENT_USAGE/);
    const unknown = await cli(['explode']);
    expect(unknown.code).toBe(2);
    const signedOut = await cli(['list', '--profile', 'nobody', '--json']);
    expect(signedOut.code).toBe(3);
    expect(signedOut.json()).toEqual({
      error: { code: 'CLIENT_NOT_SIGNED_IN', message: expect.any(String) },
    });
    const missing = await cli(['delete', 'no-such-id', '--profile', 'bob']);
    expect(missing.code).toBe(5);
    const closedPort = `http://127.0.0.1:${await freePort()}`; // nothing listens there
    const down = await cli(
      ['sign-in', bob.email, '--profile', 'elsewhere', '--api', closedPort, '--password-stdin'],
      PASSWORD,
    );
    expect(down.code).toBe(4);
    expect(down.stderr).toMatch(/CLIENT_NETWORK/);
  });

  it('sign-out revokes the session at the API and forgets it locally', async () => {
    const profile = resolveProfile({ dataDir, profile: 'bob' });
    const stored = JSON.parse(await readFile(profile.sessionFile, 'utf8')) as { session: { token: string } };
    const token = stored.session.token;
    const out = await cli(['sign-out', '--profile', 'bob']);
    expect(out.code, out.stderr).toBe(0);
    await expect(stat(profile.sessionFile)).rejects.toMatchObject({ code: 'ENOENT' });
    const res = await fetch(`${stack.apiUrl}/api/auth/token`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(401);
    expect((await cli(['list', '--profile', 'bob'])).code).toBe(3);
  });
});

describe("the root README's command-line client commands", () => {
  it('run as written against what npm start runs (the demo account, the password prompt)', async () => {
    const readme = await readFile(join(import.meta.dirname, '../../../README.md'), 'utf8');
    const prefix = 'npm run desktop -w @syncline/example-notes -- ';
    const commands = readme
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith(prefix))
      .map((l) => shellWords(l.slice(prefix.length).replace(/\s+#.*$/, '')));
    expect(commands.map((c) => c[0])).toEqual(['sign-in', 'add', 'list']);
    const demo = { ...env, SYNCLINE_PASSWORD: 'syncline-demo-password' }; // what the prompt would read
    for (const args of commands) {
      const r = await runCliProcess([...args, '--timeout', '20'], { env: demo });
      expect(r.code, `${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
      expect(r.stderr).not.toMatch(/CLIENT_USAGE/);
      if (args[0] === 'list') expect(r.stdout).toContain('Hello from the laptop');
    }
  });
});

/** Splits a command line the way a POSIX shell would for plain words and double-quoted strings. */
function shellWords(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}
