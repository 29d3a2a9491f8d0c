export {
  createTokenVerifier,
  type TokenVerifier,
  type TokenVerifierOptions,
  type VerifiedToken,
} from './auth/index.js';
export { type LoadedConfig, loadPowerSyncConfig, parsePowerSyncConfig } from './config/index.js';
export { SyncRules } from './rules/index.js';
export { createSyncServer, type SyncServer, type SyncServerOptions } from './server.js';
