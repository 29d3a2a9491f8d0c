import type { NotesSession } from './backend.js';
/** A signed-in session: the token and the account. */
export interface StoredSession extends NotesSession {
  /** BetterAuth session token (the `set-auth-token` header). */
  token: string;
}
/** The part of `fetch` this module uses (every platform's `fetch` fits). */
export type HttpFetch = (
  url: string,
  init: {
    method: string;
    headers: Record<string, string>;
    body: string;
  },
) => Promise<{
  status: number;
  headers: {
    get(name: string): string | null;
  };
  text(): Promise<string>;
}>;
/** Made by {@link createAuthApi}. */
export interface AuthApi {
  signIn(email: string, password: string): Promise<StoredSession>;
  signUp(name: string, email: string, password: string): Promise<StoredSession>;
  /** Revokes the session at the API; best effort (signing out works offline too). */
  revoke(token: string): Promise<void>;
}
/**
 * The API's BetterAuth email endpoints.
 *
 * @example
 * const auth = createAuthApi('http://127.0.0.1:3000', fetch);
 * const session = await auth.signIn('demo@syncline.dev', 'syncline-demo-password');
 */
export declare function createAuthApi(apiUrl: string, fetchImpl: HttpFetch): AuthApi;
