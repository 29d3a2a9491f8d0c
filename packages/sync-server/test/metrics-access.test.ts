/**
 * `/metrics` carries per-user figures (issue 12, gap 5). Invariant: only loopback clients or holders of a
 * configured token (`api.tokens`) read it; any other client gets 401 with a code.
 */
import { networkInterfaces } from 'node:os';
import { applySchema } from '@syncline/postgres/migrate';
import { toSyncRules } from '@syncline/schema';
import { startTestJwks, type TestJwks, useTestDatabase } from '@syncline/test-utils';
import { testSchema as schema } from '@syncline/test-utils/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePowerSyncConfig } from '../src/config/index.js';
import { createSyncServer, type SyncServer } from '../src/index.js';
import { quietLogger } from './stack.js';

const db = useTestDatabase('metrics_access');
let jwks: TestJwks;
const servers: SyncServer[] = [];

/** An address of this machine that is not loopback: a request to it does not come from 127.0.0.1. */
const external = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

beforeAll(async () => {
  await applySchema(db.url, schema);
  jwks = await startTestJwks();
});
afterAll(async () => {
  for (const s of servers) await s.stop();
  await jwks?.stop();
});

async function start(metrics?: { tokens?: string[]; public?: boolean }) {
  const server = createSyncServer({
    databaseUrl: db.url,
    syncRules: toSyncRules(schema),
    auth: { jwksUri: jwks.url, audience: jwks.audience },
    port: 0,
    host: '0.0.0.0',
    managePublication: true,
    storageSchema: `metrics_${servers.length}`,
    ...(metrics ? { metrics } : {}),
    logger: quietLogger as never,
  });
  servers.push(server);
  await server.start();
  return server.port;
}

const get = async (host: string, port: number, token?: string) => {
  const res = await fetch(`http://${host}:${port}/metrics`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const text = await res.text();
  return {
    status: res.status,
    code: res.ok ? 'ok' : (JSON.parse(text) as { error: { code: string } }).error.code,
  };
};

describe('/metrics access', () => {
  it('has a non-loopback address to test from', () => {
    expect(external, 'this machine needs a non-loopback IPv4 interface').toBeDefined();
  });

  it('serves loopback clients, refuses others without a token', async () => {
    const port = await start();
    expect(await get('127.0.0.1', port)).toEqual({ status: 200, code: 'ok' });
    expect(await get(external!, port)).toEqual({ status: 401, code: 'AUTH_MISSING_TOKEN' });
    expect(await get(external!, port, 'guess')).toEqual({ status: 401, code: 'AUTH_INVALID_TOKEN' });
  });

  it('serves any client with a configured token (api.tokens), and everyone when public', async () => {
    const port = await start({ tokens: ['metrics-secret'] });
    expect(await get(external!, port, 'metrics-secret')).toEqual({ status: 200, code: 'ok' });
    expect(await get(external!, port, 'metrics-secret-2')).toEqual({
      status: 401,
      code: 'AUTH_INVALID_TOKEN',
    });
    expect(await get(external!, port)).toEqual({ status: 401, code: 'AUTH_MISSING_TOKEN' });
    const open = await start({ public: true });
    expect(await get(external!, open)).toEqual({ status: 200, code: 'ok' });
  });

  it('reads api.tokens from powersync.yaml', () => {
    const config = parsePowerSyncConfig(
      `replication: { connections: [{ type: postgresql, uri: "postgres://x/y" }] }
client_auth: { jwks_uri: "http://x/jwks", audience: ["a"], issuer: "http://x" }
sync_rules: { content: "bucket_definitions: {}" }
api: { tokens: ["t1", "t2"] }
`,
      { baseDir: '.' },
    );
    expect(config.metrics).toEqual({ tokens: ['t1', 't2'] });
    expect(config.auth.issuer).toBe('http://x');
  });
});
