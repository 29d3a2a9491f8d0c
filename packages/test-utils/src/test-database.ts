import { randomBytes } from 'node:crypto';
import { withDatabase } from '@syncline/postgres';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';

/** A database created for one test file. */
export interface TestDatabase {
  /** Superuser URL of this database. */
  url: string;
  name: string;
  /** Drops the database, its replication slots and its connections. */
  drop(): Promise<void>;
}

/** The test cluster's superuser URL (from the global setup). */
export function adminUrl(): string {
  return inject('pgAdminUrl');
}

/**
 * Creates a fresh database on the test cluster.
 *
 * @example
 * const db = await createTestDatabase('upload');
 */
export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const admin = adminUrl();
  const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  return { url: withDatabase(admin, name), name, drop: () => dropTestDatabase(admin, name) };
}

/** Drops a test database after terminating its sessions and dropping its replication slots. */
export async function dropTestDatabase(admin: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    for (let attempt = 0; attempt < 20; attempt++) {
      const { rows } = await client.query<{ slot_name: string; active: boolean }>(
        'SELECT slot_name, active FROM pg_replication_slots WHERE database = $1',
        [name],
      );
      if (rows.length === 0) break;
      for (const r of rows) {
        if (r.active) {
          await client.query(
            'SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = $1 AND active_pid IS NOT NULL',
            [r.slot_name],
          );
        } else {
          await client.query('SELECT pg_drop_replication_slot($1)', [r.slot_name]).catch(() => undefined);
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/**
 * Registers `beforeAll`/`afterAll` hooks giving the test file its own database.
 *
 * @example
 * const db = useTestDatabase('replication');
 * it('works', async () => { const client = new pg.Client(db.url); … });
 */
export function useTestDatabase(prefix = 'test'): { readonly url: string; readonly name: string } {
  let current: TestDatabase | undefined;
  beforeAll(async () => {
    current = await createTestDatabase(prefix);
  });
  afterAll(async () => {
    await current?.drop();
  });
  return {
    get url() {
      if (!current) throw new Error('useTestDatabase: the database exists only inside tests and hooks');
      return current.url;
    },
    get name() {
      if (!current) throw new Error('useTestDatabase: the database exists only inside tests and hooks');
      return current.name;
    },
  };
}
