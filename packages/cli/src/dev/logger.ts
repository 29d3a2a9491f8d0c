import { createLogger, type Logger, type LogLevel } from '@syncline/errors';

const LEVELS: LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

/** Postgres' "the server is shutting down" codes: admin_shutdown, crash_shutdown, cannot_connect_now. */
const SHUTDOWN_CODES = new Set(['57P01', '57P02', '57P03']);

function isShutdown(fields: Record<string, unknown> | undefined): boolean {
  if (!fields) return false;
  return Object.values(fields).some((v) => {
    const code = (v as { code?: unknown } | null)?.code;
    return typeof code === 'string' && SHUTDOWN_CODES.has(code);
  });
}

/**
 * The dev stack's logger, shared by every part (API, sync server, Postgres): human-readable lines on
 * stderr at `warn` (`SYNCLINE_LOG_LEVEL` / `SYNCLINE_LOG_FORMAT` override), so status lines on stdout stay
 * clean. Ctrl-C reaches the embedded Postgres too (same process group): once `stopping()` is true, "Postgres
 * is shutting down" errors (57P01…) are expected and logged at debug instead of as warnings.
 *
 * @example
 * let stopping = false;
 * const log = createDevLogger(() => stopping);
 */
export function createDevLogger(stopping: () => boolean, base?: Logger): Logger {
  const env = process.env;
  const root =
    base ??
    createLogger({
      name: 'dev',
      level: LEVELS.includes(env.SYNCLINE_LOG_LEVEL as LogLevel)
        ? (env.SYNCLINE_LOG_LEVEL as LogLevel)
        : 'warn',
      format: env.SYNCLINE_LOG_FORMAT === 'json' ? 'json' : 'pretty',
    });
  const wrap = (log: Logger): Logger => {
    const quietWhenStopping =
      (level: 'warn' | 'error') =>
      (msg: string, fields?: Record<string, unknown>): void => {
        if (stopping() && isShutdown(fields)) log.debug(msg, fields);
        else log[level](msg, fields);
      };
    return {
      get level() {
        return log.level;
      },
      debug: (m, f) => log.debug(m, f),
      info: (m, f) => log.info(m, f),
      warn: quietWhenStopping('warn'),
      error: quietWhenStopping('error'),
      child: (fields) => wrap(log.child(fields)),
    };
  };
  return wrap(root);
}
