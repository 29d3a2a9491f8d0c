/**
 * Which user the local data belongs to (persisted in the local-only `sync_account` table), the
 * database version, and switching from one user to another without leaking data or sending one user's
 * writes with another user's token.
 */
import type { CommonPowerSyncDatabase } from '@powersync/common';
import type { Logger } from '@syncline/errors';
import { syncAccount } from '../tables/index.js';
import { quarantinePending } from './quarantine.js';

export {
  createQuarantine,
  type Quarantine,
  type QuarantinedWrite,
  type RestoreResult,
} from './quarantine.js';

/** What to do with the previous user's pending uploads when another user signs in. */
export type PendingOnSwitch = 'quarantine' | 'discard';

/** The account state made by {@link createAccount}. */
export interface Account {
  /** Reads the persisted owner and database version. */
  load(): Promise<void>;
  /** The user the synced data (and the upload queue) belongs to; null before the first sign-in. */
  readonly owner: string | null;
  /** Bumped on every clear of the synced data; persisted. */
  readonly databaseVersion: number;
  /** Changes whenever a switch starts or ends: an upload that saw another generation must stop. */
  readonly generation: number;
  readonly switching: boolean;
  /** Records `userId` as the owner of a database that has none yet (nothing is cleared); else a no-op. */
  claim(userId: string): Promise<void>;
  /** Listens to owner / version / switching changes. */
  subscribe(listener: () => void): () => void;
}

/** An {@link Account} plus the switch steps, for the client. */
export interface AccountController extends Account {
  beginSwitch(): void;
  completeSwitch(owner: string | null): Promise<void>;
  abortSwitch(): void;
}

const T = syncAccount.name;

/**
 * The persisted account state.
 *
 * @example
 * const account = createAccount(powersync);
 * await account.load();
 * account.owner; // 'user-a' | null
 */
export function createAccount(powersync: CommonPowerSyncDatabase): AccountController {
  let owner: string | null = null;
  let databaseVersion = 0;
  let generation = 0;
  let switching = false;
  const listeners = new Set<() => void>();
  const emit = () => {
    for (const l of [...listeners]) l();
  };
  const persist = async (nextOwner: string | null, nextVersion: number) => {
    await powersync.execute(
      `INSERT OR REPLACE INTO ${T} (id, user_id, database_version, updated_at) VALUES ('owner', ?, ?, ?)`,
      [nextOwner, nextVersion, new Date().toISOString()],
    );
    owner = nextOwner;
    databaseVersion = nextVersion;
  };
  return {
    get owner() {
      return owner;
    },
    get databaseVersion() {
      return databaseVersion;
    },
    get generation() {
      return generation;
    },
    get switching() {
      return switching;
    },
    async load() {
      const row = await powersync.getOptional<{ user_id: string | null; database_version: number | null }>(
        `SELECT user_id, database_version FROM ${T} WHERE id = 'owner'`,
      );
      owner = row?.user_id ?? null;
      databaseVersion = Number(row?.database_version ?? 0);
      emit();
    },
    async claim(userId) {
      if (owner !== null || switching) return; // owned already: only a switch changes the owner
      await persist(userId, databaseVersion);
      emit();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    beginSwitch() {
      switching = true;
      generation++;
      emit();
    },
    async completeSwitch(nextOwner) {
      await persist(nextOwner, databaseVersion + 1);
      switching = false;
      generation++;
      emit();
    },
    abortSwitch() {
      switching = false;
      generation++;
      emit();
    },
  };
}

/** Options for {@link switchAccount}. */
export interface SwitchAccountOptions {
  powersync: CommonPowerSyncDatabase;
  account: AccountController;
  /** Default `'quarantine'`. */
  pendingOnSwitch?: PendingOnSwitch;
  logger: Logger;
}

/**
 * Hands the device to `nextUser` (or to nobody): stops syncing and waits for an upload in flight, takes
 * the previous user's pending writes out of the upload queue (into `sync_quarantine`, tagged with that
 * user, or dropped), wipes the synced tables with `disconnectAndClear({ clearLocal: false })` (local-only
 * tables survive), then records the new owner and bumps the database version. Connecting again is the
 * caller's job. Safe to run again after a crash at any step (quarantine ids are deterministic).
 *
 * @example
 * await switchAccount({ powersync, account, logger }, 'user-b');
 */
export async function switchAccount(
  options: SwitchAccountOptions,
  nextUser: string | null,
): Promise<{ quarantined: number; discarded: number }> {
  const { powersync, account, logger } = options;
  const previous = account.owner;
  account.beginSwitch();
  try {
    // The SDK's disconnect() awaits its upload loop, so no uploadData of the previous user is in flight
    // after this line, and none starts until we connect again.
    await powersync.disconnect();
    let quarantined = 0;
    let discarded = 0;
    if ((options.pendingOnSwitch ?? 'quarantine') === 'quarantine' && previous !== null) {
      quarantined = await quarantinePending(powersync, previous);
    } else {
      discarded = (await powersync.getUploadQueueStats()).count;
    }
    await powersync.disconnectAndClear({ clearLocal: false });
    await account.completeSwitch(nextUser);
    logger.info('account switched', {
      from: previous,
      to: nextUser,
      quarantined,
      discarded,
      databaseVersion: account.databaseVersion,
    });
    if (discarded > 0) logger.warn('pending writes of the previous user were discarded', { discarded });
    return { quarantined, discarded };
  } catch (e) {
    account.abortSwitch();
    throw e;
  }
}
