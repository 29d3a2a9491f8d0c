/** The session in the browser (Expo's web target): `localStorage`, like the notes web app. */
import type { StoredSession } from '../../../shared/auth';
import type { SessionStorage } from '../../../shared/local-backend';

const KEY = 'syncline-notes-mobile.session';

export const sessionStorage: SessionStorage = {
  async load() {
    try {
      const raw = localStorage.getItem(KEY);
      const s = raw ? (JSON.parse(raw) as StoredSession) : null;
      return typeof s?.token === 'string' && typeof s.userId === 'string' ? s : null;
    } catch {
      return null;
    }
  },
  async save(session) {
    if (session) localStorage.setItem(KEY, JSON.stringify(session));
    else localStorage.removeItem(KEY);
  },
};
