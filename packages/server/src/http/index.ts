import { SyncError } from '@syncline/errors';

export { type Cors, type CorsOptions, createCors } from './cors.js';

/**
 * A JSON response.
 *
 * @example
 * return json({ applied: [1, 2] });
 */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  });
}

/**
 * The `{ error: { code, message, details } }` response for a SyncError; anything else becomes a
 * generic 500 `INTERNAL` that reveals nothing about the failure (log it before calling this).
 *
 * @example
 * catch (e) { return errorResponse(e); }
 */
export function errorResponse(err: unknown): Response {
  const error = SyncError.is(err)
    ? err
    : new SyncError('INTERNAL', 'The server failed to handle the request. Retry later.');
  const headers: Record<string, string> = { 'cache-control': 'no-store' };
  if (error.status === 401) headers['www-authenticate'] = 'Bearer';
  if (error.status === 503 || error.status === 429) {
    // Transient: tell clients and proxies when to come back (default 5 s).
    const after = Number(error.details?.retryAfterSeconds);
    headers['retry-after'] = String(Number.isSafeInteger(after) && after > 0 ? after : 5);
  }
  return error.toResponse(headers);
}

/**
 * The token of an `Authorization: Bearer <token>` header, or `undefined`.
 *
 * @example
 * bearerToken(new Request('http://x', { headers: { authorization: 'Bearer abc' } })); // 'abc'
 */
export function bearerToken(request: Request): string | undefined {
  const header = request.headers.get('authorization');
  if (!header) return undefined;
  const match = /^bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/**
 * Reads a request body as UTF-8 text, refusing more than `maxBytes`: by `Content-Length` before
 * reading, and while reading (chunked bodies, lying headers). Throws `UPLOAD_BODY_TOO_LARGE` (413).
 *
 * @example
 * const text = await readBody(request, 1024 * 1024);
 */
export async function readBody(request: Request, maxBytes: number): Promise<string> {
  const tooLarge = () =>
    new SyncError(
      'UPLOAD_BODY_TOO_LARGE',
      `The request body exceeds ${maxBytes} bytes. Send fewer transactions per request.`,
      { details: { maxBytes } },
    );
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge();
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SyncError('UPLOAD_MALFORMED_JSON', 'The request body is not valid UTF-8 text.');
  }
}
