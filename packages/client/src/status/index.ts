/** The observable status: `subscribe` + `getSnapshot`, ready for React's `useSyncExternalStore`. */
import type { SyncStatus } from '@powersync/common';
import {
  deriveStatus,
  type SdkStatus,
  type StatusInputs,
  type SyncClientStatus,
  sameStatus,
} from './derive.js';

export {
  deriveStatus,
  errorInfo,
  type SdkStatus,
  type StatusInputs,
  type SyncClientStatus,
  type SyncState,
} from './derive.js';

/** A read-only observable value. */
export interface Observable<T> {
  /** Registers a listener called after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** The current value; the same object until something changes. */
  getSnapshot(): T;
}

/** The status store made by {@link createStatusStore}. */
export interface StatusStore extends Observable<SyncClientStatus> {
  /** Merges new inputs and notifies listeners if the derived status changed. */
  update(inputs: Partial<StatusInputs>): void;
  readonly inputs: StatusInputs;
}

/**
 * Holds the status inputs and the derived snapshot. The snapshot object only changes when a field of
 * the status changes, so subscribers (and React) re-render only then.
 *
 * @example
 * const store = createStatusStore();
 * const off = store.subscribe(() => console.log(store.getSnapshot().state));
 */
export function createStatusStore(initial: Partial<StatusInputs> = {}): StatusStore {
  let inputs: StatusInputs = {
    sdk: { connected: false, connecting: false, downloading: false, uploading: false },
    authState: 'unknown',
    pendingUploads: 0,
    rejected: 0,
    quarantined: 0,
    userId: null,
    databaseVersion: 0,
    switching: false,
    stuckUpload: null,
    ...initial,
  };
  let snapshot = deriveStatus(inputs);
  const listeners = new Set<() => void>();
  return {
    get inputs() {
      return inputs;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    getSnapshot: () => snapshot,
    update(partial) {
      inputs = { ...inputs, ...partial };
      const next = deriveStatus(inputs);
      if (sameStatus(next, snapshot)) return;
      snapshot = next;
      for (const l of [...listeners]) l();
    },
  };
}

/** The fields of PowerSync's `SyncStatus` the derivation reads. */
export function sdkStatusOf(s: SyncStatus): SdkStatus {
  const out: SdkStatus = {
    connected: s.connected,
    connecting: s.connecting,
    downloading: s.downloading,
    uploading: s.uploading,
    downloadProgress: s.downloadProgress,
    downloadError: s.downloadError,
    uploadError: s.uploadError,
  };
  if (s.hasSynced !== undefined) out.hasSynced = s.hasSynced;
  if (s.lastSyncedAt !== undefined) out.lastSyncedAt = s.lastSyncedAt;
  return out;
}
