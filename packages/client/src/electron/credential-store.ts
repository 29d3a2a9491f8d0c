/**
 * Where a desktop app keeps the session token: a small file, encrypted with the OS key store
 * (`safeStorage`) when it is available. Without real encryption the token stays in memory for this run
 * (the default) or, only when chosen explicitly, goes to a 0600 plaintext file.
 */
import { createLogger, invalidOption, type Logger } from '@syncline/errors';
import type { CredentialProtection } from './channels.js';
import type { SecretCipher } from './cipher.js';

/** What the store keeps: the BetterAuth session token and whom it belongs to. */
export interface StoredSession {
  /** BetterAuth session token (`Authorization: Bearer …`). */
  token: string;
  userId: string;
  email: string;
  /** The API the session belongs to. */
  apiUrl: string;
}

/** Raw persistence for the store: one text blob. */
export interface CredentialStorage {
  read(): Promise<string | null>;
  /** Writes the whole blob atomically, readable by the owner only. */
  write(text: string): Promise<void>;
  remove(): Promise<void>;
}

/** What to do when no real encryption is available (no `safeStorage`, or Linux `basic_text`). */
export type InsecureFallback =
  /** keep the session in memory for this run only; the user signs in again next time (default) */
  | 'memory'
  /** write it unencrypted to the 0600 file, with a warning */
  | 'plaintext';

/** Options for {@link createCredentialStore}. */
export interface CredentialStoreOptions {
  /** Where the blob lives, e.g. `fileStorage(join(app.getPath('userData'), 'session.json'))`. Required. */
  storage: CredentialStorage;
  /**
   * `safeStorageCipher(safeStorage)` in Electron. `null` means "no encryption layer by design" (a CLI that
   * relies on the file's 0600 permissions, like `gh` or `npm`): the session is stored as plaintext without a
   * warning. Required (pass `null` explicitly).
   */
  cipher: SecretCipher | null;
  /** When `cipher` cannot really encrypt. Default `'memory'`: never write the token unencrypted. */
  insecureFallback?: InsecureFallback;
  /** Default: `createLogger({ name: 'credentials' })`. */
  logger?: Logger;
}

/** A store made by {@link createCredentialStore}. */
export interface CredentialStore {
  /** The saved session, or null (none, unreadable, or undecryptable — then the user signs in again). */
  load(): Promise<StoredSession | null>;
  save(session: StoredSession): Promise<void>;
  /** Forgets the session (memory and file). */
  clear(): Promise<void>;
  /** How the current session is kept (`none` before `load`/`save` or after `clear`). */
  readonly protection: CredentialProtection;
}

type Blob =
  | { v: 1; protection: 'encrypted'; data: string }
  | { v: 1; protection: 'plaintext'; session: StoredSession };

/**
 * Creates the session store.
 *
 * @example
 * import { app, safeStorage } from 'electron';
 * const store = createCredentialStore({
 *   storage: fileStorage(join(app.getPath('userData'), 'session.json')),
 *   cipher: safeStorageCipher(safeStorage),
 * });
 * await store.save({ token, userId, email, apiUrl });
 * (await store.load())?.token;
 */
export function createCredentialStore(options: CredentialStoreOptions): CredentialStore {
  const f = 'createCredentialStore';
  if (!options?.storage || typeof options.storage.read !== 'function') {
    throw invalidOption(f, 'storage', 'must be a CredentialStorage, e.g. fileStorage(path)');
  }
  if (options.cipher === undefined) {
    throw invalidOption(
      f,
      'cipher',
      'is required: safeStorageCipher(safeStorage), or null for no encryption',
    );
  }
  const fallback = options.insecureFallback ?? 'memory';
  if (fallback !== 'memory' && fallback !== 'plaintext') {
    throw invalidOption(f, 'insecureFallback', `must be 'memory' or 'plaintext', got ${String(fallback)}`);
  }
  const { storage, cipher } = options;
  const log = options.logger ?? createLogger({ name: 'credentials' });
  let memory: StoredSession | null = null;
  let protection: CredentialProtection = 'none';

  const strong = async () => (cipher ? (await cipher.availability()) === 'available' : false);

  const writeEncrypted = async (session: StoredSession) => {
    const data = await cipher!.encrypt(JSON.stringify(session));
    const blob: Blob = { v: 1, protection: 'encrypted', data: Buffer.from(data).toString('base64') };
    await storage.write(JSON.stringify(blob));
  };
  const writePlain = async (session: StoredSession) => {
    const blob: Blob = { v: 1, protection: 'plaintext', session };
    await storage.write(JSON.stringify(blob));
  };

  /** Keeps the session without real encryption, following the fallback policy. */
  const keepInsecurely = async (session: StoredSession, why: string) => {
    if (fallback === 'plaintext') {
      log.warn(`${why}; storing the session UNENCRYPTED (insecureFallback: 'plaintext', file mode 0600)`);
      await writePlain(session);
      memory = null;
      protection = 'plaintext';
      return;
    }
    log.warn(`${why}; keeping the session in memory only (you will sign in again next start)`);
    await storage.remove();
    memory = session;
    protection = 'memory';
  };

  const save = async (session: StoredSession) => {
    assertSession(session);
    if (!cipher) {
      await writePlain(session);
      memory = null;
      protection = 'plaintext';
      return;
    }
    const availability = await cipher.availability();
    if (availability !== 'available') {
      const why =
        availability === 'weak'
          ? 'safeStorage has no secret store here (Linux basic_text: a hard-coded key)'
          : 'safeStorage encryption is not available';
      return keepInsecurely(session, why);
    }
    try {
      await writeEncrypted(session);
    } catch (e) {
      return keepInsecurely(session, `safeStorage could not encrypt (${(e as Error).message})`);
    }
    memory = null;
    protection = 'encrypted';
  };

  return {
    get protection() {
      return protection;
    },
    async load() {
      if (memory) return memory;
      const text = await storage.read();
      if (text === null) {
        protection = 'none';
        return null;
      }
      const blob = parseBlob(text);
      if (!blob) {
        log.warn('the stored session is unreadable; sign in again');
        protection = 'none';
        return null;
      }
      if (blob.protection === 'plaintext') {
        if (!cipher || fallback === 'plaintext') {
          protection = 'plaintext';
          if (cipher && (await strong())) await save(blob.session); // encryption is back: upgrade
          return blob.session;
        }
        // A plaintext file the policy no longer allows: use it once, encrypted if possible, never keep it as is.
        await save(blob.session);
        return blob.session;
      }
      if (!cipher || (await cipher.availability()) === 'unavailable') {
        log.warn('the stored session is encrypted but encryption is not available now; sign in again');
        protection = 'none';
        return null;
      }
      try {
        const { plainText, reEncrypt } = await cipher.decrypt(Buffer.from(blob.data, 'base64'));
        const session = JSON.parse(plainText) as StoredSession;
        assertSession(session);
        protection = 'encrypted';
        if (reEncrypt) await save(session);
        return session;
      } catch (e) {
        log.warn('the stored session could not be decrypted; sign in again', { error: e });
        protection = 'none';
        return null;
      }
    },
    save,
    async clear() {
      memory = null;
      protection = 'none';
      await storage.remove();
    },
  };
}

/**
 * A {@link CredentialStorage} on a file: written atomically (temporary file + rename) with mode 0600 in a
 * directory created with mode 0700. `node:fs` is loaded on first use, so bundling this module into a
 * preload script costs nothing.
 *
 * @example
 * fileStorage(join(app.getPath('userData'), 'session.json'));
 */
export function fileStorage(path: string): CredentialStorage {
  if (typeof path !== 'string' || path === '')
    throw invalidOption('fileStorage', 'path', 'must be a file path');
  const fs = () => import('node:fs/promises');
  const pathMod = () => import('node:path');
  return {
    async read() {
      try {
        return await (await fs()).readFile(path, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
    },
    async write(text) {
      const { mkdir, writeFile, rename, chmod } = await fs();
      const { dirname } = await pathMod();
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, text, { mode: 0o600 });
      await chmod(tmp, 0o600); // the umask cannot widen it, but be explicit
      await rename(tmp, path);
    },
    async remove() {
      await (await fs()).rm(path, { force: true });
    },
  };
}

function parseBlob(text: string): Blob | null {
  try {
    const b = JSON.parse(text) as Partial<Blob> & { v?: unknown };
    if (b.v !== 1) return null;
    if (b.protection === 'encrypted' && typeof (b as { data?: unknown }).data === 'string') return b as Blob;
    if (b.protection === 'plaintext') {
      const session = (b as { session?: StoredSession }).session;
      return isSession(session) ? (b as Blob) : null;
    }
    return null;
  } catch {
    return null;
  }
}

function isSession(s: unknown): s is StoredSession {
  const o = s as Partial<StoredSession> | null;
  return (
    typeof o === 'object' &&
    o !== null &&
    typeof o.token === 'string' &&
    o.token !== '' &&
    typeof o.userId === 'string' &&
    typeof o.email === 'string' &&
    typeof o.apiUrl === 'string'
  );
}

function assertSession(s: unknown): asserts s is StoredSession {
  if (!isSession(s)) {
    throw invalidOption(
      'CredentialStore.save',
      'session',
      'must be { token, userId, email, apiUrl } strings',
    );
  }
}
