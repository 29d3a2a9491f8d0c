/**
 * Option checks for factories (`createX(options)`): every bad option is a `CONFIG_INVALID_OPTION` naming the
 * factory and the option, with the same message shape in every package.
 */
import { SyncError } from './sync-error.js';

/**
 * The error a factory throws for a bad option: `CONFIG_INVALID_OPTION`, naming the option.
 *
 * @example
 * throw invalidOption('createAuth', 'secret', 'must be at least 32 characters');
 */
export function invalidOption(factory: string, option: string, problem: string): SyncError {
  return new SyncError('CONFIG_INVALID_OPTION', `${factory}: option "${option}" ${problem}`, {
    details: { factory, option },
  });
}

/**
 * Checks that `value` is an absolute http(s) URL and returns it without a trailing slash.
 *
 * @example
 * httpUrl('createAuth', 'baseURL', 'http://localhost:3000/'); // 'http://localhost:3000'
 */
export function httpUrl(factory: string, option: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalidOption(factory, option, 'is required (an absolute http(s) URL)');
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidOption(factory, option, `must be an absolute http(s) URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidOption(factory, option, `must use http or https, got ${JSON.stringify(value)}`);
  }
  return url.href.replace(/\/+$/, '');
}

/**
 * Normalises a list of browser origins (`scheme://host[:port]`, no path). Wildcards are not accepted.
 *
 * @example
 * origins('createAuth', 'trustedOrigins', ['http://localhost:5173/']); // ['http://localhost:5173']
 */
export function origins(factory: string, option: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalidOption(factory, option, 'must be an array of origins');
  return value.map((entry) => {
    let url: URL | undefined;
    try {
      url = typeof entry === 'string' && !entry.includes('*') ? new URL(entry) : undefined;
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname.length > 1) {
      throw invalidOption(
        factory,
        option,
        `must list origins like "http://localhost:5173" (scheme, host, port; no path or wildcard), got ${JSON.stringify(entry)}`,
      );
    }
    return url.origin;
  });
}

/**
 * Checks a positive integer option, returning the default when it is undefined.
 *
 * @example
 * positiveInt('createUploadHandler', 'limits.maxOps', undefined, 1000); // 1000
 */
export function positiveInt(factory: string, option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw invalidOption(factory, option, `must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}
