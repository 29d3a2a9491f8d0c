import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

/** A JWKS endpoint with a signing key, for testing token verification at its edge. */
export interface TestJwks {
  /** The JWKS URL. */
  url: string;
  audience: string;
  /** Signs a token for `sub`. */
  sign(
    sub: string,
    options?: { lifetimeSeconds?: number; audience?: string; iatOffsetSeconds?: number },
  ): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Serves an RS256 JWKS on 127.0.0.1 and signs tokens with its key.
 *
 * @example
 * const jwks = await startTestJwks();
 * const token = await jwks.sign('user-1', { lifetimeSeconds: 30 });
 */
export async function startTestJwks(audience = 'syncline-test'): Promise<TestJwks> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  return {
    url,
    audience,
    sign(sub, options = {}) {
      const now = Math.floor(Date.now() / 1000) + (options.iatOffsetSeconds ?? 0);
      return new SignJWT({})
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
        .setSubject(sub)
        .setAudience(options.audience ?? audience)
        .setIssuedAt(now)
        .setExpirationTime(now + (options.lifetimeSeconds ?? 600))
        .sign(privateKey);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
