/** Email + password sign-in against the API's BetterAuth endpoints, for desktop and CLI clients. */
import { invalidOption, SyncError } from '@syncline/errors';
import { type FetchLike, send } from '../http/index.js';

/** A session BetterAuth issued. */
export interface AuthSession {
  /** The session token (`set-auth-token`, or the body's `token`). */
  token: string;
  userId: string;
  email: string;
}

/** Made by {@link createPasswordAuth}. */
export interface PasswordAuth {
  readonly apiUrl: string;
  /** `POST /api/auth/sign-in/email`. Wrong credentials → `AUTH_INVALID_SESSION`; unreachable → `CLIENT_NETWORK`. */
  signIn(email: string, password: string): Promise<AuthSession>;
  /** `POST /api/auth/sign-up/email`. Refused (email taken, weak password) → `AUTH_SIGN_UP_REFUSED`. */
  signUp(email: string, password: string, name: string): Promise<AuthSession>;
  /** `POST /api/auth/sign-out`: revokes the session at the API. */
  signOut(token: string): Promise<void>;
}

/** Options for {@link createPasswordAuth}. */
export interface PasswordAuthOptions {
  /** The API's base URL. Required. */
  apiUrl: string;
  /** Default `globalThis.fetch`. */
  fetch?: FetchLike;
}

/**
 * Signs in, up and out with BetterAuth's email endpoints and the bearer plugin. Failures are SyncErrors
 * carrying BetterAuth's own code in `details.remoteCode`.
 *
 * @example
 * const auth = createPasswordAuth({ apiUrl: 'http://127.0.0.1:3000' });
 * const { token, userId } = await auth.signIn('demo@syncline.dev', 'syncline-demo-password');
 */
export function createPasswordAuth(options: PasswordAuthOptions): PasswordAuth {
  const apiUrl = options?.apiUrl;
  if (typeof apiUrl !== 'string' || !/^https?:\/\/[^/]/.test(apiUrl)) {
    throw invalidOption(
      'createPasswordAuth',
      'apiUrl',
      `must be an http(s) URL, got ${JSON.stringify(apiUrl)}`,
    );
  }
  const base = apiUrl.replace(/\/+$/, '');
  const fetchImpl: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const post = (path: string, body: unknown, token?: string) =>
    send(fetchImpl, `${base}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    });

  const session = async (what: string, path: string, body: Record<string, string>): Promise<AuthSession> => {
    // `send` reads the body, so the header must be captured by a wrapping fetch.
    let headerToken: string | null = null;
    const res = await send(
      async (input, init) => {
        const r = await fetchImpl(input, init);
        headerToken = r.headers.get('set-auth-token');
        return r;
      },
      `${base}${path}`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    );
    if (res.status < 200 || res.status >= 300) throw authError(what, res.status, res.json, res.text);
    const json = res.json as { token?: unknown; user?: { id?: unknown; email?: unknown } } | undefined;
    const token = headerToken ?? (typeof json?.token === 'string' ? json.token : null);
    const userId = json?.user?.id;
    if (!token || typeof userId !== 'string') {
      throw new SyncError('CLIENT_INVALID_RESPONSE', `${what}: the API answered without a session token`, {
        details: { status: res.status },
      });
    }
    const email = typeof json?.user?.email === 'string' ? json.user.email : body.email!;
    return { token, userId, email };
  };

  return {
    apiUrl: base,
    signIn: (email, password) => session('sign-in', '/api/auth/sign-in/email', { email, password }),
    signUp: (email, password, name) =>
      session('sign-up', '/api/auth/sign-up/email', { email, password, name }),
    async signOut(token) {
      const res = await post('/api/auth/sign-out', {}, token);
      // 401: the session was already revoked or expired — signed out either way.
      if ((res.status < 200 || res.status >= 300) && res.status !== 401) {
        throw authError('sign-out', res.status, res.json, res.text);
      }
    },
  };
}

function authError(what: string, status: number, json: unknown, text: string): SyncError {
  const body = json as { code?: unknown; message?: unknown; error?: { code?: unknown; message?: unknown } };
  const remoteCode = body?.code ?? body?.error?.code;
  const remoteMessage = body?.message ?? body?.error?.message;
  const message =
    typeof remoteMessage === 'string' && remoteMessage !== '' ? remoteMessage : text.slice(0, 200);
  const details = { status, ...(typeof remoteCode === 'string' ? { remoteCode } : {}) };
  if (status >= 500 || status === 429) {
    return new SyncError('CLIENT_SERVER_ERROR', `${what} failed (HTTP ${status}): ${message}`, { details });
  }
  if (status === 401 || status === 403) {
    return new SyncError('AUTH_INVALID_SESSION', `${what} refused: ${message}`, { status, details });
  }
  if (status >= 400 && status < 500) {
    const code = what === 'sign-up' ? 'AUTH_SIGN_UP_REFUSED' : 'AUTH_INVALID_SESSION';
    return new SyncError(code, `${what} refused: ${message}`, { status, details });
  }
  return new SyncError('CLIENT_INVALID_RESPONSE', `${what}: unexpected HTTP ${status}`, { details });
}
