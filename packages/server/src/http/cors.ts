/** Options for {@link createCors}. */
export interface CorsOptions {
  /** Browser origins allowed to call the API (exact matches, e.g. `http://localhost:5173`). */
  origins: readonly string[];
  /** Preflight cache lifetime in seconds. Default 600. */
  maxAge?: number;
}

/** CORS for the API routes, framework-agnostic. */
export interface Cors {
  /** The answer to a preflight (`OPTIONS`) request: 204, with CORS headers when the origin is allowed. */
  preflight(request: Request): Response;
  /** Runs `next` (or answers the preflight) and adds CORS headers for an allowed origin. */
  handle(request: Request, next: () => Promise<Response>): Promise<Response>;
}

const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';
const ALLOWED_HEADERS = 'authorization, content-type';
// BetterAuth's bearer and jwt plugins hand tokens to clients in these headers.
const EXPOSED_HEADERS = 'set-auth-token, set-auth-jwt';

/**
 * CORS for `/api/*`: trusted origins may call with credentials and an `Authorization` header; other
 * origins get no CORS headers (the browser then blocks the response).
 *
 * @example
 * const cors = createCors({ origins: ['http://localhost:5173'] });
 * app.all('/api/*', (req) => cors.handle(req, () => handler(req)));
 */
export function createCors(options: CorsOptions): Cors {
  const allowed = new Set(options.origins);
  const maxAge = String(options.maxAge ?? 600);
  const allowedOrigin = (request: Request) => {
    const origin = request.headers.get('origin');
    return origin !== null && allowed.has(origin) ? origin : undefined;
  };
  const preflight = (request: Request) => {
    const origin = allowedOrigin(request);
    const headers = new Headers({ vary: 'Origin' });
    if (origin) {
      headers.set('access-control-allow-origin', origin);
      headers.set('access-control-allow-credentials', 'true');
      headers.set('access-control-allow-methods', ALLOWED_METHODS);
      headers.set('access-control-allow-headers', ALLOWED_HEADERS);
      headers.set('access-control-max-age', maxAge);
    }
    return new Response(null, { status: 204, headers });
  };
  return {
    preflight,
    async handle(request, next) {
      if (request.method === 'OPTIONS') return preflight(request);
      const response = await next();
      const origin = allowedOrigin(request);
      if (!origin) return response;
      // Responses from other libraries may have immutable headers: copy before adding ours.
      const copy = new Response(response.body, response);
      copy.headers.set('access-control-allow-origin', origin);
      copy.headers.set('access-control-allow-credentials', 'true');
      copy.headers.set('access-control-expose-headers', EXPOSED_HEADERS);
      copy.headers.append('vary', 'Origin');
      return copy;
    },
  };
}
