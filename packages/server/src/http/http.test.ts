import { SyncError } from '@syncline/errors';
import { describe, expect, it } from 'vitest';
import { bearerToken, createCors, errorResponse, readBody } from './index.js';

const streamOf = (...parts: string[]) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (const p of parts) c.enqueue(new TextEncoder().encode(p));
      c.close();
    },
  });
const put = (body: string | Uint8Array | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
  new Request('http://api.test/upload', { method: 'PUT', body, headers, duplex: 'half' } as RequestInit);

describe('readBody', () => {
  it('reads UTF-8 text within the limit', async () => {
    expect(await readBody(put('{"a":"é"}'), 100)).toBe('{"a":"é"}');
    expect(await readBody(new Request('http://api.test/'), 100)).toBe('');
  });

  it('refuses a declared Content-Length over the limit before reading', async () => {
    const req = put(streamOf('x'), { 'content-length': '101' });
    await expect(readBody(req, 100)).rejects.toMatchObject({ code: 'UPLOAD_BODY_TOO_LARGE', status: 413 });
  });

  it('refuses a streamed body once it passes the limit', async () => {
    await expect(readBody(put(streamOf('x'.repeat(60), 'y'.repeat(60))), 100)).rejects.toMatchObject({
      code: 'UPLOAD_BODY_TOO_LARGE',
    });
  });

  it('rejects invalid UTF-8', async () => {
    await expect(readBody(put(new Uint8Array([0xff, 0xfe])), 100)).rejects.toMatchObject({
      code: 'UPLOAD_MALFORMED_JSON',
    });
  });
});

describe('bearerToken', () => {
  it.each([
    ['Bearer abc.def', 'abc.def'],
    ['bearer   xyz ', 'xyz'],
    ['Basic abc', undefined],
    ['Bearer', undefined],
    ['Bearer a b', undefined],
  ])('%j → %j', (header, token) => {
    expect(bearerToken(new Request('http://x/', { headers: { authorization: header } }))).toBe(token);
  });
});

describe('errorResponse', () => {
  it('answers the error body with its status, and hides unknown errors', async () => {
    const res = errorResponse(new SyncError('AUTH_EXPIRED', 'expired'));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await res.json()).toEqual({ error: { code: 'AUTH_EXPIRED', message: 'expired' } });
    const hidden = errorResponse(new Error('password=hunter2'));
    expect(hidden.status).toBe(500);
    expect(await hidden.text()).not.toContain('hunter2');
  });
});

describe('createCors', () => {
  const cors = createCors({ origins: ['http://app.test'] });
  const req = (origin: string, method = 'GET') =>
    new Request('http://api.test/x', { method, headers: { origin } });

  it('adds CORS headers for trusted origins only', async () => {
    const ok = await cors.handle(req('http://app.test'), async () => new Response('hi'));
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://app.test');
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    expect(await ok.text()).toBe('hi');
    const other = await cors.handle(req('http://evil.test'), async () => new Response('hi'));
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers preflights without calling the handler', async () => {
    const res = await cors.handle(req('http://app.test', 'OPTIONS'), async () => {
      throw new Error('must not run');
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
  });
});
