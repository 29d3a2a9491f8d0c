/**
 * Sign-up, sign-in and sign-out against the notes API (BetterAuth with the bearer plugin), and the session
 * store. The session token is kept in `localStorage` (`syncline-notes.session`) so a reload — or a start
 * without network — resumes where the user left off; other tabs of the same browser follow through the
 * `storage` event. The token is sent as `Authorization: Bearer …`; no cookies are used.
 */
import { API_URL } from './config.js';

/** A signed-in user's session. */
export interface Session {
  /** BetterAuth session token (the `set-auth-token` header). */
  token: string;
  user: { id: string; email: string; name: string };
}

/** An error the sign-in form can show: a code (the API's or ours) and a sentence. */
export class AuthError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'AuthError';
    this.code = code;
  }
}

const KEY = 'syncline-notes.session';
/** Why the last session ended without the user signing out (shown on the sign-in screen). */
export type EndReason = 'expired' | null;

let current: Session | null = read();
let endReason: EndReason = null;
const listeners = new Set<() => void>();

function read(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    return typeof s?.token === 'string' && typeof s.user?.id === 'string' ? s : null;
  } catch {
    return null;
  }
}

function emit() {
  for (const l of [...listeners]) l();
}

window.addEventListener('storage', (e) => {
  if (e.key !== KEY) return;
  current = read();
  emit();
});

/** The session store (for `useSyncExternalStore`). */
export const sessionStore = {
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
  get: (): Session | null => current,
  endReason: (): EndReason => endReason,
  set(session: Session | null, reason: EndReason = null): void {
    current = session;
    endReason = session ? null : reason;
    if (session) localStorage.setItem(KEY, JSON.stringify(session));
    else localStorage.removeItem(KEY);
    emit();
  },
};

async function post(path: string, body: unknown, token?: string): Promise<Response> {
  try {
    return await fetch(`${API_URL}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    });
  } catch {
    throw new AuthError('CLIENT_NETWORK', `Cannot reach the server at ${API_URL}. Check your connection.`);
  }
}

async function toSession(res: Response): Promise<Session> {
  const body = (await res.json().catch(() => null)) as Record<string, any> | null;
  if (!res.ok) {
    // BetterAuth answers { code, message }; Syncline's handlers { error: { code, message } }.
    const err = body?.error ?? body;
    const code = typeof err?.code === 'string' ? err.code : `HTTP_${res.status}`;
    const message =
      typeof err?.message === 'string' && err.message ? err.message : `The server answered ${res.status}.`;
    throw new AuthError(code, message);
  }
  const token = res.headers.get('set-auth-token') ?? body?.token;
  const user = body?.user;
  if (typeof token !== 'string' || !user || typeof user.id !== 'string') {
    throw new AuthError('CLIENT_INVALID_RESPONSE', 'The server answered without a session.');
  }
  return { token, user: { id: user.id, email: String(user.email ?? ''), name: String(user.name ?? '') } };
}

/** Signs in with email and password. */
export async function signIn(email: string, password: string): Promise<Session> {
  return toSession(await post('/api/auth/sign-in/email', { email, password }));
}

/** Creates an account and signs in. */
export async function signUp(name: string, email: string, password: string): Promise<Session> {
  return toSession(await post('/api/auth/sign-up/email', { name, email, password }));
}

/** Revokes the session at the API (best effort: signing out works offline too). */
export async function revokeSession(token: string): Promise<void> {
  await post('/api/auth/sign-out', {}, token).catch(() => undefined);
}
