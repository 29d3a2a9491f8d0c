import { describe, expect, it } from 'vitest';
import { readServiceConfig } from './index.js';
import { validateServiceConfig } from './official.js';

const file = (extra = '') =>
  `replication:\n  connections:\n    - type: postgresql\n      uri: !env PS_DATABASE_URL\nstorage:\n  type: postgresql\n  uri: !env PS_DATABASE_URL\nclient_auth:\n  jwks_uri: !env PS_JWKS_URI\n  audience: [https://api.example.com]\nsync_rules:\n  content: "bucket_definitions: {}"\n${extra}`;
const env = { PS_DATABASE_URL: 'postgresql://u:p@db:5432/app', PS_JWKS_URI: 'http://api:3000/api/auth/jwks' };

describe('readServiceConfig (the one powersync.yaml reader)', () => {
  it('substitutes !env PS_* with ::number and ::boolean, as the official service', () => {
    const read = readServiceConfig(file('port: !env PS_PORT::number\nflag: !env PS_FLAG::boolean\n'), {
      env: { ...env, PS_PORT: '8090', PS_FLAG: 'False' },
    });
    expect(read.issues).toEqual([]);
    expect(read.config).toMatchObject({ port: 8090, flag: false });
    expect(read.variables).toEqual(['PS_DATABASE_URL', 'PS_JWKS_URI', 'PS_PORT', 'PS_FLAG']);
  });

  it('refuses names without PS_, unknown types, and values that are not a number or a boolean', () => {
    const read = readServiceConfig(
      file('a: !env HOME\nb: !env PS_B::json\nc: !env PS_C::number\nd: !env PS_D::boolean\n'),
      { env: { ...env, HOME: '/root', PS_B: 'x', PS_C: 'ten', PS_D: 'yes' } },
    );
    expect(read.issues.map((i) => i.message)).toEqual([
      expect.stringContaining(
        '!env HOME: the PowerSync Service only substitutes variables starting with PS_',
      ),
      expect.stringContaining('!env PS_B::json'),
      expect.stringContaining('"ten" is not a number'),
      expect.stringContaining('"yes" is not true or false'),
    ]);
  });

  it('records unset and empty variables and still checks the rest', () => {
    const read = readServiceConfig(file('note: !env PS_EMPTY\n'), {
      env: { PS_JWKS_URI: env.PS_JWKS_URI, PS_EMPTY: '' },
    });
    expect(read.unresolved).toEqual(['PS_DATABASE_URL', 'PS_EMPTY']);
    expect(read.config?.note).toBe(`\${PS_EMPTY}`);
    expect(read.issues).toEqual([]);
  });

  it('names every missing part with its path', () => {
    const read = readServiceConfig('port: 1\n', { env });
    expect(read.issues.map((i) => i.path)).toEqual([
      'replication.connections',
      'client_auth',
      'client_auth.audience',
      'sync_rules',
    ]);
  });

  it('a file the reader accepts without storage, the official schema refuses', () => {
    const noStorage = file().replace(/storage:\n {2}type: postgresql\n {2}uri: !env PS_DATABASE_URL\n/, '');
    expect(readServiceConfig(noStorage, { env }).issues).toEqual([]);
    expect(validateServiceConfig(noStorage, { env }).errors).toEqual([
      "/ must have required property 'storage'",
      'decode: storage > Expected a map but got undefined',
    ]);
    expect(validateServiceConfig(file(), { env }).errors).toEqual([]);
  });
});
