import { describe, expect, it } from 'vitest';
import { parsePowerSyncConfig } from './index.js';

const base = (
  rules = 'sync_rules:\n  content: |\n    bucket_definitions:\n      b:\n        data: [SELECT * FROM t]\n',
) =>
  `replication:\n  connections:\n    - type: postgresql\n      uri: !env PS_DATABASE_URL\nclient_auth:\n  jwks_uri: !env PS_JWKS_URI\n  audience: [!env PS_AUD]\nport: !env PS_PORT::number\n${rules}`;
const env = {
  PS_DATABASE_URL: 'postgres://x@h/db',
  PS_JWKS_URI: 'http://api/jwks',
  PS_AUD: 'http://api',
  PS_PORT: '8090',
};

describe('parsePowerSyncConfig', () => {
  it('reads the official format with !env tags, including ::number', () => {
    const c = parsePowerSyncConfig(base(), { baseDir: '/', env });
    expect(c).toMatchObject({
      databaseUrl: 'postgres://x@h/db',
      port: 8090,
      auth: { jwksUri: 'http://api/jwks', audience: ['http://api'] },
    });
    expect(c.syncRules).toContain('bucket_definitions');
  });

  it('accepts sync_config, the current name of sync_rules', () => {
    const c = parsePowerSyncConfig(base('sync_config:\n  content: "bucket_definitions: {}"\n'), {
      baseDir: '/',
      env,
    });
    expect(c.syncRules).toBe('bucket_definitions: {}');
  });

  it('names every missing !env variable with CONFIG_MISSING_ENV', () => {
    expect(() => parsePowerSyncConfig(base(), { baseDir: '/', env: { PS_PORT: '1' } })).toThrow(
      expect.objectContaining({
        code: 'CONFIG_MISSING_ENV',
        message: expect.stringContaining('PS_DATABASE_URL, PS_JWKS_URI, PS_AUD'),
      }),
    );
  });

  it('names the missing setting', () => {
    expect(() => parsePowerSyncConfig('port: 1\n', { baseDir: '/', env })).toThrow(
      /replication\.connections\[0\]\.uri/,
    );
    expect(() =>
      parsePowerSyncConfig(base().replace('uri: !env PS_DATABASE_URL', 'hostname: db'), {
        baseDir: '/',
        env,
      }),
    ).toThrow(/replication\.connections\[0\]\.uri is required/);
    expect(() => parsePowerSyncConfig(base().replace(/ {2}audience.*\n/, ''), { baseDir: '/', env })).toThrow(
      /client_auth\.audience/,
    );
  });

  it('reads !env as the official service does: PS_* names only, ::boolean is true/false', () => {
    expect(() =>
      parsePowerSyncConfig(base().replace('!env PS_JWKS_URI', '!env JWKS_URI'), {
        baseDir: '/',
        env: { ...env, JWKS_URI: 'http://api/jwks' },
      }),
    ).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID_FILE', message: expect.stringContaining('PS_') }),
    );
    expect(() =>
      parsePowerSyncConfig(`${base()}telemetry:\n  disable_telemetry_sharing: !env PS_OFF::boolean\n`, {
        baseDir: '/',
        env: { ...env, PS_OFF: '1' },
      }),
    ).toThrow(/not true or false/);
    expect(() =>
      parsePowerSyncConfig(`${base()}telemetry:\n  disable_telemetry_sharing: !env PS_OFF::boolean\n`, {
        baseDir: '/',
        env: { ...env, PS_OFF: 'TRUE' },
      }),
    ).not.toThrow();
  });

  it('names a sync rules file that does not exist with CONFIG_FILE_NOT_FOUND', () => {
    expect(() =>
      parsePowerSyncConfig(base('sync_rules:\n  path: missing-rules.yaml\n'), { baseDir: '/nowhere', env }),
    ).toThrow(
      expect.objectContaining({
        code: 'CONFIG_FILE_NOT_FOUND',
        message: expect.stringContaining('missing-rules'),
      }),
    );
  });
});
