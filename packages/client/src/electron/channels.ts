/**
 * The IPC contract between the main process ({@link createSyncController}) and the renderer
 * ({@link createRendererApi}): channel names, the status pushed to windows, and the result envelope.
 * Type-only imports: safe to bundle into a preload script.
 */
import type { SyncClientStatus } from '../status/index.js';

/**
 * The bridge's channels. `ipcMain.handle` channels are invoked by the renderer; `statusChanged` is pushed
 * by the main process with `webContents.send`.
 */
export const BRIDGE_CHANNELS = {
  /** Start syncing (and keep syncing across sign-ins) → {@link BridgeStatus}. */
  enable: 'sync:enable',
  /** Stop syncing; local data stays readable and writable → {@link BridgeStatus}. */
  disable: 'sync:disable',
  /** The current {@link BridgeStatus}. */
  status: 'sync:status',
  /** Pushed to every window whenever the {@link BridgeStatus} changes. */
  statusChanged: 'sync:status-changed',
  /** `(email, password)` → {@link SessionInfo}. */
  signIn: 'auth:sign-in',
  /** `(email, password, name)` → {@link SessionInfo}. */
  signUp: 'auth:sign-up',
  /** `({ clearData? })`: revoke the session at the API, forget it locally, stop syncing. */
  signOut: 'auth:sign-out',
  /** The signed-in account ({@link SessionInfo}) or null. */
  session: 'auth:session',
} as const;

/** How the session token is kept on this device. */
export type CredentialProtection =
  /** encrypted with the OS key store (`safeStorage`) in a 0600 file */
  | 'encrypted'
  /** in a 0600 file without encryption: chosen explicitly (`insecureFallback: 'plaintext'`, or no cipher) */
  | 'plaintext'
  /** only in memory for this run, because no real encryption is available (the default fallback) */
  | 'memory'
  /** no session */
  | 'none';

/** The signed-in account as the renderer sees it (never the token). */
export interface SessionInfo {
  userId: string;
  email: string;
}

/** What windows receive on {@link BRIDGE_CHANNELS.statusChanged} and from `sync:status`. */
export interface BridgeStatus extends SyncClientStatus {
  /** Whether sync is switched on (`sync:enable` / `sync:disable`). */
  enabled: boolean;
  /** The signed-in account, or null. */
  account: SessionInfo | null;
  /** How the session is kept on this device. */
  credentials: CredentialProtection;
}

/** The error part of a {@link BridgeResult}: a registry code, a message, details. */
export interface BridgeErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * What every bridge handler returns. Electron keeps only the message of an error thrown by an
 * `ipcMain.handle` listener, so errors travel as values and the renderer API rethrows them with their code.
 */
export type BridgeResult<T> = { ok: true; value: T } | { ok: false; error: BridgeErrorBody };
