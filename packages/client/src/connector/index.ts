/** The `PowerSyncBackendConnector`: credentials for the sync stream, uploads through the uploader. */
import type {
  CommonPowerSyncDatabase,
  PowerSyncBackendConnector,
  PowerSyncCredentials,
} from '@powersync/common';
import type { Account } from '../account/index.js';
import type { Credentials } from '../credentials/index.js';
import type { EndpointGuard } from '../endpoint/index.js';
import type { Uploader } from '../upload/index.js';

/** Options for {@link createConnector}. */
export interface ConnectorOptions {
  credentials: Credentials;
  /** Claims an unowned database for the first user; its owner is checked before streaming. */
  account: Pick<Account, 'owner' | 'switching' | 'claim'>;
  uploader: Pick<Uploader, 'uploadData'>;
  /** Called (not awaited) when the signed-in user is not the owner of the local data. */
  onAccountMismatch: (userId: string) => void;
  /** Re-targets the write checkpoint when the sync endpoint changed (see `endpoint/`). */
  endpoint?: Pick<EndpointGuard, 'adopt'>;
}

/** The connector plus the optional `invalidateCredentials` hook the SDK calls on a 401 or expiry. */
export interface SyncConnector extends PowerSyncBackendConnector {
  invalidateCredentials(): void;
}

/**
 * Creates the connector. `fetchCredentials` returns the cached JWT and sync URL (null when signed out,
 * so the SDK waits), and never hands out another user's credentials for this database: when the
 * signed-in user is not the owner it returns null and reports the mismatch so the client can switch.
 *
 * @example
 * await powersync.connect(createConnector({ credentials, account, uploader, onAccountMismatch }));
 */
export function createConnector(options: ConnectorOptions): SyncConnector {
  const { credentials, account, uploader } = options;
  return {
    async fetchCredentials(): Promise<PowerSyncCredentials | null> {
      const c = await credentials.get();
      if (!c || account.switching) return null;
      if (account.owner === null) await account.claim(c.userId);
      if (account.owner !== c.userId) {
        options.onAccountMismatch(c.userId);
        return null;
      }
      await options.endpoint?.adopt(c.endpoint);
      const out: PowerSyncCredentials = { endpoint: c.endpoint, token: c.token };
      if (c.expiresAt) out.expiresAt = c.expiresAt;
      return out;
    },
    invalidateCredentials() {
      credentials.invalidate();
    },
    uploadData(db: CommonPowerSyncDatabase) {
      return uploader.uploadData(db);
    },
  };
}
