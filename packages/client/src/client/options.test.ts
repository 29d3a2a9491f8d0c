import { SyncError } from '@syncline/errors';
import { describe, expect, it } from 'vitest';
import { resolveOptions } from './options.js';

const ok = {
  schema: {} as never,
  openDatabase: () => ({}) as never,
  apiUrl: 'http://api',
  auth: { getSessionToken: () => null },
};

describe('resolveOptions', () => {
  it('merges the defaults', () => {
    const o = resolveOptions(ok);
    expect(o.limits).toEqual({ maxOps: 500, maxBytes: 512 * 1024, maxTransactions: 100 });
    expect(o).toMatchObject({
      pendingOnSwitch: 'quarantine',
      backoffBaseMs: 5000,
      backoffMaxMs: 60_000,
      refreshMarginMs: 60_000,
    });
    expect(resolveOptions({ ...ok, apiUrl: 'https://api.example/' }).apiUrl).toBe('https://api.example');
    expect(resolveOptions({ ...ok, sync: { retryDelayMs: 250 } }).backoffBaseMs).toBe(250);
  });

  it.each([
    ['apiUrl', { apiUrl: 'localhost:3000' }],
    ['auth', { auth: {} }],
    ['fetch', { fetch: 'nope' }],
    ['pendingOnSwitch', { pendingOnSwitch: 'keep' }],
    ['upload.maxOps', { upload: { maxOps: 0 } }],
    ['upload.maxBytes', { upload: { maxBytes: 1.5 } }],
    ['upload.maxTransactions', { upload: { maxTransactions: -1 } }],
    ['upload.backoffMaxMs', { upload: { backoffMaxMs: 0 } }],
    ['credentials.refreshMarginMs', { credentials: { refreshMarginMs: -1 } }],
    ['sync.retryDelayMs', { sync: { retryDelayMs: 0 } }],
  ])('names the bad option %s', (name, bad) => {
    try {
      resolveOptions({ ...ok, ...(bad as object) } as never);
      expect.unreachable();
    } catch (e) {
      expect(SyncError.is(e, 'CONFIG_INVALID_OPTION')).toBe(true);
      expect((e as Error).message).toContain(`"${name}"`);
    }
  });
});
