/** Test helpers: the CLI as a real process, extra Postgres clusters, the notes API and sync server. */
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DrizzleAppSchema } from '@powersync/drizzle-driver';
import { createNotesApi, type NotesApi } from '@syncline/example-notes/api';
import { schema } from '@syncline/example-notes/schema';
import { freePort } from '@syncline/postgres';
import { startEmbeddedPostgres } from '@syncline/postgres/embedded';
import { createSyncServer, type SyncServer, type SyncServerOptions } from '@syncline/sync-server';
import { quietLogger } from '@syncline/test-utils';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const notesConfig = join(repoRoot, 'examples/notes/syncline.config.ts');
export const clientSchema = new DrizzleAppSchema(schema.powersync);

export { quietLogger } from '@syncline/test-utils';

/** Result of running the CLI. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node packages/cli/bin/syncline.mjs …args` (in the repo root unless `cwd`) and resolves with its exit code and output. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, cwd = repoRoot): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(repoRoot, 'packages/cli/bin/syncline.mjs'), ...args],
      {
        cwd,
        env: { ...process.env, DATABASE_URL: '', SYNCLINE_LOG_LEVEL: 'error', ...env },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The line of a doctor report for a check, e.g. `lineOf(out, 'wal_level')` → `✗ wal_level  replica, needs logical`. */
export function lineOf(output: string, name: string): string {
  const lines = output.split('\n');
  const i = lines.findIndex((l) => /^[✓✗!-] /.test(l) && l.slice(2).startsWith(`${name} `));
  if (i < 0) throw new Error(`no "${name}" line in:\n${output}`);
  const fix = lines[i + 1]?.startsWith('    fix:')
    ? lines.slice(i + 1).filter((_, j, a) => j === 0 || a[j]!.startsWith('         '))
    : [];
  return [lines[i], ...fix].join('\n');
}

/** A separate embedded Postgres with the given settings (e.g. `wal_level=replica`) on a free port. */
export async function startCluster(
  settings: Record<string, string>,
): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'syncline-cli-pg-'));
  await chmod(dir, 0o755);
  const pg = await startEmbeddedPostgres({
    dataDir: join(dir, 'data'),
    port: await freePort(),
    ephemeral: true,
    database: 'app',
    settings: { fsync: 'off', ...settings },
    logger: quietLogger as never,
  });
  return {
    url: pg.url,
    async stop() {
      await pg.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The notes API on a free port (baseUrl = its URL, so tokens carry `aud` = that URL). */
export async function startApi(databaseUrl: string): Promise<NotesApi> {
  const port = await freePort();
  return createNotesApi({
    databaseUrl,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    powersyncUrl: 'http://127.0.0.1:1',
    logger: quietLogger as never,
  });
}

/** Syncline's sync server for the notes rules, verifying the API's tokens. */
export async function startSync(
  databaseUrl: string,
  api: NotesApi,
  extra: Partial<SyncServerOptions> = {},
): Promise<SyncServer> {
  const { toSyncRules } = await import('@syncline/schema');
  const server = createSyncServer({
    databaseUrl,
    syncRules: toSyncRules(schema),
    auth: { jwksUri: `${api.url}/api/auth/jwks`, audience: api.baseUrl },
    port: 0,
    logger: quietLogger as never,
    ...extra,
  });
  await server.start();
  return server;
}
