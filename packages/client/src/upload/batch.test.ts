import { SyncError } from '@syncline/errors';
import { describe, expect, it } from 'vitest';
import { backoffMs, classifyUpload, fits, jsonBytes, toWire } from './batch.js';

const limits = { maxOps: 10, maxBytes: 1000, maxTransactions: 3 };
const envelope = (status: number, code: string, details?: Record<string, unknown>) => ({
  error: new SyncError(code as never, `rejected: ${code}`, { status, ...(details ? { details } : {}) }),
  envelope: true,
});

describe('toWire', () => {
  it('uses the transaction id as op_id and omits data for DELETE', () => {
    const wire = toWire({
      transactionId: 7,
      crud: [
        { clientId: 1, op: 'PUT', table: 'documents', id: 'd1', opData: { title: 't' } },
        { clientId: 2, op: 'DELETE', table: 'documents', id: 'd2' },
      ],
    });
    expect(wire).toEqual({
      op_id: 7,
      ops: [
        { op: 'PUT', table: 'documents', id: 'd1', data: { title: 't' } },
        { op: 'DELETE', table: 'documents', id: 'd2' },
      ],
    });
  });

  it('falls back to a stable string op_id when there is no transaction id', () => {
    expect(toWire({ crud: [{ clientId: 42, op: 'PUT', table: 't', id: 'x' }] }).op_id).toBe('c42');
  });

  it('counts UTF-8 bytes', () => {
    expect(jsonBytes('é')).toBe(4); // quotes + two bytes
  });
});

describe('fits', () => {
  it('always takes the first transaction, even one over the limits', () => {
    expect(fits({ count: 0, ops: 0, bytes: 0 }, { ops: 50, bytes: 5000 }, limits)).toBe(true);
  });
  it('stops at the op, byte and transaction limits', () => {
    expect(fits({ count: 1, ops: 9, bytes: 10 }, { ops: 1, bytes: 10 }, limits)).toBe(true);
    expect(fits({ count: 1, ops: 9, bytes: 10 }, { ops: 2, bytes: 10 }, limits)).toBe(false);
    expect(fits({ count: 1, ops: 1, bytes: 990 }, { ops: 1, bytes: 11 }, limits)).toBe(false);
    expect(fits({ count: 3, ops: 3, bytes: 30 }, { ops: 1, bytes: 10 }, limits)).toBe(false);
  });
});

describe('classifyUpload', () => {
  it('completes on 2xx only when every op_id is acknowledged (applied or replayed)', () => {
    expect(classifyUpload({ status: 200, json: { applied: [1], replayed: ['2'] } }, [1, 2])).toEqual({
      kind: 'applied',
    });
    const partial = classifyUpload({ status: 200, json: { applied: [1], replayed: [] } }, [1, 2]);
    expect(partial.kind).toBe('retry');
    expect(classifyUpload({ status: 200, json: undefined }, [1]).kind).toBe('retry'); // e.g. a captive portal
  });

  it('retries on 5xx, 408/425/429 and never completes', () => {
    for (const status of [500, 502, 503, 504, 408, 425, 429]) {
      expect(classifyUpload({ status, json: undefined }, [1]).kind, String(status)).toBe('retry');
    }
  });

  it('refreshes credentials on 401', () => {
    expect(classifyUpload({ status: 401, json: {} }, [1], envelope(401, 'AUTH_EXPIRED')).kind).toBe(
      'unauthorized',
    );
  });

  it('rejects the named transaction (applied prefix + it are completed by the caller)', () => {
    const out = classifyUpload(
      { status: 403, json: {} },
      [50, 51, 52, 53],
      envelope(403, 'UPLOAD_NOT_OWNER', { transaction: 52, transactionIndex: 2, applied: [50, 51] }),
    );
    expect(out).toMatchObject({ kind: 'rejected', index: 2 });
  });

  it('finds the rejected transaction by op_id when the index does not match', () => {
    const out = classifyUpload(
      { status: 400, json: {} },
      ['a', 'b', 'c'],
      envelope(400, 'UPLOAD_INVALID_VALUE', { transaction: 'b', transactionIndex: 9 }),
    );
    expect(out).toMatchObject({ kind: 'rejected', index: 1 });
  });

  it('retries when the rejected transaction was never sent', () => {
    const out = classifyUpload(
      { status: 400, json: {} },
      [1, 2],
      envelope(400, 'UPLOAD_INVALID_VALUE', { transaction: 99 }),
    );
    expect(out.kind).toBe('retry');
  });

  it('splits a request refused as a whole, and rejects a lone transaction refused as a whole', () => {
    expect(classifyUpload({ status: 413, json: {} }, [1, 2], envelope(413, 'UPLOAD_TOO_MANY_OPS')).kind).toBe(
      'split',
    );
    expect(
      classifyUpload({ status: 413, json: {} }, [1], envelope(413, 'UPLOAD_BODY_TOO_LARGE')),
    ).toMatchObject({
      kind: 'rejected',
      index: 0,
    });
  });

  it('never treats a 4xx without the API error body as a rejection (a proxy 404 must not drop writes)', () => {
    const out = classifyUpload({ status: 404, json: undefined }, [1], {
      error: new SyncError('CLIENT_INVALID_RESPONSE', 'HTTP 404', { status: 404 }),
      envelope: false,
    });
    expect(out.kind).toBe('retry');
    expect(out.kind === 'retry' && out.error.code).toBe('CLIENT_INVALID_RESPONSE');
  });
});

describe('backoffMs', () => {
  it('adds nothing after the first failure, then doubles up to the cap', () => {
    expect([1, 2, 3, 4, 5, 10].map((n) => backoffMs(n, 1000, 10_000))).toEqual([
      0, 2000, 4000, 8000, 10_000, 10_000,
    ]);
    expect(backoffMs(0, 1000, 10_000)).toBe(0);
  });
});
