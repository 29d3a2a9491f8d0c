/** The options and the public shape of {@link createSyncController}, and the checks of what it is given. */
import { invalidOption, type Logger, SyncError } from '@syncline/errors';
import type { SynclineSchema } from '@syncline/schema';
import type { SyncClient } from '../client/index.js';
import type { SessionSource } from '../credentials/index.js';
import { BRIDGE_CHANNELS, type BridgeStatus, type SessionInfo } from './channels.js';
import type { CredentialStore } from './credential-store.js';
import type { PasswordAuth } from './password-auth.js';
import type { IpcInvokeEventLike, IpcMainLike, WebContentsLike } from './types.js';

/** What an app handler receives besides the renderer's arguments. */
export interface BridgeContext<S extends SynclineSchema> {
  client: SyncClient<S>;
  /** The signed-in account, or null. */
  session: SessionInfo | null;
  event: IpcInvokeEventLike;
}

/** An app channel's handler (`docs:list`, …). Its return value must survive structured clone. */
export type BridgeHandler<S extends SynclineSchema> = (
  context: BridgeContext<S>,
  // biome-ignore lint/suspicious/noExplicitAny: each app handler declares its own argument types (`(ctx, id: string)`); `unknown[]` would reject them, since parameters are checked contravariantly.
  ...args: any[]
) => unknown;

/** Options for {@link createSyncController}. */
export interface SyncControllerOptions<S extends SynclineSchema> {
  /** Electron's `ipcMain`. Required. */
  ipcMain: IpcMainLike;
  /** The windows to push the status to, asked on every push, e.g. `() => BrowserWindow.getAllWindows().map((w) => w.webContents)`. Required. */
  targets: () => Iterable<WebContentsLike>;
  /** Keeps the session token (`createCredentialStore`). Required. */
  credentials: CredentialStore;
  /** Signs in/up/out at the API (`createPasswordAuth`). Required. */
  auth: PasswordAuth;
  /** Builds the sync client around the controller's session source (`createSyncClient({ auth: session, … })`). Required. */
  createClient: (session: SessionSource) => SyncClient<S>;
  /** App channels registered with `ipcMain.handle` next to the bridge's own. Default none. */
  handlers?: Record<string, BridgeHandler<S>>;
  /** Whether sync starts switched on. Default true. Persist the user's choice yourself if you need to. */
  enabled?: boolean;
  /** Refuse IPC from frames this returns false for (check `event.senderFrame.url`). Default: accept all. */
  allowSender?: (event: IpcInvokeEventLike) => boolean;
  /** Default: `createLogger({ name: 'desktop-bridge' })`. */
  logger?: Logger;
}

/** Made by {@link createSyncController}. */
export interface SyncController<S extends SynclineSchema> {
  readonly client: SyncClient<S>;
  /** Loads the stored session, opens the database and connects if enabled and signed in. Idempotent. */
  start(): Promise<void>;
  getStatus(): BridgeStatus;
  /** Main-process listeners (tray icon, menu); windows get pushes anyway. */
  subscribe(listener: (status: BridgeStatus) => void): () => void;
  enable(): Promise<BridgeStatus>;
  disable(): Promise<BridgeStatus>;
  signIn(email: string, password: string): Promise<SessionInfo>;
  signUp(email: string, password: string, name: string): Promise<SessionInfo>;
  /** Forgets the session here first (so it works offline), then revokes it at the API (best effort). */
  signOut(options?: { clearData?: boolean }): Promise<void>;
  /** Sends `channel` with `args` to every live window (e.g. a live query's rows). */
  publish(channel: string, ...args: unknown[]): void;
  /** Removes the IPC handlers and closes the client. */
  dispose(): Promise<void>;
}

export function requireString(name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new SyncError('CLIENT_USAGE', `"${name}" must be a non-empty string`, {
      details: { argument: name },
    });
  }
  return value;
}

export function validate<S extends SynclineSchema>(o: SyncControllerOptions<S>): void {
  const bad = (option: string, problem: string) => invalidOption('createSyncController', option, problem);
  if (!o || typeof o !== 'object') throw bad('options', 'must be an object');
  if (typeof o.ipcMain?.handle !== 'function' || typeof o.ipcMain.removeHandler !== 'function') {
    throw bad('ipcMain', "must be Electron's ipcMain (handle, removeHandler)");
  }
  if (typeof o.targets !== 'function') throw bad('targets', 'must be a function returning web contents');
  if (typeof o.credentials?.load !== 'function') throw bad('credentials', 'must be a CredentialStore');
  if (typeof o.auth?.signIn !== 'function') throw bad('auth', 'must be a PasswordAuth');
  if (typeof o.createClient !== 'function') throw bad('createClient', 'must be (session) => SyncClient');
  const own = new Set<string>(Object.values(BRIDGE_CHANNELS));
  for (const channel of Object.keys(o.handlers ?? {})) {
    if (own.has(channel)) throw bad('handlers', `uses the bridge's own channel "${channel}"`);
    if (typeof o.handlers![channel] !== 'function') throw bad('handlers', `"${channel}" must be a function`);
  }
}
