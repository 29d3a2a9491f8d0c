/**
 * `@syncline/client/electron/testing` — in-memory stand-ins for Electron's modules, to test a desktop app's
 * main/preload code in plain Node (no Electron runtime): {@link createMemoryIpc} (`ipcMain`, `ipcRenderer`,
 * windows' `webContents`), {@link createTestSafeStorage} (`safeStorage`) and {@link memoryStorage} (the
 * credential file). Never import it in production code.
 *
 * @example
 * import { createMemoryIpc, createTestSafeStorage } from '@syncline/client/electron/testing';
 */
export { createMemoryIpc, type MemoryIpc, type MemoryWindow } from './memory-ipc.js';
export { memoryStorage } from './memory-storage.js';
export {
  createTestSafeStorage,
  type TestSafeStorage,
  type TestSafeStorageOptions,
} from './test-safe-storage.js';
