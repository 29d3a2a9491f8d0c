/**
 * The test API as its own process (the bench's upload benchmark, the CLI test project's compose `api` service):
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | `DATABASE_URL` | (required) | Postgres; the test schema is applied on start |
 * | `PORT` | `3000` | where to listen (127.0.0.1) |
 * | `BASE_URL` | `http://127.0.0.1:$PORT` | JWT `iss` and `aud` |
 * | `POWERSYNC_URL` | `http://127.0.0.1:1` | sync service URL given to clients |
 * | `SYNCLINE_LOG_LEVEL` | `info` | the API's log level |
 *
 * `node --import tsx packages/test-utils/src/stack/api-main.ts`
 */
import { createLogger } from '@syncline/errors';
import { startTestApi } from './api.js';

const env = process.env;
const logger = createLogger({ name: 'test-api' });
if (!env.DATABASE_URL) {
  logger.error('Set DATABASE_URL');
  process.exit(1);
}
const api = await startTestApi({
  databaseUrl: env.DATABASE_URL,
  applySchema: true,
  port: env.PORT ? Number(env.PORT) : 3000,
  ...(env.BASE_URL ? { baseUrl: env.BASE_URL } : {}),
  ...(env.POWERSYNC_URL ? { powersyncUrl: env.POWERSYNC_URL } : {}),
  logger,
});
logger.info('test API listening', { url: api.url });
const stop = () => void api.stop().finally(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
