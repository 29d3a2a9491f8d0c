/**
 * Sign-up, sign-in and sign-out against the notes API (BetterAuth with the bearer plugin), for the apps
 * that hold their own session (web, mobile). The session token is sent as `Authorization: Bearer …`; no
 * cookies. Failures are SyncErrors (`CLIENT_NETWORK`, `AUTH_INVALID_SESSION`, `AUTH_SIGN_UP_REFUSED`, …)
 * carrying BetterAuth's own code in `details.remoteCode`; `userMessage` turns them into sentences.
 */
import { SyncError } from '@syncline/errors';
import type { NotesSession } from './backend.js';

/** A signed-in session: the token and the account. */
export interface StoredSession extends NotesSession {
  /** BetterAuth session token (the `set-auth-token` header). */
  token: string;
}

/** The part of `fetch` this module uses (every platform's `fetch` fits). */
export type HttpFetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string },
) => Promise<{ status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>;

/** Made by {@link createAuthApi}. */
export interface AuthApi {
  signIn(email: string, password: string): Promise<StoredSession>;
  signUp(name: string, email: string, password: string): Promise<StoredSession>;
  /** Revokes the session at the API; best effort (signing out works offline too). */
  revoke(token: string): Promise<void>;
}

/** The fields of BetterAuth's and Syncline's JSON answers this client reads. */
interface AuthAnswer {
  token?: unknown;
  user?: { id?: unknown; email?: unknown; name?: unknown };
  error?: unknown;
  code?: unknown;
  message?: unknown;
}

/**
 * The API's BetterAuth email endpoints.
 *
 * @example
 * const auth = createAuthApi('http://127.0.0.1:3000', fetch);
 * const session = await auth.signIn('demo@syncline.dev', 'syncline-demo-password');
 */
export function createAuthApi(apiUrl: string, fetchImpl: HttpFetch): AuthApi {
  const base = apiUrl.replace(/\/+$/, '');
  const post = async (path: string, body: unknown, token?: string) => {
    try {
      const res = await fetchImpl(`${base}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      let json: AuthAnswer | null = null;
      try {
        json = text ? (JSON.parse(text) as AuthAnswer) : null;
      } catch {
        json = null;
      }
      return { status: res.status, token: res.headers.get('set-auth-token'), json };
    } catch (e) {
      throw new SyncError('CLIENT_NETWORK', `Cannot reach the server at ${base}.`, { cause: e });
    }
  };

  const session = async (what: 'sign-in' | 'sign-up', path: string, body: Record<string, string>) => {
    const res = await post(path, body);
    if (res.status < 200 || res.status >= 300) {
      // BetterAuth answers { code, message }; Syncline's handlers { error: { code, message } }.
      const err = (res.json?.error ?? res.json) as { code?: unknown; message?: unknown } | null;
      const remoteCode = typeof err?.code === 'string' ? err.code : undefined;
      const message = typeof err?.message === 'string' && err.message ? err.message : `HTTP ${res.status}`;
      const details = { status: res.status, ...(remoteCode ? { remoteCode } : {}) };
      if (res.status >= 500 || res.status === 429) {
        throw new SyncError('CLIENT_SERVER_ERROR', `${what} failed: ${message}`, { details });
      }
      const code = what === 'sign-up' && res.status !== 401 ? 'AUTH_SIGN_UP_REFUSED' : 'AUTH_INVALID_SESSION';
      throw new SyncError(code, `${what} refused: ${message}`, { status: res.status, details });
    }
    const token = res.token ?? res.json?.token;
    const user = res.json?.user;
    if (typeof token !== 'string' || typeof user?.id !== 'string') {
      throw new SyncError('CLIENT_INVALID_RESPONSE', `${what}: the server answered without a session.`);
    }
    return {
      token,
      userId: user.id,
      email: String(user.email ?? body.email ?? ''),
      name: String(user.name ?? ''),
    } satisfies StoredSession;
  };

  return {
    signIn: (email, password) => session('sign-in', '/api/auth/sign-in/email', { email, password }),
    signUp: (name, email, password) =>
      session('sign-up', '/api/auth/sign-up/email', { name, email, password }),
    async revoke(token) {
      await post('/api/auth/sign-out', {}, token).catch(() => undefined);
    },
  };
}
