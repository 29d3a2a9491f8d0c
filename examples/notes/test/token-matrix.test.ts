/**
 * One token policy (issue 12, gap 4). Invariant: every token gets the same verdict — status and code —
 * from the API's bearer check and from the sync server, and each defect has its own code. Tokens are
 * signed with the API's real key (read from BetterAuth's `jwks` table with the secret), so only the
 * defect under test differs from a good token.
 */
import { freePort } from '@syncline/postgres';
import { toSyncRules } from '@syncline/schema';
import { createSyncServer, type SyncServer } from '@syncline/sync-server';
import { signUp, testLogger, useTestDatabase as withTestDatabase } from '@syncline/test-utils';
import { symmetricDecrypt } from 'better-auth/crypto';
import { CompactSign, decodeProtectedHeader, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotesApi, type NotesApi } from '../api/index.js';
import { schema } from '../schema.js';

const db = withTestDatabase('token_matrix');
const SECRET = 'token-matrix-secret-0123456789abcdef0123456789';
let api: NotesApi;
let sync: SyncServer;
let kid: string;
let privateKey: Awaited<ReturnType<typeof importJWK>>;
let userId: string;

beforeAll(async () => {
  api = await createNotesApi({
    databaseUrl: db.url,
    port: await freePort(),
    secret: SECRET,
    logger: testLogger('api'),
  });
  const user = await signUp(api.url, 'matrix');
  userId = user.id;
  kid = decodeProtectedHeader(await user.token()).kid!;
  const pool = new pg.Pool({ connectionString: db.url, max: 1 });
  const { rows } = await pool.query<{ privateKey: string }>('SELECT "privateKey" FROM jwks WHERE id = $1', [
    kid,
  ]);
  await pool.end();
  const jwk = await symmetricDecrypt({ key: SECRET, data: JSON.parse(rows[0]!.privateKey) });
  privateKey = await importJWK(JSON.parse(jwk) as JWK, 'RS256');
  sync = createSyncServer({
    databaseUrl: db.url,
    syncRules: toSyncRules(schema),
    auth: { jwksUri: `${api.url}/api/auth/jwks`, audience: api.baseUrl, issuer: api.baseUrl },
    port: 0,
    managePublication: true,
    logger: testLogger('sync') as never,
  });
  await sync.start();
});
afterAll(async () => {
  await sync?.stop();
  await api?.stop();
});

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);
const claims = (over: Record<string, unknown> = {}) => {
  const t = now();
  const base: Record<string, unknown> = {
    sub: userId,
    iat: t,
    exp: t + 600,
    aud: api.baseUrl,
    iss: api.baseUrl,
  };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete base[k];
    else base[k] = v;
  }
  return base;
};
const sign = (payload: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256', kid }) =>
  new SignJWT(payload).setProtectedHeader(header as never).sign(privateKey);
const signBytes = (bytes: Uint8Array) =>
  new CompactSign(bytes).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey);

type Case = [name: string, token: () => Promise<string>, expected: string];
const H = 3600;
const cases: Case[] = [
  ['a good token', () => sign(claims()), 'ok'],
  ['iat within the clock skew', () => sign(claims({ iat: now() + 10 })), 'ok'],
  ['a lifetime of exactly 24 h', () => sign(claims({ exp: now() + 24 * H })), 'ok'],
  [
    'alg HS256',
    () =>
      new SignJWT(claims())
        .setProtectedHeader({ alg: 'HS256', kid })
        .sign(new TextEncoder().encode('x'.repeat(32))),
    'AUTH_ALGORITHM_NOT_ALLOWED',
  ],
  ['alg none', async () => `${b64({ alg: 'none', kid })}.${b64(claims())}.`, 'AUTH_ALGORITHM_NOT_ALLOWED'],
  ['no alg', async () => `${b64({ kid })}.${b64(claims())}.c2ln`, 'AUTH_ALGORITHM_NOT_ALLOWED'],
  ['no kid', () => sign(claims(), { alg: 'RS256' }), 'AUTH_MISSING_KID'],
  ['an unknown kid', () => sign(claims(), { alg: 'RS256', kid: 'not-a-key-of-ours' }), 'AUTH_UNKNOWN_KEY'],
  [
    'a foreign key under our kid',
    async () => {
      const foreign = await generateKeyPair('RS256');
      return new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', kid }).sign(foreign.privateKey);
    },
    'AUTH_INVALID_TOKEN',
  ],
  [
    'a tampered payload',
    async () => {
      const [h, , s] = (await sign(claims())).split('.');
      return `${h}.${b64(claims({ sub: 'mallory' }))}.${s}`;
    },
    'AUTH_INVALID_TOKEN',
  ],
  ['malformed: a.b.c', async () => 'a.b.c', 'AUTH_MALFORMED_TOKEN'],
  ['malformed: empty parts', async () => '..', 'AUTH_MALFORMED_TOKEN'],
  [
    'malformed: header not JSON',
    async () => `${b64('not json')}.${b64(claims())}.c2ln`,
    'AUTH_MALFORMED_TOKEN',
  ],
  [
    'malformed: payload not JSON',
    () => signBytes(new TextEncoder().encode('not json')),
    'AUTH_MALFORMED_TOKEN',
  ],
  ['malformed: payload an array', () => signBytes(new TextEncoder().encode('[1,2]')), 'AUTH_MALFORMED_TOKEN'],
  [
    'malformed: payload not UTF-8',
    () => signBytes(new Uint8Array([0xff, 0xfe, 0x7b])),
    'AUTH_MALFORMED_TOKEN',
  ],
  [
    'malformed: signature not base64url',
    async () => `${(await sign(claims())).split('.').slice(0, 2).join('.')}.A`,
    'AUTH_MALFORMED_TOKEN',
  ],
  ['no sub', () => sign(claims({ sub: undefined })), 'AUTH_MISSING_CLAIM'],
  ['no exp', () => sign(claims({ exp: undefined })), 'AUTH_MISSING_CLAIM'],
  ['no iat', () => sign(claims({ iat: undefined })), 'AUTH_MISSING_CLAIM'],
  ['no aud', () => sign(claims({ aud: undefined })), 'AUTH_MISSING_CLAIM'],
  ['no iss', () => sign(claims({ iss: undefined })), 'AUTH_MISSING_CLAIM'],
  ['an empty sub', () => sign(claims({ sub: '' })), 'AUTH_INVALID_CLAIM'],
  ['a numeric sub', () => sign(claims({ sub: 42 })), 'AUTH_INVALID_CLAIM'],
  ['exp as a string', () => sign(claims({ exp: String(now() + 600) })), 'AUTH_INVALID_CLAIM'],
  ['iat as a string', () => sign(claims({ iat: String(now()) })), 'AUTH_INVALID_CLAIM'],
  ['a wrong aud', () => sign(claims({ aud: 'https://someone-else.example' })), 'AUTH_WRONG_AUDIENCE'],
  ['a wrong iss', () => sign(claims({ iss: 'https://evil.example' })), 'AUTH_WRONG_ISSUER'],
  ['expired', () => sign(claims({ iat: now() - 720, exp: now() - 120 })), 'AUTH_EXPIRED'],
  ['nbf in the future', () => sign(claims({ nbf: now() + 600, exp: now() + 1200 })), 'AUTH_NOT_YET_VALID'],
  ['iat in the future', () => sign(claims({ iat: now() + 600, exp: now() + 1200 })), 'AUTH_ISSUED_IN_FUTURE'],
  ['a lifetime of 25 h', () => sign(claims({ exp: now() + 25 * H })), 'AUTH_LIFETIME_TOO_LONG'],
  ['a lifetime of 48 h', () => sign(claims({ exp: now() + 48 * H })), 'AUTH_LIFETIME_TOO_LONG'],
];

async function verdict(res: Response): Promise<{ status: number; code: string }> {
  const body = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
  return { status: res.status, code: res.ok ? 'ok' : (body.error?.code ?? `HTTP ${res.status}`) };
}

describe('token matrix: the API and the sync server give every token the same verdict', () => {
  it.each(cases)('%s', async (_name, make, expected) => {
    const token = await make();
    const fromApi = await verdict(
      await fetch(`${api.url}/api/powersync/config`, { headers: { authorization: `Bearer ${token}` } }),
    );
    const fromSync = await verdict(
      await fetch(`${sync.url}/write-checkpoint2.json?client_id=matrix`, {
        headers: { authorization: `Token ${token}` },
      }),
    );
    expect({ api: fromApi, sync: fromSync }).toEqual({
      api: { status: expected === 'ok' ? 200 : 401, code: expected },
      sync: { status: expected === 'ok' ? 200 : 401, code: expected },
    });
  });
});
