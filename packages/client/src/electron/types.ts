/**
 * The parts of Electron's API the bridge uses, as structural types. Electron's own objects (`ipcMain`,
 * `webContents`, `ipcRenderer`, `safeStorage`) satisfy them, so this package never imports `electron`;
 * the in-memory fakes in `memory-ipc.ts` and `test-safe-storage.ts` satisfy them too.
 */

/** What `ipcMain.handle` listeners receive (`IpcMainInvokeEvent`), reduced to what the bridge reads. */
export interface IpcInvokeEventLike {
  /** The sender's web contents. */
  readonly sender: WebContentsLike;
  /** The frame that sent the message; null once it navigated away or was destroyed. */
  readonly senderFrame?: { readonly url: string } | null;
}

/** Electron's `ipcMain`: `handle(channel, listener)` and `removeHandler(channel)`. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** Electron's `WebContents`: `send(channel, ...args)` (structured clone) and `isDestroyed()`. */
export interface WebContentsLike {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

/** Electron's `ipcRenderer` (preload): `invoke`, `on`, `removeListener`. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/**
 * Electron's `safeStorage` (main process). Electron ≤ 45 has the synchronous trio
 * (`isEncryptionAvailable`, `encryptString`, `decryptString`); Electron 42+ adds the asynchronous one
 * (`isAsyncEncryptionAvailable`, `encryptStringAsync`, `decryptStringAsync`), the only one left in 46+.
 * The bridge prefers the asynchronous API when it exists. `getSelectedStorageBackend()` (Linux) tells
 * whether a real secret store backs the key (`basic_text` means a hard-coded password).
 */
export interface SafeStorageLike {
  isEncryptionAvailable?(): boolean;
  encryptString?(plainText: string): Buffer;
  decryptString?(encrypted: Buffer): string;
  isAsyncEncryptionAvailable?(): Promise<boolean>;
  encryptStringAsync?(plainText: string): Promise<Buffer>;
  decryptStringAsync?(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }>;
  getSelectedStorageBackend?(): string;
}
