/**
 * `syncline generate`: the generated powersync.yaml + sync_rules.yaml run Syncline's sync server unchanged
 * (only the URL differs).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applySchema } from '@syncline/postgres/migrate';
import { validateServiceConfigFile } from '@syncline/schema/service-config/official';
import { createSyncServer, loadPowerSyncConfig } from '@syncline/sync-server';
import { signUp, TestDevice, useTestDatabase, waitFor } from '@syncline/test-utils';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { runGenerate } from '../src/generate/index.js';
import project from './fixtures/project/syncline.config.js';
import { clientSchema, quietLogger, startApi } from './helpers.js';

describe("the generated config runs Syncline's sync server", () => {
  const db = useTestDatabase('cli_generate');

  it('loads with loadPowerSyncConfig, serves a client, and only the URL differs', async () => {
    await applySchema(db.url, project.schema, { logger: quietLogger as never });
    const api = await startApi(db.url);
    // Same files, different audience only because the test API listens on a random port.
    const dir = await mkdtemp(join(tmpdir(), 'syncline-generate-run-'));
    await runGenerate({ config: project, outDir: dir, apiUrl: api.baseUrl });
    const env = { PS_DATABASE_URL: db.url, PS_STORAGE_URL: db.url, PS_JWKS_URI: `${api.url}/api/auth/jwks` };
    expect(validateServiceConfigFile(join(dir, 'powersync.yaml'), env).errors).toEqual([]);
    const loaded = loadPowerSyncConfig(join(dir, 'powersync.yaml'), env);
    expect(loaded.port).toBe(8080);
    expect(loaded.syncRulesPath).toBe(join(dir, 'sync_rules.yaml'));
    // The sync server checks iss (the API's BASE_URL) as well as aud.
    expect(loaded.auth.issuer).toBe(api.baseUrl);
    const server = createSyncServer({ ...loaded, port: 0, logger: quietLogger as never });
    await server.start();
    const alice = await signUp(api.url, 'alice');
    const device = await TestDevice.open({
      name: 'generated-config',
      schema: clientSchema,
      credentials: async () => ({ endpoint: server.url, token: await alice.token() }),
    });
    try {
      await device.connect();
      const pool = new pg.Pool({ connectionString: db.url });
      await pool.query(
        "INSERT INTO documents (id, title, content, owner_id, device_id) VALUES ('gen-1', 'From Postgres', 'x', $1, 'server')",
        [alice.id],
      );
      await pool.end();
      await waitFor(async () => (await device.db.getAll('SELECT id FROM documents')).length === 1, {
        timeout: 20_000,
        message: 'the row reaches the device through the generated config',
      });
      expect(device.errors).toEqual([]);
    } finally {
      await device.close();
      await server.stop();
      await api.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
