/**
 * Test helpers: the CLI as a real process, extra Postgres clusters, and the test project (`fixtures/project`:
 * the test schema) with the one test API and sync server of `@syncline/test-utils/stack`.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@syncline/postgres';
import { startEmbeddedPostgres } from '@syncline/postgres/embedded';
import { toSyncRules } from '@syncline/schema';
import type { SyncServer, SyncServerOptions } from '@syncline/sync-server';
import { quietLogger } from '@syncline/test-utils';
import { testSchema } from '@syncline/test-utils/schema';
import { clientSchemaOf, startTestApi, startTestSync, type TestApi } from '@syncline/test-utils/stack';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** The test project's config (the test schema; database `app`). */
export const projectConfig = join(repoRoot, 'packages/cli/test/fixtures/project/syncline.config.ts');
export const clientSchema = clientSchemaOf(testSchema);

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

/** The test API on a free port (applies the test schema; `aud` = its URL). */
export function startApi(databaseUrl: string): Promise<TestApi> {
  return startTestApi({ databaseUrl, applySchema: true });
}

/** Syncline's sync server (in-process) for the test schema's rules, verifying the API's tokens. */
export async function startSync(
  databaseUrl: string,
  api: TestApi,
  extra: Partial<SyncServerOptions> = {},
): Promise<SyncServer> {
  const sync = await startTestSync({
    databaseUrl,
    syncRules: toSyncRules(testSchema),
    auth: { jwksUri: `${api.url}/api/auth/jwks`, audience: api.baseUrl },
    port: 0,
    options: extra,
  });
  return sync.server as SyncServer;
}
