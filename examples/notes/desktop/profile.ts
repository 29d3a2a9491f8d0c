/**
 * Profiles: one directory per signed-in desktop client, holding its SQLite database and session file,
 * so several clients can run side by side (`--profile work`, `--data-dir /tmp/x`). A lock file keeps a
 * second process from opening the same profile (two SQLite sync clients on one file would fight).
 */
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { NotesError } from './errors.js';

/** A resolved profile. */
export interface Profile {
  name: string;
  /** The profile directory (mode 0700). */
  dir: string;
  /** The session file (mode 0600). */
  sessionFile: string;
  /** The SQLite file (`<dir>/notes.db`). */
  dbFile: string;
}

/** Options for {@link resolveProfile}. */
export interface ProfileOptions {
  /** Root of all profiles. Default: `SYNCLINE_DESKTOP_DIR`, else `~/.syncline-notes`. */
  dataDir?: string;
  /** Profile name (letters, digits, `-`, `_`). Default: `SYNCLINE_PROFILE`, else `default`. */
  profile?: string;
  env?: Record<string, string | undefined>;
}

/**
 * Where a profile lives.
 *
 * @example
 * resolveProfile({ profile: 'work' }).dir; // ~/.syncline-notes/work
 */
export function resolveProfile(options: ProfileOptions = {}): Profile {
  const env = options.env ?? process.env;
  const root = resolve(options.dataDir ?? env.SYNCLINE_DESKTOP_DIR ?? join(homedir(), '.syncline-notes'));
  const name = options.profile ?? env.SYNCLINE_PROFILE ?? 'default';
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(name)) {
    throw new NotesError(
      'CLIENT_USAGE',
      `Profile names are letters, digits, "-" and "_" (got ${JSON.stringify(name)})`,
    );
  }
  const dir = join(root, name);
  return { name, dir, sessionFile: join(dir, 'session.json'), dbFile: join(dir, 'notes.db') };
}

/** Creates the profile directory, readable by the owner only. */
export async function ensureProfileDir(profile: Profile): Promise<void> {
  await mkdir(profile.dir, { recursive: true, mode: 0o700 });
}

/**
 * Takes the profile's lock (`<dir>/lock`, holding the pid); a lock left by a dead process is taken over.
 * Throws `CLIENT_PROFILE_IN_USE` naming the holder otherwise. Returns the release function.
 */
export async function lockProfile(profile: Profile, command: string): Promise<() => Promise<void>> {
  await ensureProfileDir(profile);
  const file = join(profile.dir, 'lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o600);
      await handle.writeFile(JSON.stringify({ pid: process.pid, command, since: new Date().toISOString() }));
      await handle.close();
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        await rm(file, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = await readLock(file);
      if (holder && holder.pid !== process.pid && isAlive(holder.pid)) {
        throw new NotesError(
          'CLIENT_PROFILE_IN_USE',
          `Profile "${profile.name}" is in use by process ${holder.pid} (${holder.command}). ` +
            'Stop it, or use another --profile.',
          { pid: holder.pid, command: holder.command, profile: profile.name },
        );
      }
      if (holder?.pid === process.pid) {
        throw new NotesError(
          'CLIENT_PROFILE_IN_USE',
          `Profile "${profile.name}" is already open in this process.`,
          {
            profile: profile.name,
          },
        );
      }
      if (!holder && attempt === 0) {
        await new Promise((r) => setTimeout(r, 100)); // maybe being written right now: look again
        continue;
      }
      await rm(file, { force: true }); // stale: its process is gone
    }
  }
  throw new NotesError('CLIENT_PROFILE_IN_USE', `Could not lock profile "${profile.name}".`, {
    profile: profile.name,
  });
}

async function readLock(file: string): Promise<{ pid: number; command: string } | null> {
  try {
    const v = JSON.parse(await readFile(file, 'utf8')) as { pid?: unknown; command?: unknown };
    return typeof v.pid === 'number' ? { pid: v.pid, command: String(v.command ?? '?') } : null;
  } catch {
    return null; // being written right now, or garbage
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
