/** What share dialogs need from the API: the account behind an email address (`GET /api/sharing/users`). */
import { SyncError } from '@syncline/errors';
import type { Credentials } from '../credentials/index.js';
import { type FetchLike, invalidResponse, responseError, send } from '../http/index.js';

/** An account, as the API's user lookup answers it. */
export interface SharedUser {
  id: string;
  email: string;
  name: string;
}

/** Made by {@link createSharing}; `client.sharing`. */
export interface Sharing {
  /**
   * The account that uses `email` (any case), or null when none does — to write the user id into a membership row.
   * Needs the network; throws `CLIENT_NETWORK` offline, `SHARING_RATE_LIMITED` after too many lookups.
   */
  findUser(email: string): Promise<SharedUser | null>;
}

/**
 * The client side of the API's user lookup, signed in with the sync token (refreshed once on a 401).
 *
 * @example
 * const bob = await client.sharing.findUser('bob@example.com');
 * if (bob) await db.insert(projectMembers.sqlite).values({ id: `${projectId}.${bob.id}`, projectId, userId: bob.id, role: 'editor' });
 */
export function createSharing(options: {
  apiUrl: string;
  fetch: FetchLike;
  credentials: Credentials;
}): Sharing {
  const base = options.apiUrl.replace(/\/+$/, '');
  return {
    async findUser(email) {
      const address = typeof email === 'string' ? email.trim() : '';
      if (!address) throw new SyncError('CLIENT_USAGE', 'findUser: pass an email address.');
      for (let attempt = 0; ; attempt++) {
        const creds = await options.credentials.get();
        if (!creds) throw new SyncError('CLIENT_NOT_SIGNED_IN', 'Sign in to look up users.');
        const res = await send(
          options.fetch,
          `${base}/api/sharing/users?email=${encodeURIComponent(address)}`,
          {
            method: 'GET',
            headers: { authorization: `Bearer ${creds.token}` },
          },
        );
        if (res.status === 200) {
          const u = res.json as Partial<SharedUser> | undefined;
          if (typeof u?.id !== 'string') throw invalidResponse('user lookup', res);
          return { id: u.id, email: String(u.email ?? address), name: String(u.name ?? '') };
        }
        const { error } = await responseError(res);
        if (error.code === 'SHARING_USER_NOT_FOUND') return null;
        if (res.status === 401 && attempt === 0) {
          options.credentials.invalidate();
          continue;
        }
        throw error;
      }
    },
  };
}
