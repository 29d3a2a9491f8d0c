import type { IncomingMessage, ServerResponse } from 'node:http';
import { SyncError } from '@syncline/errors';

/** CORS settings. */
export interface CorsOptions {
  /** Allowed origins, or `*` (default; sync requests carry no cookies). */
  origins: '*' | string[];
}

/** Sets CORS headers; returns true when the request was a preflight and has been answered. */
export function cors(req: IncomingMessage, res: ServerResponse, options: CorsOptions): boolean {
  const origin = req.headers.origin;
  if (options.origins === '*') res.setHeader('Access-Control-Allow-Origin', '*');
  else if (origin && options.origins.includes(origin)) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
  }
  res.setHeader('Access-Control-Expose-Headers', 'Content-Type');
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
export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit)
      throw new SyncError('SYNC_INVALID_REQUEST', `The request body exceeds ${limit} bytes`, { status: 413 });
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new SyncError('SYNC_INVALID_REQUEST', 'The request body is not valid JSON');
  }
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
