import { invalidOption, SyncError } from '@syncline/errors';

/** Options of BetterAuth's rate limiter as `createAuth` sets it up. */
export interface RateLimitOptions {
  /** Window of the sign-in, sign-up and token limits, in seconds. Default 60. */
  windowSeconds?: number;
  /** Sign-in attempts per window and client IP. Default 5. */
  signIn?: number;
  /** Sign-ups per window and client IP. Default 5. */
  signUp?: number;
  /** `GET /api/auth/token` calls per window and client IP. Default 30. */
  token?: number;
  /**
   * Where counters live: `'memory'` (default; per process) or `'database'` (BetterAuth's `rateLimit`
   * table, shared by several API processes).
   */
  storage?: 'memory' | 'database';
}

/** The header BetterAuth reads the client IP from; set per request from the socket, never from clients. */
const IP_HEADER = 'x-syncline-client-ip';

/** BetterAuth's `rateLimit` options plus how requests are keyed. */
export function rateLimitConfig(f: string, options: RateLimitOptions | false | undefined) {
  const enabled = options !== false && (options !== undefined || process.env.NODE_ENV !== 'test');
  const o = options || {};
  const count = (name: keyof RateLimitOptions, value: unknown, fallback: number) => {
    if (value === undefined) return fallback;
    if (!Number.isSafeInteger(value) || (value as number) <= 0) {
      throw invalidOption(f, `rateLimit.${name}`, `must be a positive integer, got ${JSON.stringify(value)}`);
    }
    return value as number;
  };
  const window = count('windowSeconds', o.windowSeconds, 60);
  if (o.storage !== undefined && o.storage !== 'memory' && o.storage !== 'database') {
    throw invalidOption(
      f,
      'rateLimit.storage',
      `must be "memory" or "database", got ${JSON.stringify(o.storage)}`,
    );
  }
  return {
    ipHeader: IP_HEADER,
    betterAuth: {
      enabled,
      window: 10,
      max: 100,
      storage: o.storage ?? 'memory',
      customRules: {
        '/sign-in/*': { window, max: count('signIn', o.signIn, 5) },
        '/sign-up/*': { window, max: count('signUp', o.signUp, 5) },
        '/token': { window, max: count('token', o.token, 30) },
      },
    },
    /** The request with the client IP header set from `clientIp` (a client-sent one is dropped). */
    keyed(request: Request, clientIp: string | undefined): Request {
      if (!request.headers.has(IP_HEADER) && clientIp === undefined) return request;
      const headers = new Headers(request.headers);
      headers.delete(IP_HEADER);
      if (clientIp) headers.set(IP_HEADER, clientIp);
      const hasBody = request.method !== 'GET' && request.method !== 'HEAD' && request.body !== null;
      return new Request(request.url, {
        method: request.method,
        headers,
        body: hasBody ? request.body : null,
        signal: request.signal,
        ...(hasBody ? { duplex: 'half' } : {}),
      } as RequestInit);
    },
  };
}

/**
 * BetterAuth answers a limited request with 429, `X-Retry-After` and its own body; clients and proxies
 * look for `Retry-After` and our error envelope, so the response is rewritten to have both.
 */
export function withRateLimitHeaders(response: Response): Response {
  if (response.status !== 429) return response;
  const retryAfter = Number(response.headers.get('x-retry-after')) || 60;
  return new SyncError('AUTH_RATE_LIMITED', `Too many attempts. Retry in ${retryAfter} s.`, {
    details: { retryAfterSeconds: retryAfter },
  }).toResponse({ 'retry-after': String(retryAfter), 'cache-control': 'no-store' });
}
