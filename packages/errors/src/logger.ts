/** Log levels, most verbose first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/** A structured logger: a message plus fields, bound fields inherited by children. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A logger that adds `fields` to every line. */
  child(fields: Record<string, unknown>): Logger;
  readonly level: LogLevel;
}

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  /** Minimum level. Default: `SYNCLINE_LOG_LEVEL` or `info`. */
  level?: LogLevel;
  /** `json` (one object per line) or `pretty`. Default: `SYNCLINE_LOG_FORMAT`, else `pretty` on a TTY and `json` otherwise. */
  format?: 'json' | 'pretty';
  /** Component name, added as `component`. */
  name?: string;
  /** Where lines go. Default: stderr. */
  write?: (line: string) => void;
}

/**
 * Creates a structured logger.
 *
 * @example
 * const log = createLogger({ name: 'sync-server' });
 * log.info('stream opened', { user: 'u1', buckets: 3 });
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  // Works in browsers too: no `process` there, lines go to the console.
  const proc = (globalThis as { process?: NodeJS.Process }).process;
  const env = proc?.env ?? {};
  const envLevel = env.SYNCLINE_LOG_LEVEL as LogLevel | undefined;
  const level: LogLevel = options.level ?? (envLevel && envLevel in rank ? envLevel : 'info');
  const envFormat = env.SYNCLINE_LOG_FORMAT;
  const format =
    options.format ??
    (envFormat === 'json' || envFormat === 'pretty'
      ? envFormat
      : !proc || proc.stderr?.isTTY
        ? 'pretty'
        : 'json');
  const write =
    options.write ??
    (proc?.stderr ? (line: string) => proc.stderr.write(`${line}\n`) : (line: string) => console.log(line));
  const base: Record<string, unknown> = options.name ? { component: options.name } : {};
  return make(level, format, write, base);
}

function make(
  level: LogLevel,
  format: 'json' | 'pretty',
  write: (line: string) => void,
  bound: Record<string, unknown>,
): Logger {
  const min = rank[level];
  const emit = (lvl: Exclude<LogLevel, 'silent'>, msg: string, fields?: Record<string, unknown>) => {
    if (rank[lvl] < min) return;
    const all = fields ? { ...bound, ...fields } : bound;
    if (format === 'json') {
      write(JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...serialise(all) }));
    } else {
      const extras = Object.entries(serialise(all))
        .filter(([k]) => k !== 'component')
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      const comp = all.component ? `[${String(all.component)}] ` : '';
      write(`${lvl.toUpperCase().padEnd(5)} ${comp}${msg}${extras ? ` ${extras}` : ''}`);
    }
  };
  return {
    level,
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => make(level, format, write, { ...bound, ...fields }),
  };
}

function serialise(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v instanceof Error) {
      const e = v as Error & { code?: unknown };
      out[k] = { name: e.name, message: e.message, ...(e.code !== undefined ? { code: e.code } : {}) };
    } else if (typeof v === 'bigint') {
      out[k] = v.toString();
    } else {
      out[k] = v;
    }
  }
  return out;
}
