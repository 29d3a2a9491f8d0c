import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SyncError } from '@syncline/errors';

/** Who may read `GET /metrics` (per-user figures: streams, ops sent…). */
export interface MetricsAccess {
  /**
   * Bearer tokens that may read it from anywhere (`Authorization: Bearer <token>`): `api.tokens` in
   * `powersync.yaml`. Default none.
   */
  tokens?: readonly string[];
  /** Serve it to any client without a token. Default false: loopback clients only (or a token). */
  public?: boolean;
}

function isLoopbackAddress(address: string | undefined): boolean {
  const a = address ?? '';
  return a === '::1' || a.startsWith('127.') || a.startsWith('::ffff:127.');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Throws unless the request may read the metrics: a configured token (any client), else a loopback
 * client, else `public: true`. 401 `AUTH_MISSING_TOKEN` when a token could help, `AUTH_INVALID_TOKEN` for
 * a wrong one.
 *
 * @example
 * assertMetricsAccess(req, { tokens: ['s3cret'] });
 */
export function assertMetricsAccess(req: IncomingMessage, access: MetricsAccess = {}): void {
  const tokens = access.tokens ?? [];
  const header = req.headers.authorization;
  const sent = header ? /^(?:Bearer|Token)\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
  if (sent !== undefined && tokens.some((t) => sameSecret(t, sent))) return;
  if (sent === undefined && (access.public || isLoopbackAddress(req.socket.remoteAddress))) return;
  if (sent !== undefined) throw new SyncError('AUTH_INVALID_TOKEN', 'This token may not read /metrics.');
  throw new SyncError(
    'AUTH_MISSING_TOKEN',
    tokens.length
      ? '/metrics needs "Authorization: Bearer <token>" with one of the api.tokens.'
      : '/metrics is served to localhost only. Set api.tokens in powersync.yaml to read it remotely.',
  );
}
