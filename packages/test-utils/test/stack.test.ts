/**
 * The test stack itself: devices of `clients` write through the API and read through the sync server, each user
 * seeing only their rows; without the API the sync server trusts the test JWKS, and in process mode it survives
 * kill -9 and a restart on the same URL.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { TestDevice } from '../src/device.js';
import { type Stack, startStack } from '../src/stack/index.js';
import { useTestDatabase } from '../src/test-database.js';

const now = () => new Date().toISOString();
const ids = async (d: TestDevice) =>
  (await d.all<{ id: string }>('SELECT id FROM documents ORDER BY id')).map((r) => r.id);

describe('startStack with the API, the sync server and clients', () => {
  const db = useTestDatabase('stack_clients');
  let stack: Stack | undefined;
  afterAll(async () => {
    await stack?.stop();
  });

  it('uploads through the API as the device user and syncs back to that user only', async () => {
    stack = await startStack({
      databaseUrl: db.url,
      proxy: true,
      clients: [
        { name: 'alice-1', user: 'alice' },
        { name: 'alice-2', user: 'alice' },
        { name: 'bob-1', user: 'bob' },
      ],
    });
    const [a1, a2, b1] = stack.clients as [TestDevice, TestDevice, TestDevice];
    const alice = await stack.signUp('alice');
    expect(stack.users.get('alice')).toBe(alice);
    await a1.db.execute(
      'INSERT INTO documents (id, title, content, device_id, version, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)',
      ['s-1', 'hello', 'text', 'alice-1', now(), now()],
    );
    await a2.until(async () => (await ids(a2)).includes('s-1'), { message: 'alice-2 sees s-1' });
    const { rows } = await stack.pool.query('SELECT owner_id FROM documents WHERE id = $1', ['s-1']);
    expect(rows).toEqual([{ owner_id: alice.id }]);
    expect(stack.proxy.requests.some((r) => r.path === '/api/powersync/upload' && r.status === 200)).toBe(
      true,
    );
    await b1.db.waitForFirstSync();
    expect(await ids(b1)).toEqual([]);
    for (const d of [a1, a2, b1]) expect(d.checksumFailures()).toEqual([]);
  });
});

describe('startStack without the API, the sync server as a process', () => {
  const db = useTestDatabase('stack_process');
  let stack: Stack | undefined;
  afterAll(async () => {
    await stack?.stop();
  });

  it('serves test-JWKS tokens, and after kill -9 and a restart on the same URL the device converges', async () => {
    stack = await startStack({ databaseUrl: db.url, api: false, sync: 'process' });
    expect(() => stack?.api).toThrow(/no api in this stack/);
    const jwks = stack.jwks;
    if (!jwks) throw new Error('no test JWKS');
    const d = await stack.device('p-1', {
      id: 'u1',
      email: '',
      sessionToken: '',
      token: () => jwks.sign('u1'),
    });
    const insert = (id: string) =>
      stack?.pool.query(
        "INSERT INTO documents (id, title, content, owner_id, device_id) VALUES ($1, 't', 'c', 'u1', 'sql')",
        [id],
      );
    await insert('k-1');
    await d.until(async () => (await ids(d)).includes('k-1'));
    const pid = stack.sync.pid;
    await stack.killSync();
    await insert('k-2');
    await stack.startSync();
    expect(stack.sync.pid).not.toBe(pid);
    await d.until(async () => (await ids(d)).join() === 'k-1,k-2', { timeout: 30_000 });
    expect(d.checksumFailures()).toEqual([]);
  });
});
