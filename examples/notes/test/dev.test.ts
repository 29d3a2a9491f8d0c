/**
 * `syncline dev` (what `npm start` runs) as a real process group, stopped the way a terminal's Ctrl-C
 * stops it (SIGINT to every process of the group, the embedded Postgres included): stdout carries only
 * the status lines (no JSON or INFO log lines mixed in), and stopping prints no 57P01 warnings even with
 * the API's pool and a sync stream connected.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@syncline/postgres';
import { waitFor } from '@syncline/test-utils';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const notesConfig = join(repoRoot, 'examples/notes/syncline.config.ts');

let child: ChildProcess | undefined;
let dir: string | undefined;
afterAll(async () => {
  if (child?.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('syncline dev', () => {
  it('prints clean status lines, and Ctrl-C stops it without 57P01 warnings', async () => {
    dir = await mkdtemp(join(tmpdir(), 'syncline-dev-'));
    await chmod(dir, 0o755); // the embedded Postgres runs as the postgres user
    const ports = {
      PG: await freePort(),
      API: await freePort(),
      SYNC: await freePort(),
      WEB: await freePort(),
    };
    let stdout = '';
    let stderr = '';
    child = spawn(
      process.execPath,
      [join(repoRoot, 'packages/cli/bin/syncline.mjs'), 'dev', '--config', notesConfig],
      {
        cwd: dir,
        detached: true, // its own process group, like a shell job: Ctrl-C reaches every process in it
        env: {
          ...process.env,
          DATABASE_URL: '',
          SYNCLINE_LOG_LEVEL: '',
          SYNCLINE_LOG_FORMAT: '',
          ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [`SYNCLINE_${k}_PORT`, String(v)])),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child!.on('exit', (code) => r(code)));
    await waitFor(() => stdout.includes('Press Ctrl-C to stop.'), {
      timeout: 90_000,
      message: `dev stack ready (stdout: ${stdout} stderr: ${stderr})`,
    });

    // Use the stack: the API's pool and the sync server hold connections when Postgres goes down.
    const api = `http://127.0.0.1:${ports.API}`;
    const signIn = await fetch(`${api}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: api },
      body: JSON.stringify({ email: 'demo@syncline.dev', password: 'syncline-demo-password' }),
    });
    expect(signIn.status).toBe(200);
    const session = signIn.headers.get('set-auth-token')!;
    const { token } = (await (
      await fetch(`${api}/api/auth/token`, { headers: { authorization: `Bearer ${session}` } })
    ).json()) as { token: string };
    const stream = new AbortController();
    const res = await fetch(`http://127.0.0.1:${ports.SYNC}/sync/stream`, {
      method: 'POST',
      headers: { authorization: `Token ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ buckets: [], include_checksum: true, raw_data: true, client_id: 'dev-test' }),
      signal: stream.signal,
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    expect((await reader.read()).done).toBe(false); // the first checkpoint line arrived
    void reader.read().catch(() => undefined);

    process.kill(-child.pid!, 'SIGINT');
    expect(await exited).toBe(0);
    stream.abort();

    const lines = stdout.trimEnd().split('\n');
    const ready = lines.indexOf('Ready.');
    expect(lines[0]).toBe('Syncline dev stack starting…');
    for (const l of lines.slice(1, ready - 1)) expect(l).toMatch(/^ {2}✓ \S/);
    expect(lines.slice(ready)).toContain('Press Ctrl-C to stop.');
    expect(lines.slice(-2)).toEqual(['Stopping…', 'Stopped.']);
    expect(stdout).not.toMatch(/^\{|"level"|^INFO/m);
    // A terminal shows stderr between the status lines: nothing there at the default level either.
    expect(stderr).not.toMatch(/^\{|^INFO|^DEBUG/m);
    expect(stderr).not.toContain('57P01');
    expect(stderr).not.toMatch(/^(WARN|ERROR)/m);
  }, 180_000);
});
