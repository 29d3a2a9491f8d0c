/**
 * The SDK features beyond plain syncing that the feature suite drives (stream subscriptions, priority status,
 * checkpoint requests), for a device of either SDK.
 */
import type { SyncDevice, TestDevice, TestDeviceOptions } from '@syncline/test-utils';

/** A subscription made with `db.syncStream(name, params).subscribe(options)`. */
export interface SubscriptionHandle {
  waitForFirstSync(): Promise<void>;
  unsubscribe(): Promise<void>;
}

/** The client's view of a stream subscription (`db.currentStatus.forStream(...)`). */
export interface StreamState {
  active: boolean;
  hasSynced: boolean;
  hasExplicitSubscription: boolean;
  priority: number | null;
}

/** The status the SDK reported when a priority first counted as synced. */
export interface PrioritySyncedAt {
  /** Whether the whole checkpoint (every priority) had synced at that moment. */
  hasSynced: boolean;
  downloadedOperations: number;
  totalOperations: number;
}

/** A device with the SDK features of the feature suite. */
export interface FeatureDevice extends SyncDevice {
  /** Warnings the SDK logged. */
  readonly warnings: readonly string[];
  subscribe(
    name: string,
    params: Record<string, unknown> | null,
    options?: { ttl?: number; priority?: 0 | 1 | 2 | 3 },
  ): Promise<SubscriptionHandle>;
  streamState(name: string, params: Record<string, unknown> | null): Promise<StreamState | null>;
  /** Starts watching the status; resolves at the first status where `priority` has synced. */
  watchPrioritySynced(priority: number): Promise<PrioritySyncedAt>;
  /** `db.requestCheckpoint()`, then `waitForSync()` on it (checkpoint-request mode). */
  requestCheckpointAndWait(): Promise<void>;
}

/** Opens a feature device (not yet connected). */
export type FeatureDeviceFactory = (options: TestDeviceOptions) => Promise<FeatureDevice>;

/** The feature calls on a `@powersync/node` {@link TestDevice}. */
export function nodeFeatures(d: TestDevice): FeatureDevice {
  return Object.assign(d, {
    async subscribe(
      name: string,
      params: Record<string, unknown> | null,
      options: { ttl?: number; priority?: 0 | 1 | 2 | 3 } = {},
    ): Promise<SubscriptionHandle> {
      const sub = await d.db.syncStream(name, params ?? undefined).subscribe(options);
      return {
        waitForFirstSync: () => sub.waitForFirstSync(),
        unsubscribe: async () => sub.unsubscribe(),
      };
    },
    async streamState(name: string, params: Record<string, unknown> | null): Promise<StreamState | null> {
      const s = d.db.currentStatus.forStream({ name, parameters: params });
      if (!s) return null;
      return {
        active: s.subscription.active,
        hasSynced: s.subscription.hasSynced,
        hasExplicitSubscription: s.subscription.hasExplicitSubscription,
        priority: s.priority,
      };
    },
    watchPrioritySynced(priority: number): Promise<PrioritySyncedAt> {
      return new Promise((resolve) => {
        const dispose = d.db.registerListener({
          statusChanged: (status) => {
            if (status.statusForPriority(priority)?.hasSynced !== true) return;
            dispose();
            resolve({
              hasSynced: status.hasSynced === true,
              downloadedOperations: status.downloadProgress?.downloadedOperations ?? 0,
              totalOperations: status.downloadProgress?.totalOperations ?? 0,
            });
          },
        });
      });
    },
    async requestCheckpointAndWait(): Promise<void> {
      const request = await d.db.requestCheckpoint();
      await request.waitForSync();
    },
  });
}
