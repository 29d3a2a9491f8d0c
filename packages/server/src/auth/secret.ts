import { randomBytes } from 'node:crypto';
import { withTransaction } from '@syncline/postgres/tx';
import type pg from 'pg';

/** Options for {@link loadOrCreateSecret}. */
export interface SecretOptions {
  /** Key of the secret in `syncline.secrets`. Default `better-auth`. */
  name?: string;
}

const LOCK_KEY = 0x5359_4e53; // 'SYNS'

/**
 * **Development helper.** Returns a random 64-hex-character secret stored in `syncline.secrets`,
 * creating it on first use, so that restarts keep sessions valid and the encrypted JWKS key usable
 * without configuring `BETTER_AUTH_SECRET`. In production pass a secret from your secret store
 * instead: a secret kept beside the key it encrypts protects nothing against a database leak.
 *
 * @example
 * const secret = process.env.BETTER_AUTH_SECRET ?? (await loadOrCreateSecret(pool));
 */
export async function loadOrCreateSecret(pool: pg.Pool, options: SecretOptions = {}): Promise<string> {
  const name = options.name ?? 'better-auth';
  return withTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await client.query('CREATE SCHEMA IF NOT EXISTS syncline');
    await client.query(`CREATE TABLE IF NOT EXISTS syncline.secrets (
      name text PRIMARY KEY, value text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
    await client.query(
      'INSERT INTO syncline.secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING',
      [name, randomBytes(32).toString('hex')],
    );
    const { rows } = await client.query<{ value: string }>(
      'SELECT value FROM syncline.secrets WHERE name = $1',
      [name],
    );
    return rows[0]!.value;
  });
}
