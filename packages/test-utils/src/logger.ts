import { createLogger, type Logger } from '@syncline/errors';

/**
 * A logger for tests: silent, unless `SYNCLINE_LOG_LEVEL` is set (then that level) or `SYNCLINE_TEST_LOG`
 * is (then errors).
 *
 * @example
 * const api = await startTestApi({ databaseUrl, logger: testLogger('api') });
 */
export function testLogger(name = 'test'): Logger {
  const env = process.env;
  return createLogger({
    name,
    level: env.SYNCLINE_LOG_LEVEL ? undefined : env.SYNCLINE_TEST_LOG ? 'error' : 'silent',
  });
}

/** {@link testLogger} under the name `test`. */
export const quietLogger: Logger = testLogger();
