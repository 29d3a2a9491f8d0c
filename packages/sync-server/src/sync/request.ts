import { SyncError } from '@syncline/errors';
import type { SyncRequestParameters } from '../rules/index.js';

/** The body of `POST /sync/stream` (and of an RSocket request-stream). */
export interface SyncRequestBody extends SyncRequestParameters {
  buckets: { name: string; after: string }[];
  client_id?: string;
  include_checksum?: boolean;
  raw_data?: boolean;
  binary_data?: boolean;
  app_metadata?: Record<string, string>;
}

/** Limits on a sync request. */
export interface SyncRequestLimits {
  /** Stream subscriptions per request (`streams.subscriptions`). */
  maxSubscriptions: number;
}

/**
 * Validates the sync request shape (extra fields allowed): 400 `SYNC_INVALID_REQUEST` naming the field, or
 * `SYNC_TOO_MANY_SUBSCRIPTIONS` above the limit.
 */
export function parseSyncRequest(
  raw: unknown,
  limits: SyncRequestLimits = { maxSubscriptions: 256 },
): SyncRequestBody {
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
  if (streams !== undefined && streams !== null) {
    if (typeof streams !== 'object' || Array.isArray(streams)) throw fail('"streams" must be an object');
    if (streams.include_defaults !== undefined && typeof streams.include_defaults !== 'boolean')
      throw fail('"streams.include_defaults" must be a boolean');
    if (streams.subscriptions !== undefined && !Array.isArray(streams.subscriptions))
      throw fail('"streams.subscriptions" must be an array');
    const subscriptions = (streams.subscriptions as unknown[] | undefined) ?? [];
    if (subscriptions.length > limits.maxSubscriptions) {
      throw new SyncError(
        'SYNC_TOO_MANY_SUBSCRIPTIONS',
        `The request has ${subscriptions.length} stream subscriptions; the limit is ${limits.maxSubscriptions}. Unsubscribe streams the app no longer needs (or raise the server option maxSubscriptions).`,
        { details: { subscriptions: subscriptions.length, limit: limits.maxSubscriptions } },
      );
    }
    subscriptions.forEach((raw, i) => {
      const s = raw as { stream?: unknown; parameters?: unknown; override_priority?: unknown } | null;
      if (typeof s !== 'object' || s === null || typeof s.stream !== 'string' || s.stream === '')
        throw fail(`subscription ${i} needs a "stream" name`);
      const p = s.parameters;
      if (p !== undefined && p !== null && (typeof p !== 'object' || Array.isArray(p)))
        throw fail(`subscription ${i} ("${s.stream}"): "parameters" must be an object or null`);
      const o = s.override_priority;
      if (o !== undefined && o !== null && !(Number.isInteger(o) && (o as number) >= 0 && (o as number) <= 3))
        throw fail(`subscription ${i} ("${s.stream}"): "override_priority" must be 0, 1, 2, 3 or null`);
    });
  }
  return { ...(body as object), buckets: buckets as SyncRequestBody['buckets'] } as SyncRequestBody;
}

/** The body of `POST /sync/checkpoint-request`. */
export interface CheckpointRequest {
  clientId: string;
  /** Positive 64-bit id the client allocated. */
  requestId: bigint;
}

/** Validates `{client_id, checkpoint_request_id}` (the id a positive int64 as a decimal string). */
export function parseCheckpointRequest(raw: unknown): CheckpointRequest {
  const fail = (why: string) => new SyncError('SYNC_INVALID_REQUEST', `Invalid checkpoint request: ${why}`);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw fail('the body must be a JSON object');
  const body = raw as { client_id?: unknown; checkpoint_request_id?: unknown };
  if (typeof body.client_id !== 'string') throw fail('"client_id" must be a string');
  const id = body.checkpoint_request_id;
  if (typeof id !== 'string' || !/^\d{1,19}$/.test(id) || BigInt(id) <= 0n || BigInt(id) > MAX_INT64)
    throw fail('"checkpoint_request_id" must be a positive 64-bit integer as a decimal string');
  return { clientId: body.client_id, requestId: BigInt(id) };
}

const MAX_INT64 = 2n ** 63n - 1n;
