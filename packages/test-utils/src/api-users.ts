/** A user signed up through the real API (BetterAuth). */
export interface ApiUser {
  id: string;
  email: string;
  /** BetterAuth session token (`Authorization: Bearer …`). */
  sessionToken: string;
  /** A fresh JWT for the sync server (`GET /api/auth/token`). */
  token(): Promise<string>;
}

/**
 * Signs up a user on a running API and returns its session.
 *
 * @example
 * const alice = await signUp(api.url, 'alice');
 */
export async function signUp(
  apiUrl: string,
  name: string,
  password = 'correct horse battery staple',
): Promise<ApiUser> {
  const email = `${name}-${Math.random().toString(36).slice(2, 8)}@example.test`;
  const res = await fetch(`${apiUrl}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, name }),
  });
  if (!res.ok) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { token?: string; user: { id: string } };
  const sessionToken = res.headers.get('set-auth-token') ?? body.token;
  if (!sessionToken) throw new Error('sign-up returned no session token');
  return {
    id: body.user.id,
    email,
    sessionToken,
    async token() {
      const r = await fetch(`${apiUrl}/api/auth/token`, {
        headers: { authorization: `Bearer ${sessionToken}` },
      });
      if (!r.ok) throw new Error(`token failed: ${r.status} ${await r.text()}`);
      return ((await r.json()) as { token: string }).token;
    },
  };
}

/**
 * An `uploadData` that sends each pending client transaction to the API's upload endpoint (the body the
 * API's error contract describes) and completes it on 2xx or 4xx. Network errors and 5xx throw so the SDK
 * retries. Used by tests before/alongside `@syncline/client`'s connector.
 */
export function apiUploader(apiUrl: string, user: ApiUser, rejected: unknown[] = []) {
  return async (db: import('@powersync/common').AbstractPowerSyncDatabase): Promise<void> => {
    const clientId = await db.getClientId();
    for (let tx = await db.getNextCrudTransaction(); tx; tx = await db.getNextCrudTransaction()) {
      const body = {
        client_id: clientId,
        transactions: [
          {
            op_id: String(tx.transactionId ?? tx.crud[0]?.clientId),
            ops: tx.crud.map((c) => ({ op: c.op, table: c.table, id: c.id, data: c.opData })),
          },
        ],
      };
      const res = await fetch(`${apiUrl}/api/powersync/upload`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${user.sessionToken}` },
        body: JSON.stringify(body),
      });
      if (res.status >= 500 || res.status === 401)
        throw new Error(`upload failed transiently: ${res.status}`);
      if (!res.ok) rejected.push(await res.json());
      await tx.complete();
    }
  };
}
