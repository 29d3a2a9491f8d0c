import { describe, expect, it } from 'vitest';
import { ErrorCode, errorCatalog, isErrorCode } from './codes.js';
import { SyncError } from './sync-error.js';

describe('SyncError', () => {
  it('takes its status from the registry unless overridden', () => {
    expect(new SyncError('UPLOAD_NOT_OWNER', 'no').status).toBe(403);
    expect(new SyncError('UPLOAD_NOT_OWNER', 'no', { status: 418 }).status).toBe(418);
  });

  it('serialises to the HTTP error body', () => {
    const e = new SyncError('UPLOAD_UNKNOWN_TABLE', 'Table "x" is not synced', { details: { table: 'x' } });
    expect(e.toJSON()).toEqual({
      error: { code: 'UPLOAD_UNKNOWN_TABLE', message: 'Table "x" is not synced', details: { table: 'x' } },
    });
  });

  it('round-trips through a Response', async () => {
    const e = new SyncError('UPLOAD_TOO_MANY_OPS', 'too many', { details: { max: 3 } });
    const res = e.toResponse();
    expect(res.status).toBe(413);
    const back = await SyncError.fromResponse(res);
    expect(back.code).toBe('UPLOAD_TOO_MANY_OPS');
    expect(back.details).toEqual({ max: 3 });
    expect(back.status).toBe(413);
  });

  it('maps foreign error bodies by status', async () => {
    const back = await SyncError.fromResponse(new Response('Bad Gateway', { status: 502 }));
    expect(back.code).toBe('CLIENT_SERVER_ERROR');
    expect(back.message).toContain('Bad Gateway');
  });

  it('recognises SyncErrors by shape and code', () => {
    const e = new SyncError('AUTH_EXPIRED', 'expired');
    expect(SyncError.is(e)).toBe(true);
    expect(SyncError.is(e, 'AUTH_EXPIRED', 'AUTH_INVALID_TOKEN')).toBe(true);
    expect(SyncError.is(e, 'UPLOAD_NOT_OWNER')).toBe(false);
    expect(SyncError.is({ name: 'SyncError', code: 'AUTH_EXPIRED', status: 401 })).toBe(true);
    expect(SyncError.is(new Error('x'))).toBe(false);
  });

  it('wraps unknown errors and keeps the cause', () => {
    const cause = new Error('boom');
    const e = SyncError.from(cause, 'STORAGE_FAILED');
    expect(e.code).toBe('STORAGE_FAILED');
    expect(e.cause).toBe(cause);
  });
});

describe('registry', () => {
  it('has UPPER_SNAKE codes with a known prefix and a valid status', () => {
    const prefixes = [
      'CONFIG_',
      'PG_',
      'SCHEMA_',
      'AUTH_',
      'UPLOAD_',
      'REPL_',
      'SYNC_',
      'STORAGE_',
      'CLIENT_',
      'SHARING_',
    ];
    for (const [code, meta] of Object.entries(errorCatalog)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]*$/);
      if (code !== 'INTERNAL')
        expect(
          prefixes.some((p) => code.startsWith(p)),
          code,
        ).toBe(true);
      expect(meta.status).toBeGreaterThanOrEqual(400);
      expect(meta.description.length).toBeGreaterThan(10);
    }
    expect(ErrorCode.AUTH_EXPIRED).toBe('AUTH_EXPIRED');
    expect(isErrorCode('NOPE')).toBe(false);
  });
});
