/** Pure status derivation: PowerSync's status + the client's own state → one app-facing status. */
import { type ErrorCode, SyncError } from '@syncline/errors';
import type { AuthState } from '../credentials/index.js';
import type { StuckUpload } from '../upload/stuck.js';

/** The app-facing sync state. */
export type SyncState = 'signed-out' | 'offline' | 'connecting' | 'syncing' | 'synced' | 'error';

/** The one observable status (see the package README for each field). */
export interface SyncClientStatus {
  state: SyncState;
  /** Download progress while syncing (operations). */
  progress?: { downloaded: number; total: number };
  /** Why the state is `error` (or `offline`/`signed-out`, when known). */
  error?: { code: ErrorCode | string; message: string };
  /** Ops waiting in the upload queue. */
  pendingUploads: number;
  /** The current user's rows in `sync_rejections`. */
  rejected: number;
  /** The current user's rows in `sync_quarantine` (from an earlier account switch). */
  quarantined: number;
  lastSyncedAt: Date | null;
  /** The user the local data belongs to. */
  userId: string | null;
  /** Bumped whenever the synced data was cleared (account switch): refetch cached queries. */
  databaseVersion: number;
  /** An account switch is in progress. */
  switching: boolean;
  /**
   * A transaction the server keeps failing with a server error (after `upload.stuckAfter` attempts): what,
   * since when, why. It is still retried; `client.moveStuckUploadAside()` moves it to `sync_rejections`.
   */
  stuckUpload: StuckUpload | null;
}

/** The part of PowerSync's `SyncStatus` the derivation reads. */
export interface SdkStatus {
  connected: boolean;
  connecting: boolean;
  downloading: boolean;
  uploading: boolean;
  hasSynced?: boolean;
  lastSyncedAt?: Date;
  downloadProgress?: { downloadedOperations: number; totalOperations: number } | null;
  downloadError?: unknown;
  uploadError?: unknown;
}

/** Everything the status is derived from. */
export interface StatusInputs {
  sdk: SdkStatus;
  authState: AuthState;
  authError?: SyncError;
  pendingUploads: number;
  rejected: number;
  quarantined: number;
  userId: string | null;
  databaseVersion: number;
  switching: boolean;
  stuckUpload?: StuckUpload | null;
}

const NETWORK =
  /fetch failed|failed to fetch|networkerror|network error|load failed|econnrefused|econnreset|enotfound|ehostunreach|etimedout|socket hang up|other side closed|terminated|und_err/i;

/**
 * A code and message for any error PowerSync or the connector reported. SyncErrors keep their code;
 * the SDK's own errors are classified from their message/status.
 *
 * @example
 * errorInfo(new TypeError('fetch failed')); // { code: 'CLIENT_NETWORK', message: 'fetch failed' }
 */
export function errorInfo(e: unknown): { code: ErrorCode; message: string } {
  if (SyncError.is(e)) return { code: e.code, message: e.message };
  const message = e instanceof Error ? e.message : String(e);
  const cause = e instanceof Error ? (e as { cause?: unknown }).cause : undefined;
  const causeText =
    cause instanceof Error ? `${cause.message} ${(cause as { code?: string }).code ?? ''}` : '';
  const status = typeof e === 'object' && e !== null ? (e as { status?: unknown }).status : undefined;
  if (/not signed in/i.test(message)) return { code: 'CLIENT_NOT_SIGNED_IN', message };
  if (status === 401 || /\b401\b/.test(message)) return { code: 'AUTH_INVALID_TOKEN', message };
  if (NETWORK.test(message) || NETWORK.test(causeText)) return { code: 'CLIENT_NETWORK', message };
  if (/Received 5\d\d/.test(message)) return { code: 'CLIENT_SERVER_ERROR', message };
  return { code: 'CLIENT_SYNC_FAILED', message };
}

/**
 * Derives the status. Signed out wins; then, while connected: an upload error → `error`, downloading
 * or an unfinished first sync or pending uploads → `syncing`, else `synced`. While not connected: a
 * network error → `offline` (even between retries, so the UI does not flicker), another error →
 * `error`, connecting → `connecting`, else `offline`.
 *
 * @example
 * deriveStatus({ ...inputs, sdk: { connected: true, hasSynced: true, … } }).state; // 'synced'
 */
export function deriveStatus(i: StatusInputs): SyncClientStatus {
  const base: SyncClientStatus = {
    state: 'offline',
    pendingUploads: i.pendingUploads,
    rejected: i.rejected,
    quarantined: i.quarantined,
    lastSyncedAt: i.sdk.lastSyncedAt ?? null,
    userId: i.userId,
    databaseVersion: i.databaseVersion,
    switching: i.switching,
    stuckUpload: i.stuckUpload ?? null,
  };
  if (i.authState === 'signed-out') {
    const out: SyncClientStatus = { ...base, state: 'signed-out' };
    if (i.authError) out.error = { code: i.authError.code, message: i.authError.message };
    return out;
  }
  const p = i.sdk.downloadProgress;
  const progress = p ? { downloaded: p.downloadedOperations, total: p.totalOperations } : undefined;
  if (i.sdk.connected) {
    if (i.sdk.uploadError) return { ...base, state: 'error', error: errorInfo(i.sdk.uploadError) };
    if (i.sdk.downloading || progress || i.sdk.hasSynced !== true) {
      return progress ? { ...base, state: 'syncing', progress } : { ...base, state: 'syncing' };
    }
    if (i.pendingUploads > 0 || i.sdk.uploading) return { ...base, state: 'syncing' };
    return { ...base, state: 'synced' };
  }
  const err = i.sdk.downloadError ?? i.sdk.uploadError;
  if (err) {
    const info = errorInfo(err);
    return { ...base, state: info.code === 'CLIENT_NETWORK' ? 'offline' : 'error', error: info };
  }
  if (i.sdk.connecting) return { ...base, state: 'connecting' };
  return base;
}

/** Whether two statuses are the same (so a store can keep the old snapshot object). */
export function sameStatus(a: SyncClientStatus, b: SyncClientStatus): boolean {
  return (
    a.state === b.state &&
    a.pendingUploads === b.pendingUploads &&
    a.rejected === b.rejected &&
    a.quarantined === b.quarantined &&
    (a.lastSyncedAt?.getTime() ?? null) === (b.lastSyncedAt?.getTime() ?? null) &&
    a.userId === b.userId &&
    a.databaseVersion === b.databaseVersion &&
    a.switching === b.switching &&
    a.stuckUpload?.transactionId === b.stuckUpload?.transactionId &&
    a.stuckUpload?.attempts === b.stuckUpload?.attempts &&
    a.progress?.downloaded === b.progress?.downloaded &&
    a.progress?.total === b.progress?.total &&
    a.error?.code === b.error?.code &&
    a.error?.message === b.error?.message
  );
}
