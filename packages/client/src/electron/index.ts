/**
 * `@syncline/client/electron` — the desktop bridge, transport-agnostic: no `electron` import, so it runs
 * (and is tested) in plain Node with the in-memory fakes of `@syncline/client/electron/testing`, and in
 * Electron with the real modules.
 *
 * - main process: {@link createSyncController} (sync enable/disable, sign-in/out, status pushed to every
 *   window, app channels), {@link createCredentialStore} + {@link safeStorageCipher} + {@link fileStorage}
 *   (session token encrypted with `safeStorage`), {@link createPasswordAuth};
 * - preload: {@link createRendererApi} (the `window.syncline` API), {@link bridgeErrorCode};
 * - tests: `@syncline/client/electron/testing` (`createMemoryIpc`, `createTestSafeStorage`, `memoryStorage`).
 */
export {
  BRIDGE_CHANNELS,
  type BridgeErrorBody,
  type BridgeResult,
  type BridgeStatus,
  type CredentialProtection,
  type SessionInfo,
} from './channels.js';
export { type CipherAvailability, type SecretCipher, safeStorageCipher } from './cipher.js';
export { createSyncController } from './controller.js';
export type {
  BridgeContext,
  BridgeHandler,
  SyncController,
  SyncControllerOptions,
} from './controller-options.js';
export {
  type CredentialStorage,
  type CredentialStore,
  type CredentialStoreOptions,
  createCredentialStore,
  fileStorage,
  type InsecureFallback,
  type StoredSession,
} from './credential-store.js';
export { errorBody } from './error-body.js';
export {
  type AuthSession,
  createPasswordAuth,
  type PasswordAuth,
  type PasswordAuthOptions,
} from './password-auth.js';
export {
  BridgeError,
  bridgeErrorCode,
  createRendererApi,
  type RendererApiOptions,
  type SynclineRendererApi,
} from './renderer.js';
export type {
  IpcInvokeEventLike,
  IpcMainLike,
  IpcRendererLike,
  SafeStorageLike,
  WebContentsLike,
} from './types.js';
