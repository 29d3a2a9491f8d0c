export {
  createTokenVerifier,
  type TokenVerifier,
  type TokenVerifierOptions,
  type VerifiedToken,
} from './auth/index.js';
export { type LoadedConfig, loadPowerSyncConfig, parsePowerSyncConfig } from './config/index.js';
export { Replicator, type ReplicatorOptions } from './replication/replicator.js';
export { SyncRules } from './rules/index.js';
export { createSyncServer, type SyncServer, type SyncServerOptions } from './server.js';
export type { CheckpointEvent } from './storage/events.js';
export { BucketStore } from './storage/store.js';
