import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@syncline/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { safeStorageCipher } from './cipher.js';
import { createCredentialStore, fileStorage, type StoredSession } from './credential-store.js';
import { memoryStorage } from './memory-storage.js';
import { createTestSafeStorage } from './test-safe-storage.js';

const session: StoredSession = {
  token: 'session-token-SECRET-1234',
  userId: 'user-a',
  email: 'a@example.test',
  apiUrl: 'http://127.0.0.1:3000',
};

function recorder() {
  const lines: { level: string; msg: string }[] = [];
  const make = (): Logger => ({
    debug: (msg) => lines.push({ level: 'debug', msg }),
    info: (msg) => lines.push({ level: 'info', msg }),
    warn: (msg) => lines.push({ level: 'warn', msg }),
    error: (msg) => lines.push({ level: 'error', msg }),
    child: () => make(),
    level: 'debug',
  });
  return { logger: make(), warnings: () => lines.filter((l) => l.level === 'warn').map((l) => l.msg) };
}

describe('credential store with safeStorage', () => {
  it('stores the session encrypted and reads it back with the same OS key', async () => {
    const safe = createTestSafeStorage();
    const storage = memoryStorage();
    const log = recorder();
    const store = createCredentialStore({ storage, cipher: safeStorageCipher(safe), logger: log.logger });
    await store.save(session);
    expect(store.protection).toBe('encrypted');
    expect(storage.text).not.toBeNull();
    expect(storage.text).not.toContain(session.token);
    expect(storage.text).not.toContain(session.email);
    expect(JSON.parse(storage.text!)).toMatchObject({ v: 1, protection: 'encrypted' });
    expect(safe.calls.encrypt).toBe(1);

    // "Restart": a new store on the same file and the same key.
    const again = createCredentialStore({
      storage,
      cipher: safeStorageCipher(createTestSafeStorage({ key: safe.key })),
    });
    expect(await again.load()).toEqual(session);
    expect(again.protection).toBe('encrypted');
    expect(log.warnings()).toEqual([]);
  });

  it('gives no session when the ciphertext was made with another key (another OS account) or was tampered with', async () => {
    const storage = memoryStorage();
    await createCredentialStore({ storage, cipher: safeStorageCipher(createTestSafeStorage()) }).save(
      session,
    );
    const log = recorder();
    const other = createCredentialStore({
      storage,
      cipher: safeStorageCipher(createTestSafeStorage()),
      logger: log.logger,
    });
    expect(await other.load()).toBeNull();
    expect(other.protection).toBe('none');
    expect(log.warnings().join()).toMatch(/could not be decrypted/);

    const safe = createTestSafeStorage();
    await createCredentialStore({ storage, cipher: safeStorageCipher(safe) }).save(session);
    const blob = JSON.parse(storage.text!) as { data: string };
    const bytes = Buffer.from(blob.data, 'base64');
    bytes[bytes.length - 1]! ^= 1;
    storage.text = JSON.stringify({ ...blob, data: bytes.toString('base64') });
    const same = createCredentialStore({
      storage,
      cipher: safeStorageCipher(safe),
      logger: recorder().logger,
    });
    expect(await same.load()).toBeNull();
  });

  it('never writes plaintext when encryption is unavailable: memory only, with a warning (the default)', async () => {
    const safe = createTestSafeStorage({ available: false });
    const storage = memoryStorage();
    const log = recorder();
    const store = createCredentialStore({ storage, cipher: safeStorageCipher(safe), logger: log.logger });
    await store.save(session);
    expect(store.protection).toBe('memory');
    expect(storage.text).toBeNull();
    expect(await store.load()).toEqual(session); // usable for this run
    expect(log.warnings().join()).toMatch(/not available.*memory only/);
    // Next start: nothing was persisted.
    expect(
      await createCredentialStore({
        storage,
        cipher: safeStorageCipher(safe),
        logger: recorder().logger,
      }).load(),
    ).toBeNull();
  });

  it("treats Linux's basic_text backend (hard-coded key) like no encryption", async () => {
    const safe = createTestSafeStorage({ backend: 'basic_text' });
    const storage = memoryStorage();
    const log = recorder();
    const store = createCredentialStore({ storage, cipher: safeStorageCipher(safe), logger: log.logger });
    await store.save(session);
    expect(store.protection).toBe('memory');
    expect(storage.text).toBeNull();
    expect(safe.calls.encrypt).toBe(0);
    expect(log.warnings().join()).toMatch(/basic_text/);
  });

  it("writes plaintext only with insecureFallback: 'plaintext', and warns", async () => {
    const safe = createTestSafeStorage({ available: false });
    const storage = memoryStorage();
    const log = recorder();
    const store = createCredentialStore({
      storage,
      cipher: safeStorageCipher(safe),
      insecureFallback: 'plaintext',
      logger: log.logger,
    });
    await store.save(session);
    expect(store.protection).toBe('plaintext');
    expect(JSON.parse(storage.text!)).toEqual({ v: 1, protection: 'plaintext', session });
    expect(log.warnings().join()).toMatch(/UNENCRYPTED/);
    expect(
      await createCredentialStore({
        storage,
        cipher: safeStorageCipher(safe),
        insecureFallback: 'plaintext',
      }).load(),
    ).toEqual(session);
  });

  it('upgrades a plaintext file once encryption is available, and removes one the policy forbids', async () => {
    const storage = memoryStorage();
    storage.text = JSON.stringify({ v: 1, protection: 'plaintext', session });
    const safe = createTestSafeStorage();
    const store = createCredentialStore({ storage, cipher: safeStorageCipher(safe) });
    expect(await store.load()).toEqual(session);
    expect(store.protection).toBe('encrypted');
    expect(storage.text).not.toContain(session.token);

    storage.text = JSON.stringify({ v: 1, protection: 'plaintext', session });
    const unavailable = createCredentialStore({
      storage,
      cipher: safeStorageCipher(createTestSafeStorage({ available: false })),
      logger: recorder().logger,
    });
    expect(await unavailable.load()).toEqual(session);
    expect(unavailable.protection).toBe('memory');
    expect(storage.text).toBeNull();
  });

  it('with cipher null (a CLI relying on file permissions) stores plaintext without warning', async () => {
    const storage = memoryStorage();
    const log = recorder();
    const store = createCredentialStore({ storage, cipher: null, logger: log.logger });
    await store.save(session);
    expect(store.protection).toBe('plaintext');
    expect(await createCredentialStore({ storage, cipher: null }).load()).toEqual(session);
    await store.clear();
    expect(storage.text).toBeNull();
    expect(await store.load()).toBeNull();
    expect(log.warnings()).toEqual([]);
  });

  it('rejects bad options and sessions with CONFIG_INVALID_OPTION', async () => {
    expect(() => createCredentialStore({ storage: memoryStorage() } as never)).toThrow(
      /"cipher" is required/,
    );
    expect(() =>
      createCredentialStore({ storage: memoryStorage(), cipher: null, insecureFallback: 'disk' as never }),
    ).toThrow(/insecureFallback/);
    const store = createCredentialStore({ storage: memoryStorage(), cipher: null });
    await expect(store.save({ ...session, token: '' })).rejects.toMatchObject({
      code: 'CONFIG_INVALID_OPTION',
    });
  });
});

describe('safeStorageCipher', () => {
  it('prefers the asynchronous API (Electron 42+) and reports re-encryption', async () => {
    const fake = createTestSafeStorage({ api: 'both' });
    const used: string[] = [];
    const spy = {
      ...fake,
      encryptString: () => {
        throw new Error('sync API used');
      },
      decryptString: () => {
        throw new Error('sync API used');
      },
      isAsyncEncryptionAvailable: async () => {
        used.push('isAsync');
        return true;
      },
      encryptStringAsync: async (s: string) => {
        used.push('encryptAsync');
        return fake.encryptStringAsync!(s);
      },
      decryptStringAsync: async (b: Buffer) => ({
        ...(await fake.decryptStringAsync!(b)),
        shouldReEncrypt: true,
      }),
    };
    const cipher = safeStorageCipher(spy);
    expect(await cipher.availability()).toBe('available');
    const data = await cipher.encrypt('hello');
    expect(await cipher.decrypt(data)).toEqual({ plainText: 'hello', reEncrypt: true });
    expect(used).toEqual(['isAsync', 'encryptAsync']);
  });

  it('works with the synchronous API alone (Electron ≤ 41)', async () => {
    const cipher = safeStorageCipher(createTestSafeStorage({ api: 'sync' }));
    expect(await cipher.availability()).toBe('available');
    expect((await cipher.decrypt(await cipher.encrypt('x'))).plainText).toBe('x');
    expect(await safeStorageCipher(createTestSafeStorage({ available: false })).availability()).toBe(
      'unavailable',
    );
    expect(await safeStorageCipher({}).availability()).toBe('unavailable');
  });
});

describe('fileStorage', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes atomically with mode 0600 in a 0700 directory, and removes', async () => {
    dir = await mkdtemp(join(tmpdir(), 'syncline-cred-'));
    const file = join(dir, 'profile', 'session.json');
    const storage = fileStorage(file);
    expect(await storage.read()).toBeNull();
    await storage.write('{"a":1}');
    await storage.write('{"a":2}');
    expect(await readFile(file, 'utf8')).toBe('{"a":2}');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'profile'))).mode & 0o777).toBe(0o700);
    expect(await readdir(join(dir, 'profile'))).toEqual(['session.json']); // no temporary files left
    await storage.remove();
    await storage.remove();
    expect(await storage.read()).toBeNull();
  });

  it('keeps 0600 when replacing a file that was world-readable', async () => {
    dir = await mkdtemp(join(tmpdir(), 'syncline-cred-'));
    const file = join(dir, 'session.json');
    await writeFile(file, 'old', { mode: 0o644 });
    await fileStorage(file).write('new');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });
});
