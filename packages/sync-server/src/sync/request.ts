import { SyncError } from '@syncline/errors';
import type { SyncRequestParameters } from '../rules/index.js';

/** The body of `POST /sync/stream`. */
export interface SyncRequestBody extends SyncRequestParameters {
  buckets: { name: string; after: string }[];
  client_id?: string;
  include_checksum?: boolean;
  raw_data?: boolean;
  binary_data?: boolean;
  app_metadata?: Record<string, string>;
}

/** Validates the sync request shape (extra fields allowed), 400 `SYNC_INVALID_REQUEST` otherwise. */
export function parseSyncRequest(raw: unknown): SyncRequestBody {
  const fail = (why: string) => new SyncError('SYNC_INVALID_REQUEST', `Invalid sync request: ${why}`);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw fail('the body must be a JSON object');
  const body = raw as Record<string, unknown>;
  const buckets = body.buckets ?? [];
  if (!Array.isArray(buckets)) throw fail('"buckets" must be an array');
  for (const b of buckets) {
    if (typeof b !== 'object' || b === null || typeof (b as { name?: unknown }).name !== 'string')
      throw fail('each bucket needs a "name"');
    const after = (b as { after?: unknown }).after;
    if (typeof after !== 'string' || !/^\d+$/.test(after))
      throw fail(`bucket "${(b as { name: string }).name}" needs "after" as a decimal string`);
  }
  if (body.client_id !== undefined && typeof body.client_id !== 'string')
    throw fail('"client_id" must be a string');
  if (
    body.parameters !== undefined &&
    (typeof body.parameters !== 'object' || body.parameters === null || Array.isArray(body.parameters))
  ) {
    throw fail('"parameters" must be an object');
  }
  const streams = body.streams as { subscriptions?: unknown; include_defaults?: unknown } | undefined;
  if (streams !== undefined) {
    if (typeof streams !== 'object' || streams === null) throw fail('"streams" must be an object');
    if (streams.subscriptions !== undefined && !Array.isArray(streams.subscriptions))
      throw fail('"streams.subscriptions" must be an array');
    for (const s of (streams.subscriptions as unknown[] | undefined) ?? []) {
      if (typeof s !== 'object' || s === null || typeof (s as { stream?: unknown }).stream !== 'string')
        throw fail('each subscription needs a "stream"');
    }
  }
  return { ...(body as object), buckets: buckets as SyncRequestBody['buckets'] } as SyncRequestBody;
}
