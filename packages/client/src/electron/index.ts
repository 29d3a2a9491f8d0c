/**
 * `@syncline/client/electron` — the desktop bridge, transport-agnostic: no `electron` import, so it runs
 * (and is tested) in plain Node with the in-memory fakes, and in Electron with the real modules.
 *
 * - main process: {@link createSyncController} (sync enable/disable, sign-in/out, status pushed to every
 *   window, app channels), {@link createCredentialStore} + {@link safeStorageCipher} + {@link fileStorage}
 *   (session token encrypted with `safeStorage`), {@link createPasswordAuth};
 * - preload: {@link createRendererApi} (the `window.syncline` API), {@link bridgeErrorCode};
 * - tests: {@link createMemoryIpc}, {@link createTestSafeStorage}.
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
export {
  type BridgeContext,
  type BridgeHandler,
  createSyncController,
  errorBody,
  type SyncController,
  type SyncControllerOptions,
} from './controller.js';
export {
  type CredentialStorage,
  type CredentialStore,
  type CredentialStoreOptions,
  createCredentialStore,
  fileStorage,
  type InsecureFallback,
  memoryStorage,
  type StoredSession,
} from './credential-store.js';
export { createMemoryIpc, type MemoryIpc, type MemoryWindow } from './memory-ipc.js';
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
export {
  createTestSafeStorage,
  type TestSafeStorage,
  type TestSafeStorageOptions,
} from './test-safe-storage.js';
export type {
  IpcInvokeEventLike,
  IpcMainLike,
  IpcRendererLike,
  SafeStorageLike,
  WebContentsLike,
} from './types.js';
