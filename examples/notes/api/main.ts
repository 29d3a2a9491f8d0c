/**
 * Runs the notes API from the environment:
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | `DATABASE_URL` | (required) | Postgres with logical replication (see `syncline dev`) |
 * | `PORT` / `HOST` | `3000` / `127.0.0.1` | where to listen |
 * | `BASE_URL` | `http://localhost:$PORT` | public URL; JWT `iss` and `aud` |
 * | `POWERSYNC_URL` | `http://localhost:8080` | sync service URL given to clients |
 * | `BETTER_AUTH_SECRET` | generated, kept in Postgres (not in production) | signs sessions, encrypts the JWKS key |
 * | `TRUSTED_ORIGINS` | `http://localhost:5173,http://127.0.0.1:5173` outside production | comma-separated web app origins |
 *
 * `node --import tsx examples/notes/api/main.ts`
 */
import { createLogger, SyncError } from '@syncline/errors';
import { createNotesApi } from './index.js';

const log = createLogger({ name: 'notes-api' });
const env = process.env;
const production = env.NODE_ENV === 'production';

async function main() {
  if (!env.DATABASE_URL) {
    throw new SyncError('CONFIG_MISSING_ENV', 'Set DATABASE_URL (or start the stack with `npm start`).');
  }
  if (production && !env.BETTER_AUTH_SECRET) {
    throw new SyncError('CONFIG_MISSING_ENV', 'Set BETTER_AUTH_SECRET (≥ 32 characters) in production.');
  }
  const port = env.PORT ? Number(env.PORT) : 3000;
  const trusted = env.TRUSTED_ORIGINS ?? (production ? '' : 'http://localhost:5173,http://127.0.0.1:5173');
  const api = await createNotesApi({
    databaseUrl: env.DATABASE_URL,
    port,
    host: env.HOST,
    baseUrl: env.BASE_URL,
    powersyncUrl: env.POWERSYNC_URL,
    secret: env.BETTER_AUTH_SECRET,
    trustedOrigins: trusted
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    logger: log,
  });
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    await api.stop().catch((e) => log.error('stop failed', { error: e }));
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((e) => {
  log.error(e instanceof Error ? e.message : String(e), { code: SyncError.is(e) ? e.code : undefined });
  process.exit(1);
});
