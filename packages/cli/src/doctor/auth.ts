import { SyncError } from '@syncline/errors';
import { createTokenVerifier } from '@syncline/sync-server';
import { DEFAULT_ALGORITHMS, inspectToken } from '@syncline/tokens';
import { type CheckResult, fetchWithTimeout } from '../shared/report.js';

/** Algorithms Syncline's sync server accepts by default (`@syncline/tokens`' policy). */
export const ALLOWED_ALGORITHMS: readonly string[] = DEFAULT_ALGORITHMS;

/** What the sync server expects from tokens. */
export interface AuthExpectation {
  jwksUri: string;
  audience: string[];
  /** Where the values came from, for messages (`powersync.yaml`, `--audience`…). */
  source: string;
  /** The JWKS is fetched by a container (the official service in Docker), not by this machine. */
  fromDocker?: boolean;
}

const isLoopback = (host: string) => ['localhost', '127.0.0.1', '::1', '[::1]'].includes(host);

/** A host only resolvable inside Docker: `host.docker.internal` or a compose service name (no dots). */
const isDockerOnlyHost = (host: string) =>
  host === 'host.docker.internal' || (!host.includes('.') && !isLoopback(host));

/** A host-side URL for a Docker-side JWKS URI, e.g. `http://api:3000/x` → `http://localhost:3000/x`. */
function hostSide(uri: URL, apiUrl: string | undefined): string {
  if (apiUrl) return new URL(uri.pathname, apiUrl).toString();
  const u = new URL(uri.toString());
  u.hostname = 'localhost';
  return u.toString();
}

/** The JWKS answers with keys of an allowed algorithm, and the URI works from where the sync server runs. */
export async function jwksChecks(
  expect: AuthExpectation,
  apiUrl?: string,
): Promise<{ checks: CheckResult[]; algs: string[]; url: string }> {
  const checks: CheckResult[] = [];
  let uri: URL;
  try {
    uri = new URL(expect.jwksUri);
  } catch {
    return {
      checks: [
        {
          name: 'JWKS reachable',
          status: 'fail',
          code: 'CONFIG_INVALID_OPTION',
          detail: `"${expect.jwksUri}" is not a URL`,
          fix: `Set client_auth.jwks_uri to the API's JWKS, e.g. http://localhost:3000/api/auth/jwks`,
        },
      ],
      algs: [],
      url: expect.jwksUri,
    };
  }
  let fetchUrl = uri.toString();
  if (isDockerOnlyHost(uri.hostname)) {
    fetchUrl = hostSide(uri, apiUrl);
    checks.push({
      name: 'JWKS URI (Docker)',
      status: 'warn',
      detail: `${uri} resolves only inside Docker; checking ${fetchUrl} from here instead`,
      fix:
        uri.hostname === 'host.docker.internal'
          ? 'On Linux add to the powersync service: extra_hosts: ["host.docker.internal:host-gateway"]'
          : `Make sure the powersync service shares a compose network with "${uri.hostname}"`,
    });
  } else if (isLoopback(uri.hostname) && expect.fromDocker) {
    checks.push({
      name: 'JWKS URI (Docker)',
      status: 'fail',
      code: 'AUTH_JWKS_UNAVAILABLE',
      detail: `${uri} points at the container itself when the service runs in Docker`,
      fix: `PS_JWKS_URI=${uri.protocol}//host.docker.internal:${uri.port || 80}${uri.pathname} (API on the host; on Linux add extra_hosts: ["host.docker.internal:host-gateway"]), or http://api:<port>${uri.pathname} (API in the same compose project)`,
    });
  }
  let body: { keys?: { kid?: string; alg?: string; kty?: string }[] };
  try {
    const res = await fetchWithTimeout(fetchUrl);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    body = (await res.json()) as typeof body;
  } catch (e) {
    checks.push({
      name: 'JWKS reachable',
      status: 'fail',
      code: 'AUTH_JWKS_UNAVAILABLE',
      detail: `cannot fetch ${(e as Error).message}`,
      fix: "Start the API, or point client_auth.jwks_uri (or --jwks-url) at the API's /api/auth/jwks",
    });
    return { checks, algs: [], url: fetchUrl };
  }
  const keys = Array.isArray(body.keys) ? body.keys : [];
  if (keys.length === 0) {
    checks.push({
      name: 'JWKS reachable',
      status: 'fail',
      code: 'AUTH_JWKS_UNAVAILABLE',
      detail: `${fetchUrl} has no keys`,
      fix: 'Request a token once (GET /api/auth/token): BetterAuth creates its key pair lazily',
    });
    return { checks, algs: [], url: fetchUrl };
  }
  const algs = [...new Set(keys.map((k) => k.alg ?? `${k.kty ?? '?'} (no alg)`))];
  checks.push({
    name: 'JWKS reachable',
    status: 'ok',
    detail: `${fetchUrl}: ${keys.length} key(s), ${algs.join(', ')}`,
  });
  const bad = algs.filter((a) => !ALLOWED_ALGORITHMS.includes(a));
  checks.push(
    bad.length
      ? {
          name: 'JWKS algorithms',
          status: 'fail',
          code: 'AUTH_ALGORITHM_NOT_ALLOWED',
          detail: `${bad.join(', ')} not accepted (allowed: ${ALLOWED_ALGORITHMS.join(', ')})`,
          fix: "Sign with RS256: BetterAuth jwt({ jwks: { keyPairConfig: { alg: 'RS256' } } })",
        }
      : { name: 'JWKS algorithms', status: 'ok', detail: `${algs.join(', ')} accepted` },
  );
  return { checks, algs, url: fetchUrl };
}

/** A real token's header `alg` and `aud` match what the sync server expects, and it verifies. */
export async function tokenChecks(
  token: string,
  expect: AuthExpectation,
  jwksUrl: string,
): Promise<CheckResult[]> {
  let header: { alg?: string; kid?: string };
  let payload: { aud?: string | string[]; sub?: string };
  try {
    ({ header, payload } = inspectToken(token));
  } catch (e) {
    const err = SyncError.from(e);
    return [
      {
        name: 'JWT',
        status: 'fail',
        code: err.code,
        detail: `not a JWT: ${err.message}`,
        fix: 'Pass the token from GET /api/auth/token (not the session token)',
      },
    ];
  }
  const checks: CheckResult[] = [];
  const alg = header.alg ?? '(none)';
  checks.push(
    ALLOWED_ALGORITHMS.includes(alg)
      ? { name: 'JWT algorithm', status: 'ok', detail: `${alg} (kid ${header.kid ?? '-'})` }
      : {
          name: 'JWT algorithm',
          status: 'fail',
          code: 'AUTH_ALGORITHM_NOT_ALLOWED',
          detail: `${alg} is not accepted (allowed: ${ALLOWED_ALGORITHMS.join(', ')})`,
          fix: "Sign tokens with RS256: BetterAuth jwt({ jwks: { keyPairConfig: { alg: 'RS256' } } })",
        },
  );
  const aud = payload.aud === undefined ? [] : Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  const audOk = aud.some((a) => expect.audience.includes(a));
  checks.push(
    audOk
      ? { name: 'JWT audience', status: 'ok', detail: `${aud.join(', ')} is accepted` }
      : {
          name: 'JWT audience',
          status: 'fail',
          code: 'AUTH_WRONG_AUDIENCE',
          detail: `token aud ${aud.length ? aud.join(', ') : '(none)'} ≠ expected ${expect.audience.join(', ')} (${expect.source}); every sync request would get 401`,
          fix: aud.length
            ? `In powersync.yaml: client_auth:\n  audience: [${JSON.stringify(aud[0])}]\n(or make the API's BASE_URL / jwt audience equal ${expect.audience[0]})`
            : 'Give tokens an aud claim (BetterAuth jwt({ jwt: { audience } }))',
        },
  );
  if (audOk && ALLOWED_ALGORITHMS.includes(alg)) {
    try {
      await createTokenVerifier({ jwksUri: jwksUrl, audience: expect.audience }).verify(token);
      checks.push({
        name: 'JWT verifies',
        status: 'ok',
        detail: `signature checks out against the JWKS (sub ${payload.sub})`,
      });
    } catch (e) {
      const err = SyncError.from(e);
      checks.push({
        name: 'JWT verifies',
        status: 'fail',
        code: err.code,
        detail: err.message,
        fix:
          err.code === 'AUTH_UNKNOWN_KEY'
            ? `The token's kid ${header.kid} is not in ${jwksUrl}: the API and the sync server use different JWKS`
            : 'Get a fresh token from GET /api/auth/token and check the API and the sync server share the JWKS',
      });
    }
  }
  return checks;
}

/** A user `doctor --sign-up` created: removed by {@link removeThrowawayUser} when the checks are done. */
export interface ThrowawayUser {
  email: string;
  userId: string;
  /** BetterAuth session token. */
  session: string;
  /** JWT from `/api/auth/token`. */
  token: string;
}

/** Signs up a throwaway user through the API and gets a JWT from `/api/auth/token`. */
export async function throwawayUser(apiUrl: string): Promise<ThrowawayUser> {
  const email = `syncline-doctor-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.invalid`;
  const res = await fetchWithTimeout(`${apiUrl}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email,
      password: `doctor-${Math.random().toString(36).slice(2)}-pw`,
      name: 'syncline doctor',
    }),
  });
  if (!res.ok)
    throw new Error(`sign-up at ${apiUrl} failed: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
  const body = (await res.json()) as { token?: string; user?: { id?: string } };
  const session = res.headers.get('set-auth-token') ?? body.token;
  if (!session || !body.user?.id) throw new Error('sign-up returned no session token or user');
  const t = await fetchWithTimeout(`${apiUrl}/api/auth/token`, {
    headers: { authorization: `Bearer ${session}` },
  });
  if (!t.ok) throw new Error(`GET /api/auth/token failed: HTTP ${t.status}`);
  return { email, userId: body.user.id, session, token: ((await t.json()) as { token: string }).token };
}

/**
 * Removes the throwaway user: signs its session out through the API, then deletes the user with its
 * sessions and accounts from the API's database (BetterAuth has no account deletion enabled). Without a
 * reachable database the ! line gives the SQL to run.
 */
export async function removeThrowawayUser(
  apiUrl: string,
  user: ThrowawayUser,
  databaseUrl: string | undefined,
  connect: (
    url: string,
  ) => Promise<{ query: (sql: string, params?: unknown[]) => Promise<unknown>; end(): Promise<void> }>,
): Promise<CheckResult> {
  await fetchWithTimeout(`${apiUrl}/api/auth/sign-out`, {
    method: 'POST',
    headers: { authorization: `Bearer ${user.session}`, origin: new URL(apiUrl).origin },
  }).catch(() => undefined); // the delete below removes the session anyway
  const sql = `DELETE FROM "user" WHERE email = '${user.email}';`;
  if (!databaseUrl)
    return {
      name: 'throwaway user',
      status: 'warn',
      detail: `${user.email} left in the API's database (no database to remove it from)`,
      fix: `Pass --database-url (the API's database), or run: ${sql}`,
    };
  try {
    const db = await connect(databaseUrl);
    try {
      await db.query('BEGIN');
      await db.query('DELETE FROM "session" WHERE "userId" = $1', [user.userId]);
      await db.query('DELETE FROM "account" WHERE "userId" = $1', [user.userId]);
      await db.query('DELETE FROM "user" WHERE id = $1 AND email = $2', [user.userId, user.email]);
      await db.query('COMMIT');
    } finally {
      await db.end();
    }
    return { name: 'throwaway user', status: 'ok', detail: `${user.email} removed` };
  } catch (e) {
    return {
      name: 'throwaway user',
      status: 'warn',
      detail: `${user.email} could not be removed: ${(e as Error).message}`,
      fix: `Run in the API's database: ${sql}`,
    };
  }
}
