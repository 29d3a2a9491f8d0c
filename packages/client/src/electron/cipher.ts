/** A string cipher over Electron's `safeStorage`, asynchronous API preferred. */
import type { SafeStorageLike } from './types.js';

/** Whether a cipher can protect a secret right now. */
export type CipherAvailability =
  /** real OS-backed encryption (Keychain, DPAPI, libsecret/kwallet) */
  | 'available'
  /** encryption works but the key is not protected (Linux `basic_text`: a hard-coded password) */
  | 'weak'
  | 'unavailable';

/** Encrypts and decrypts short strings (session tokens) for storage on this machine. */
export interface SecretCipher {
  availability(): Promise<CipherAvailability>;
  encrypt(plainText: string): Promise<Uint8Array>;
  /** `reEncrypt`: the key was rotated; store the value again. Throws when the data cannot be decrypted. */
  decrypt(data: Uint8Array): Promise<{ plainText: string; reEncrypt: boolean }>;
}

/**
 * Wraps Electron's `safeStorage`: `encryptStringAsync`/`decryptStringAsync` when present (Electron 42+,
 * the only API in 46+), else `encryptString`/`decryptString`. On Linux, the `basic_text` backend (no
 * secret store; the key is a hard-coded password) is reported as `weak`, so the credential store treats it
 * like no encryption. Call after `app.whenReady()`: before it, Linux and Windows report no encryption.
 *
 * @example
 * import { safeStorage } from 'electron';
 * const store = createCredentialStore({ storage: fileStorage(file), cipher: safeStorageCipher(safeStorage) });
 */
export function safeStorageCipher(safeStorage: SafeStorageLike): SecretCipher {
  const s = safeStorage;
  const hasAsync = typeof s.encryptStringAsync === 'function' && typeof s.decryptStringAsync === 'function';
  const hasSync = typeof s.encryptString === 'function' && typeof s.decryptString === 'function';
  return {
    async availability() {
      let ok = false;
      if (hasAsync && typeof s.isAsyncEncryptionAvailable === 'function') {
        ok = await s.isAsyncEncryptionAvailable();
      } else if (hasSync && typeof s.isEncryptionAvailable === 'function') {
        ok = s.isEncryptionAvailable();
      }
      if (!ok) return 'unavailable';
      const backend = s.getSelectedStorageBackend?.();
      return backend === 'basic_text' ? 'weak' : 'available';
    },
    async encrypt(plainText) {
      if (hasAsync) return new Uint8Array(await s.encryptStringAsync!(plainText));
      if (hasSync) return new Uint8Array(s.encryptString!(plainText));
      throw new Error('safeStorage has neither encryptStringAsync nor encryptString');
    },
    async decrypt(data) {
      const buffer = Buffer.from(data);
      if (hasAsync) {
        const r = await s.decryptStringAsync!(buffer);
        return { plainText: r.result, reEncrypt: r.shouldReEncrypt };
      }
      if (hasSync) return { plainText: s.decryptString!(buffer), reEncrypt: false };
      throw new Error('safeStorage has neither decryptStringAsync nor decryptString');
    },
  };
}
