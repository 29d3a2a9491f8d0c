import { SyncError } from '@syncline/errors';
import { describe, expect, it } from 'vitest';
import { parseUploadBody } from './body.js';

const parse = (value: unknown, maxOps = 10) =>
  parseUploadBody(typeof value === 'string' ? value : JSON.stringify(value), { maxOps });
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (SyncError.is(e)) return e.code;
    throw e;
  }
  return 'no error';
};

describe('parseUploadBody', () => {
  it('parses the envelope and counts ops without checking them', () => {
    const body = parse({
      client_id: 'c1',
      transactions: [
        { op_id: 1, ops: [{ op: 'PUT' }, 'anything'] },
        { op_id: 'tx-2', ops: [] },
      ],
      extra: 'ignored',
    });
    expect(body).toEqual({
      clientId: 'c1',
      transactions: [
        { op_id: 1, ops: [{ op: 'PUT' }, 'anything'] },
        { op_id: 'tx-2', ops: [] },
      ],
      opCount: 2,
    });
  });

  it('treats a missing or null client_id as absent', () => {
    expect(parse({ transactions: [] }).clientId).toBeUndefined();
    expect(parse({ client_id: null, transactions: [] }).clientId).toBeUndefined();
  });

  it('rejects text that is not JSON with UPLOAD_MALFORMED_JSON', () => {
    expect(codeOf(() => parse('{"transactions": ['))).toBe('UPLOAD_MALFORMED_JSON');
    expect(codeOf(() => parse(''))).toBe('UPLOAD_MALFORMED_JSON');
  });

  it.each([
    ['an array', []],
    ['null', null],
    ['no transactions', {}],
    ['transactions not an array', { transactions: { op_id: 1 } }],
    ['a transaction that is not an object', { transactions: [1] }],
    ['a missing op_id', { transactions: [{ ops: [] }] }],
    ['a negative op_id', { transactions: [{ op_id: -1, ops: [] }] }],
    ['a fractional op_id', { transactions: [{ op_id: 1.5, ops: [] }] }],
    ['an empty string op_id', { transactions: [{ op_id: '', ops: [] }] }],
    ['ops not an array', { transactions: [{ op_id: 1, ops: {} }] }],
    ['a numeric client_id', { client_id: 1, transactions: [] }],
    ['an empty client_id', { client_id: '', transactions: [] }],
    ['an overlong client_id', { client_id: 'x'.repeat(201), transactions: [] }],
  ])('rejects %s with UPLOAD_INVALID_BODY', (_, value) => {
    expect(codeOf(() => parse(value))).toBe('UPLOAD_INVALID_BODY');
  });

  it('names the offending path', () => {
    try {
      parse({ transactions: [{ op_id: 1, ops: [] }, { op_id: 2 }] });
      expect.unreachable();
    } catch (e) {
      expect((e as SyncError).details).toEqual({ path: 'transactions[1].ops' });
    }
  });

  it('refuses more ops than allowed across all transactions with a 413', () => {
    const tx = (n: number) => ({ op_id: n, ops: Array.from({ length: n }, () => ({})) });
    expect(parse({ transactions: [tx(5), tx(5)] }).opCount).toBe(10);
    try {
      parse({ transactions: [tx(5), tx(6)] });
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'UPLOAD_TOO_MANY_OPS', status: 413, details: { ops: 11, maxOps: 10 } });
    }
  });
});
