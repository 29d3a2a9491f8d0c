import { freePort } from '@syncline/postgres';
import { signUp, testLogger, useTestDatabase as withTestDatabase } from '@syncline/test-utils';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createNotesApi, type NotesApi } from '../api/index.js';

const db = withTestDatabase('notes_api');
const running: NotesApi[] = [];

afterAll(async () => {
  for (const api of running) await api.stop().catch(() => undefined);
});

async function start(port: number): Promise<NotesApi> {
  const api = await createNotesApi({
    databaseUrl: db.url,
    port,
    baseUrl: 'http://notes.example.test',
    powersyncUrl: 'http://sync.example.test',
    trustedOrigins: ['http://localhost:5173'],
    logger: testLogger('notes-api'),
  });
  running.push(api);
  return api;
}

/** PUT /api/powersync/upload with a bearer token; the status and the parsed body. */
async function upload(url: string, token: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${url}/api/powersync/upload`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

describe('notes API (Elysia on Node)', () => {
  it('serves auth, config and upload, and keeps its generated secret and key across restarts', async () => {
    const port = await freePort();
    const first = await start(port);
    expect(first.url).toBe(`http://127.0.0.1:${port}`);
    const user = await signUp(first.url, 'notes');
    const jwt = await user.token();
    const res = await upload(first.url, jwt, {
      client_id: 'notes-device',
      transactions: [
        {
          op_id: 1,
          ops: [{ op: 'PUT', table: 'documents', id: 'n-1', data: { content: 'hi', device_id: 'd' } }],
        },
      ],
    });
    expect(res).toMatchObject({ status: 200, body: { applied: [1] } });
    await first.stop();
    running.pop();
    await expect(fetch(`${first.url}/health`)).rejects.toThrow();

    const second = await start(port);
    // Same generated secret (the session still works) and same key (the earlier JWT still verifies).
    const config = await fetch(`${second.url}/api/powersync/config`, {
      headers: { authorization: `Bearer ${jwt}` },
    });
    expect(await config.json()).toEqual({ powersyncUrl: 'http://sync.example.test', userId: user.id });
    const again = await fetch(`${second.url}/api/auth/token`, {
      headers: { authorization: `Bearer ${user.sessionToken}` },
    });
    expect(((await again.json()) as { token?: string }).token).toBeTruthy();
    const jwks = createRemoteJWKSet(new URL(`${second.url}/api/auth/jwks`));
    const { payload } = await jwtVerify(jwt, jwks, {
      issuer: 'http://notes.example.test',
      audience: 'http://notes.example.test',
      algorithms: ['RS256'],
    });
    expect(payload.sub).toBe(user.id);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query("SELECT owner_id FROM documents WHERE id = 'n-1'");
      expect(rows).toEqual([{ owner_id: user.id }]);
      const secrets = await client.query('SELECT count(*)::int AS n FROM syncline.secrets');
      expect(secrets.rows[0].n).toBe(1);
    } finally {
      await client.end();
    }
  });

  it('fails with CONFIG_PORT_IN_USE when the port is taken, and CONFIG_INVALID_OPTION for bad options', async () => {
    const port = await freePort();
    await start(port);
    await expect(start(port)).rejects.toMatchObject({ code: 'CONFIG_PORT_IN_USE' });
    await expect(createNotesApi({ databaseUrl: db.url, port: 70000 })).rejects.toMatchObject({
      code: 'CONFIG_INVALID_OPTION',
    });
  });
});
