import { SyncError } from '@syncline/errors';
import { describe, expect, it } from 'vitest';
import { deriveStatus, errorInfo, type StatusInputs, sameStatus } from './derive.js';

const base: StatusInputs = {
  sdk: { connected: false, connecting: false, downloading: false, uploading: false },
  authState: 'signed-in',
  pendingUploads: 0,
  rejected: 0,
  quarantined: 0,
  userId: 'u1',
  databaseVersion: 3,
  switching: false,
};
const at = (sdk: Partial<StatusInputs['sdk']>, extra: Partial<StatusInputs> = {}) =>
  deriveStatus({ ...base, ...extra, sdk: { ...base.sdk, ...sdk } });

describe('deriveStatus', () => {
  it('is signed-out without a session, with the reason', () => {
    const s = at(
      { connected: true },
      { authState: 'signed-out', authError: new SyncError('AUTH_INVALID_SESSION', 'gone') },
    );
    expect(s.state).toBe('signed-out');
    expect(s.error).toEqual({ code: 'AUTH_INVALID_SESSION', message: 'gone' });
  });

  it('is connecting, then syncing with progress, then synced', () => {
    expect(at({ connecting: true }).state).toBe('connecting');
    expect(
      at({
        connected: true,
        downloading: true,
        downloadProgress: { downloadedOperations: 5, totalOperations: 20 },
      }),
    ).toMatchObject({ state: 'syncing', progress: { downloaded: 5, total: 20 } });
    expect(at({ connected: true, hasSynced: false }).state).toBe('syncing');
    expect(at({ connected: true, hasSynced: true }).state).toBe('synced');
  });

  it('is syncing while uploads are pending', () => {
    expect(at({ connected: true, hasSynced: true }, { pendingUploads: 2 }).state).toBe('syncing');
    expect(at({ connected: true, hasSynced: true, uploading: true }).state).toBe('syncing');
  });

  it('is offline on network errors (also between retries) and error with a code otherwise', () => {
    const net = at({ connecting: true, downloadError: new TypeError('fetch failed') });
    expect(net).toMatchObject({ state: 'offline', error: { code: 'CLIENT_NETWORK' } });
    expect(at({ downloadError: new Error('Received 500 - Internal') })).toMatchObject({
      state: 'error',
      error: { code: 'CLIENT_SERVER_ERROR' },
    });
    expect(at({}).state).toBe('offline');
  });

  it('is error while connected when uploads fail, keeping the connector code', () => {
    const s = at(
      { connected: true, hasSynced: true, uploadError: new SyncError('CLIENT_SERVER_ERROR', '503') },
      { pendingUploads: 1 },
    );
    expect(s).toMatchObject({ state: 'error', error: { code: 'CLIENT_SERVER_ERROR' }, pendingUploads: 1 });
  });

  it('carries counts, user, version and lastSyncedAt', () => {
    const when = new Date('2026-01-01T00:00:00Z');
    expect(at({ lastSyncedAt: when }, { rejected: 2, quarantined: 1 })).toMatchObject({
      rejected: 2,
      quarantined: 1,
      userId: 'u1',
      databaseVersion: 3,
      lastSyncedAt: when,
    });
  });
});

describe('errorInfo', () => {
  it('classifies SDK errors', () => {
    expect(errorInfo(Object.assign(new Error('Not signed in'), { status: 401 })).code).toBe(
      'CLIENT_NOT_SIGNED_IN',
    );
    expect(errorInfo(new Error('Received 401 - Unauthorized when getting from /x')).code).toBe(
      'AUTH_INVALID_TOKEN',
    );
    expect(
      errorInfo(
        new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) }),
      ).code,
    ).toBe('CLIENT_NETWORK');
    expect(errorInfo(new Error('something else')).code).toBe('CLIENT_SYNC_FAILED');
    expect(errorInfo(new SyncError('UPLOAD_INTERNAL', 'x')).code).toBe('UPLOAD_INTERNAL');
  });
});

describe('sameStatus', () => {
  it('compares by value, dates included', () => {
    const a = at({ lastSyncedAt: new Date(1) });
    expect(sameStatus(a, at({ lastSyncedAt: new Date(1) }))).toBe(true);
    expect(sameStatus(a, at({ lastSyncedAt: new Date(2) }))).toBe(false);
    expect(sameStatus(a, at({ lastSyncedAt: new Date(1) }, { pendingUploads: 1 }))).toBe(false);
  });
});
