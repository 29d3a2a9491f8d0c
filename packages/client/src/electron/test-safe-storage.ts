/**
 * A stand-in for Electron's `safeStorage` that really encrypts (AES-256-GCM with a random key per
 * instance, via `node:crypto`), for tests in plain Node. Never use it in an app: the key lives in memory.
 */
import type { SafeStorageLike } from './types.js';

/** Options for {@link createTestSafeStorage}. */
export interface TestSafeStorageOptions {
  /** Whether encryption is available (change it later through the returned object). Default true. */
  available?: boolean;
  /** What `getSelectedStorageBackend()` answers. Default `gnome_libsecret`. */
  backend?: string;
  /** Which API to offer: Electron ≤ 41's synchronous one, 46+'s asynchronous one, or both. Default `'sync'`. */
  api?: 'sync' | 'async' | 'both';
  /** 32-byte key; give two instances the same key to simulate the same OS account. Default random. */
  key?: Uint8Array;
}

/** The fake, with its switches. */
export type TestSafeStorage = SafeStorageLike & {
  available: boolean;
  backend: string;
  readonly key: Uint8Array;
  /** How many strings were encrypted / decrypted. */
  readonly calls: { encrypt: number; decrypt: number };
};

/**
 * Creates the fake.
 *
 * @example
 * const safeStorage = createTestSafeStorage();
 * safeStorage.decryptString!(safeStorage.encryptString!('secret')); // 'secret'
 * safeStorage.available = false; // now encryptString throws, like Electron without a key store
 */
export function createTestSafeStorage(options: TestSafeStorageOptions = {}): TestSafeStorage {
  // Loaded here rather than imported, so that bundling the bridge into a preload script never pulls node:crypto.
  const crypto = process.getBuiltinModule('node:crypto');
  const key = options.key ?? crypto.randomBytes(32);
  if (key.length !== 32) throw new Error('createTestSafeStorage: key must be 32 bytes');
  const api = options.api ?? 'sync';
  const calls = { encrypt: 0, decrypt: 0 };
  const fake = {
    available: options.available ?? true,
    backend: options.backend ?? 'gnome_libsecret',
    key,
    calls,
    getSelectedStorageBackend: () => fake.backend,
  } as TestSafeStorage;

  const encrypt = (plainText: string): Buffer => {
    if (!fake.available) {
      throw new Error(
        'Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.',
      );
    }
    calls.encrypt++;
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from('v10'), iv, cipher.getAuthTag(), body]);
  };
  const decrypt = (encrypted: Buffer): string => {
    if (!fake.available) {
      throw new Error(
        'Error while decrypting the ciphertext provided to safeStorage.decryptString. Decryption is not available.',
      );
    }
    calls.decrypt++;
    if (encrypted.subarray(0, 3).toString() !== 'v10')
      throw new Error('Error while decrypting the ciphertext');
    const iv = encrypted.subarray(3, 15);
    const tag = encrypted.subarray(15, 31);
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(encrypted.subarray(31)), decipher.final()]).toString('utf8');
  };
  if (api === 'sync' || api === 'both') {
    fake.isEncryptionAvailable = () => fake.available;
    fake.encryptString = encrypt;
    fake.decryptString = decrypt;
  }
  if (api === 'async' || api === 'both') {
    fake.isAsyncEncryptionAvailable = async () => fake.available;
    fake.encryptStringAsync = async (plainText) => encrypt(plainText);
    fake.decryptStringAsync = async (data) => ({ shouldReEncrypt: false, result: decrypt(data) });
  }
  return fake;
}
