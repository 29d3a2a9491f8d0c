import type { CredentialStorage } from './credential-store.js';

/**
 * A {@link CredentialStorage} in memory (tests; `text` is what a file would hold).
 *
 * @example
 * const storage = memoryStorage();
 */
export function memoryStorage(): CredentialStorage & { text: string | null } {
  const s = {
    text: null as string | null,
    read: async () => s.text,
    write: async (text: string) => {
      s.text = text;
    },
    remove: async () => {
      s.text = null;
    },
  };
  return s;
}
