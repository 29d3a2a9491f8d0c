/**
 * `GET /api/sharing/users?email=…`: who has this email address — what a share dialog needs to turn the address
 * the owner typed into the user id a membership row holds. Signed-in callers only, rate-limited per caller
 * (it tells whether an address has an account, so it must not be a cheap enumeration oracle).
 */
import { createLogger, invalidOption, type Logger, positiveInt, SyncError } from '@syncline/errors';
import type { AuthContext, Authenticator } from '../auth/authenticate.js';
import type { SynclineAuth } from '../auth/index.js';
import { errorResponse, json } from '../http/index.js';

/** The account behind an email address, as the lookup answers it. */
export interface SharedUser {
  id: string;
  email: string;
  name: string;
}

/** Options for {@link createUserLookupHandler}. */
export interface UserLookupOptions {
  /** From `createAuth`: authenticates the caller and finds accounts. Required. */
  auth: Pick<SynclineAuth, 'betterAuth'> & Authenticator;
  /** Lookups per caller per minute before `429 SHARING_RATE_LIMITED`. Default 30. */
  perMinute?: number;
  /** Default: `createLogger({ name: 'sharing' })`. */
  logger?: Logger;
  now?: () => number;
}

/** `(request, ctx?) => Response` for `GET /api/sharing/users`. */
export type UserLookupHandler = (request: Request, ctx?: AuthContext) => Promise<Response>;

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

/**
 * The user lookup of share dialogs: `GET /api/sharing/users?email=bob@example.com` with the caller's bearer token
 * answers `{ id, email, name }`, `404 SHARING_USER_NOT_FOUND`, `400 SHARING_INVALID_REQUEST` or
 * `429 SHARING_RATE_LIMITED` (with `Retry-After`). `synclinePlugin({ …, sharing })` mounts it.
 *
 * @example
 * const sharing = createUserLookupHandler({ auth });
 * app.use(synclinePlugin({ auth, config, upload, sharing }));
 */
export function createUserLookupHandler(options: UserLookupOptions): UserLookupHandler {
  const f = 'createUserLookupHandler';
  if (!options?.auth?.betterAuth || typeof options.auth.authenticate !== 'function') {
    throw invalidOption(f, 'auth', 'is required (from createAuth)');
  }
  const perMinute = positiveInt(f, 'perMinute', options.perMinute, 30);
  const log = options.logger ?? createLogger({ name: 'sharing' });
  const now = options.now ?? Date.now;
  const windows = new Map<string, { start: number; count: number }>();

  const limit = (userId: string) => {
    const t = now();
    if (windows.size > 10_000) for (const [k, w] of windows) if (t - w.start >= 60_000) windows.delete(k);
    const w = windows.get(userId);
    if (!w || t - w.start >= 60_000) {
      windows.set(userId, { start: t, count: 1 });
      return;
    }
    if (++w.count <= perMinute) return;
    const retryAfterSeconds = Math.max(1, Math.ceil((w.start + 60_000 - t) / 1000));
    throw new SyncError(
      'SHARING_RATE_LIMITED',
      `Too many user lookups; try again in ${retryAfterSeconds} s.`,
      {
        details: { retryAfterSeconds, perMinute },
      },
    );
  };

  return async (request, ctx) => {
    try {
      const { userId } = ctx ?? (await options.auth.authenticate(request));
      limit(userId);
      const email = new URL(request.url).searchParams.get('email')?.trim().toLowerCase() ?? '';
      if (!EMAIL.test(email)) {
        throw new SyncError(
          'SHARING_INVALID_REQUEST',
          'Pass the email address to look up: ?email=name@example.com',
        );
      }
      const context = await options.auth.betterAuth.$context;
      const found = await context.internalAdapter.findUserByEmail(email);
      if (!found?.user) {
        throw new SyncError(
          'SHARING_USER_NOT_FOUND',
          `No account uses ${email}. Ask them to sign up first.`,
          {
            details: { email },
          },
        );
      }
      const { id, name } = found.user;
      return json({ id, email: found.user.email, name: name ?? '' } satisfies SharedUser);
    } catch (e) {
      const error = SyncError.is(e)
        ? e
        : new SyncError('INTERNAL', 'The lookup failed. Retry later.', { cause: e });
      if (error.status >= 500) log.error('user lookup failed', { error: e });
      return errorResponse(error);
    }
  };
}
