/** The session on iOS and Android: in the OS key store (Keychain / Keystore) through `expo-secure-store`. */
import * as SecureStore from 'expo-secure-store';
import type { StoredSession } from '../../../shared/auth';
import type { SessionStorage } from '../../../shared/local-backend';

const KEY = 'syncline-notes.session';

export const sessionStorage: SessionStorage = {
  async load() {
    const raw = await SecureStore.getItemAsync(KEY);
    const s = raw ? (JSON.parse(raw) as StoredSession) : null;
    return typeof s?.token === 'string' && typeof s.userId === 'string' ? s : null;
  },
  async save(session) {
    if (session) await SecureStore.setItemAsync(KEY, JSON.stringify(session));
    else await SecureStore.deleteItemAsync(KEY);
  },
};
