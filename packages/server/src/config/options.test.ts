import { httpUrl, origins, SyncError } from '@syncline/errors';
import { defineSchema } from '@syncline/schema';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createAuth } from '../auth/index.js';
import { createUploadHandler } from '../upload/index.js';
import { createConfigHandler } from './index.js';

// Constructing a pg.Pool opens no connection.
const pool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none' });
const auth = { authenticate: async () => ({ userId: 'u', method: 'jwt' as const }) };
const good = { pool, baseURL: 'http://localhost:3000', secret: 's'.repeat(32) };

function optionOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (SyncError.is(e, 'CONFIG_INVALID_OPTION')) return e.details?.option as string;
    throw e;
  }
  return undefined;
}

describe('option checks', () => {
  it('normalises URLs and origins', () => {
    expect(httpUrl('f', 'o', 'http://localhost:3000/')).toBe('http://localhost:3000');
    expect(origins('f', 'o', ['http://localhost:5173/'])).toEqual(['http://localhost:5173']);
    expect(optionOf(() => origins('f', 'o', ['https://*.example.com']))).toBe('o');
    expect(optionOf(() => origins('f', 'o', ['http://a.test/path']))).toBe('o');
    expect(optionOf(() => httpUrl('f', 'o', 'ftp://x'))).toBe('o');
  });

  it.each([
    ['pool', { pool: undefined }],
    ['baseURL', { baseURL: 'not a url' }],
    ['secret', { secret: 'short' }],
    ['audience', { audience: [] }],
    ['expiresIn', { expiresIn: 0 }],
    ['expiresIn', { expiresIn: '15 fortnights' }],
    ['trustedOrigins', { trustedOrigins: ['localhost:5173'] }],
    ['modulusLength', { modulusLength: 1024 }],
  ])('createAuth names %s', (option, patch) => {
    expect(optionOf(() => createAuth({ ...good, ...patch } as never))).toBe(option);
  });

  it.each([
    ['schema', { schema: undefined }],
    ['pool', { pool: {} }],
    ['auth', { auth: undefined }],
    ['limits.maxOps', { limits: { maxOps: 0 } }],
    ['limits.maxBodyBytes', { limits: { maxBodyBytes: 1.5 } }],
    ['retentionDays', { retentionDays: -1 }],
  ])('createUploadHandler names %s', (option, patch) => {
    const options = { schema: defineSchema({}), pool, auth, ...patch };
    expect(optionOf(() => createUploadHandler(options as never))).toBe(option);
  });

  it('createConfigHandler names auth and powersyncUrl', () => {
    expect(optionOf(() => createConfigHandler({ auth, powersyncUrl: '' }))).toBe('powersyncUrl');
    expect(optionOf(() => createConfigHandler({ powersyncUrl: 'http://x' } as never))).toBe('auth');
  });
});
