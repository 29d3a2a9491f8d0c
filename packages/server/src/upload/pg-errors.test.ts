import { SyncError } from '@syncline/errors';
import { describe, expect, it } from 'vitest';
import { mapPgError } from './pg-errors.js';

describe('mapPgError', () => {
  it('keeps SyncErrors', () => {
    const e = new SyncError('UPLOAD_NOT_OWNER', 'no');
    expect(mapPgError(e)).toBe(e);
  });

  it.each([
    [{ code: '23505', constraint: 'uq_pair', table: 't' }, 'UPLOAD_CONSTRAINT_VIOLATION', 409],
    [{ code: '23514', constraint: 'ck' }, 'UPLOAD_CONSTRAINT_VIOLATION', 409],
    [{ code: '23502', column: 'c', table: 't' }, 'UPLOAD_MISSING_VALUE', 400],
    [{ code: '22001', message: 'value too long for type character varying(3)' }, 'UPLOAD_INVALID_VALUE', 400],
    [{ code: '40001' }, 'UPLOAD_INTERNAL', 503],
    [{ code: '40P01' }, 'UPLOAD_INTERNAL', 503],
    [{ code: '57P01' }, 'UPLOAD_INTERNAL', 503],
    [{ code: '08006' }, 'UPLOAD_INTERNAL', 503],
    [{ code: 'ECONNREFUSED' }, 'UPLOAD_INTERNAL', 503],
    [new Error('Connection terminated unexpectedly'), 'UPLOAD_INTERNAL', 503],
    [{ code: '42703', message: 'column "x" of relation "t" does not exist' }, 'UPLOAD_INTERNAL', 500],
    ['weird', 'UPLOAD_INTERNAL', 500],
  ])('maps %j to %s (%i)', (err, code, status) => {
    const e = mapPgError(err);
    expect(e.code).toBe(code);
    expect(e.status).toBe(status);
  });

  it('does not leak SQL or server internals in messages', () => {
    const e = mapPgError({ code: '42P01', message: 'relation "secret_table" does not exist' });
    expect(e.message).not.toContain('secret_table');
    expect(
      mapPgError({ code: '23505', constraint: 'uq_pair', detail: 'Key (a)=(1) exists' }).message,
    ).not.toContain('Key (a)');
  });
});
