/**
 * Vitest global setup: one embedded Postgres (logical replication on) for the whole test run, or the
 * server in `DATABASE_URL` when set. Test files get their own database from {@link useTestDatabase}.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@syncline/postgres';
import { startEmbeddedPostgres } from '@syncline/postgres/embedded';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the test cluster's `postgres` database. */
    pgAdminUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const external = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (external) {
    project.provide('pgAdminUrl', external);
    return;
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'syncline-test-pg-'));
  await chmod(dataDir, 0o755); // the server runs as the postgres user when we are root
  const started = Date.now();
  const pg = await startEmbeddedPostgres({
    dataDir: join(dataDir, 'data'),
    port: await freePort(),
    ephemeral: true,
    settings: {
      // Tests need speed, not crash safety. (Not synchronous_commit=off: logical decoding only
      // reads flushed WAL, so it would delay replication by up to wal_writer_delay.)
      fsync: 'off',
      full_page_writes: 'off',
      max_connections: '300',
      max_replication_slots: '60',
      max_wal_senders: '60',
    },
  });
  console.log(`[test-utils] embedded Postgres on port ${pg.port} ready in ${Date.now() - started} ms`);
  project.provide('pgAdminUrl', pg.url);
  return async () => {
    await pg.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
