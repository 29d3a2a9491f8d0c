import type { IncomingMessage, ServerResponse } from 'node:http';
import { SyncError } from '@syncline/errors';

/** CORS settings. */
export interface CorsOptions {
  /** Allowed origins, or `*` (default; sync requests carry no cookies). */
  origins: '*' | string[];
}

/** The CORS headers of a response to `req` (not a preflight). */
export function corsHeaders(req: IncomingMessage, options: CorsOptions): Record<string, string> {
  const origin = req.headers.origin;
  const headers: Record<string, string> = {};
  if (options.origins === '*') headers['Access-Control-Allow-Origin'] = '*';
  else if (origin && options.origins.includes(origin)) {
    headers['Access-Control-Allow-Origin'] = origin;
    headers.Vary = 'Origin';
  }
  headers['Access-Control-Expose-Headers'] = 'Content-Type';
  return headers;
}

/** Sets CORS headers; returns true when the request was a preflight and has been answered. */
export function cors(req: IncomingMessage, res: ServerResponse, options: CorsOptions): boolean {
  for (const [name, value] of Object.entries(corsHeaders(req, options))) res.setHeader(name, value);
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Authorization, User-Agent, X-User-Agent');
    res.setHeader('Access-Control-Max-Age', '3600');
    res.writeHead(204).end();
    return true;
  }
  return false;
}

/** Writes a JSON body. */
export function json(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res
    .writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) })
    .end(text);
}

/** Postgres error codes and socket errors that mean "the database is not reachable right now". */
const UNAVAILABLE = /^(08|57P0[1-3]|53300)/;
const SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH']);

/** Whether an error is a lost or refused database connection (a retry will fix it). */
export function isUnavailable(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  if (typeof code === 'string' && (UNAVAILABLE.test(code) || SOCKET.has(code))) return true;
  const msg = (e as Error)?.message ?? '';
  return /Connection terminated|not queryable|terminating connection|the database system is (starting up|shutting down|in recovery)/i.test(
    msg,
  );
}

/**
 * Writes a SyncError (or anything thrown) as `{ error: { code, message, details } }` with its status. A
 * lost database connection becomes `503 SYNC_UNAVAILABLE` with `Retry-After`.
 */
export function error(res: ServerResponse, e: unknown): void {
  const err =
    !SyncError.is(e) && isUnavailable(e)
      ? new SyncError('SYNC_UNAVAILABLE', 'Postgres cannot be reached right now; retry shortly', { cause: e })
      : SyncError.from(e);
  if (err.status === 503 && !res.headersSent) res.setHeader('Retry-After', '2');
  json(res, err.status, err.toJSON());
}

/** Reads a JSON request body up to `limit` bytes. */
export function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  // Plain listeners, removed when done: `for await (const chunk of req)` left its end-of-stream listeners
  // (and their closures) on every request, ≈ 1 KB per open sync stream.
  return new Promise((resolve, reject) => {
    if (req.destroyed) return reject(new Error('The request was closed before its body was read'));
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (error: unknown, value?: unknown) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', finish);
      req.off('close', onClose);
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        finish(
          new SyncError('SYNC_INVALID_REQUEST', `The request body exceeds ${limit} bytes`, { status: 413 }),
        );
        req.resume(); // discard the rest
      } else chunks.push(chunk);
    };
    const onEnd = () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return finish(null, {});
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return finish(new SyncError('SYNC_INVALID_REQUEST', 'The request body is not valid JSON'));
      }
      finish(null, value);
    };
    const onClose = () => finish(new Error('The request was closed before its body was read'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', finish);
    req.on('close', onClose);
  });
}

/** Whether the request comes from this machine. */
export function isLoopback(req: IncomingMessage): boolean {
  const a = req.socket.remoteAddress ?? '';
  return a === '127.0.0.1' || a === '::1' || a === '::ffff:127.0.0.1' || a.startsWith('127.');
}

/** Whether the client accepts gzip. */
export function acceptsGzip(req: IncomingMessage): boolean {
  const header = String(req.headers['accept-encoding'] ?? '');
  return /\bgzip\b/.test(header) && !/\bgzip;\s*q=0(\.0+)?\b/.test(header);
}
