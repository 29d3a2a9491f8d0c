/**
 * The few Electron APIs `main.ts` and `preload.ts` use, declared locally with Electron's signatures
 * (checked against electron 41.7.1's `electron.d.ts`). Electron itself cannot be installed here: its
 * postinstall downloads a binary. In a real app, `npm i -D electron` and delete this file.
 */
declare module 'electron' {
  type Event = { preventDefault(): void; readonly defaultPrevented: boolean };

  interface WebFrameMain {
    readonly url: string;
    readonly origin: string;
  }
  interface WebContents {
    send(channel: string, ...args: any[]): void;
    isDestroyed(): boolean;
  }
  interface IpcMainInvokeEvent {
    readonly sender: WebContents;
    readonly senderFrame: WebFrameMain | null;
    readonly processId: number;
    readonly frameId: number;
  }
  interface IpcMain {
    handle(
      channel: string,
      listener: (event: IpcMainInvokeEvent, ...args: any[]) => Promise<any> | any,
    ): void;
    removeHandler(channel: string): void;
  }
  interface IpcRendererEvent {
    readonly sender: IpcRenderer;
  }
  interface IpcRenderer {
    invoke(channel: string, ...args: any[]): Promise<any>;
    on(channel: string, listener: (event: IpcRendererEvent, ...args: any[]) => void): this;
    removeListener(channel: string, listener: (event: IpcRendererEvent, ...args: any[]) => void): this;
  }
  interface ContextBridge {
    exposeInMainWorld(apiKey: string, api: any): void;
  }
  interface SafeStorage {
    isEncryptionAvailable(): boolean;
    encryptString(plainText: string): Buffer;
    decryptString(encrypted: Buffer): string;
    getSelectedStorageBackend():
      | 'basic_text'
      | 'gnome_libsecret'
      | 'kwallet'
      | 'kwallet5'
      | 'kwallet6'
      | 'unknown';
  }
  interface WebPreferences {
    preload?: string;
    contextIsolation?: boolean;
    sandbox?: boolean;
    nodeIntegration?: boolean;
  }
  interface BrowserWindowConstructorOptions {
    width?: number;
    height?: number;
    title?: string;
    webPreferences?: WebPreferences;
  }
  class BrowserWindow {
    constructor(options?: BrowserWindowConstructorOptions);
    static getAllWindows(): BrowserWindow[];
    readonly webContents: WebContents;
    loadFile(filePath: string): Promise<void>;
    loadURL(url: string): Promise<void>;
  }
  interface App {
    whenReady(): Promise<void>;
    getPath(
      name:
        | 'home'
        | 'appData'
        | 'assets'
        | 'userData'
        | 'sessionData'
        | 'temp'
        | 'exe'
        | 'module'
        | 'desktop'
        | 'documents'
        | 'downloads'
        | 'music'
        | 'pictures'
        | 'videos'
        | 'recent'
        | 'logs'
        | 'crashDumps',
    ): string;
    on(event: 'window-all-closed', listener: () => void): this;
    on(event: 'before-quit', listener: (event: Event) => void): this;
    on(event: 'activate', listener: (event: Event, hasVisibleWindows: boolean) => void): this;
    quit(): void;
    readonly isPackaged: boolean;
  }

  const app: App;
  const ipcMain: IpcMain;
  const safeStorage: SafeStorage;
  const contextBridge: ContextBridge;
  const ipcRenderer: IpcRenderer;
}
