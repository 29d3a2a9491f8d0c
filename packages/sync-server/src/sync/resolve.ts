/**
 * Which buckets a connection has at a checkpoint, and the checkpoint's `streams` list: sync rules (static
 * buckets, dynamic buckets through parameter lookups, stream subscriptions) evaluated against one consistent
 * read of storage.
 */
import { JSONBig } from '@powersync/service-jsonbig';
import type { ResolvedBucket } from '@powersync/service-sync-rules';
import { SyncError } from '@syncline/errors';
import type { StreamInfo } from '../protocol/lines.js';
import type { SyncRules } from '../rules/index.js';
import type { BucketState, BucketStore } from '../storage/store.js';
import type { SyncRequestBody } from './request.js';

/** A bucket of the connection with its state at the checkpoint. */
export interface KnownBucket extends BucketState {
  priority: number;
  /** Index into the checkpoint's `streams` (included by a default stream / bucket definition). */
  definitionIndex: number | undefined;
  /** Indexes into the request's `streams.subscriptions` that include the bucket. */
  subscriptions: number[] | undefined;
}

/** The connection's state at one checkpoint. */
export interface ResolvedCheckpoint {
  head: bigint;
  buckets: Map<string, KnownBucket>;
  writeCheckpoint: bigint | null;
  /** Parameter lookups the bucket set depends on (a change to one re-resolves). */
  lookups: Set<string>;
}

export type Querier = ReturnType<SyncRules['querier']>['querier'];
export type QuerierError = ReturnType<SyncRules['querier']>['errors'][number];

/** What {@link resolveCheckpoint} needs. */
export interface ResolveOptions {
  store: BucketStore;
  maxBuckets: number;
  maxParameterRows: number;
  userId: string;
  clientId: string;
  /** Definition / stream name → index in the checkpoint's `streams`. */
  definitionIndex: ReadonlyMap<string, number>;
}

/** Bucket set and states at one checkpoint, read in one REPEATABLE READ transaction. */
export function resolveCheckpoint(querier: Querier, o: ResolveOptions): Promise<ResolvedCheckpoint> {
  const { store } = o;
  return store.consistentRead(async (db, at) => {
    if (!at.snapshotDone)
      throw new SyncError('SYNC_NOT_READY', 'The initial replication is still running; retry shortly');
    const resolved: ResolvedBucket[] = [...querier.staticBuckets];
    const lookups = new Set<string>();
    if (querier.hasDynamicBuckets) {
      let paramRows = 0;
      const dynamic = await querier.queryDynamicBucketDescriptions({
        getParameterSets: async (requested) => {
          const keys = requested.map((l) => l.serializedRepresentation);
          for (const k of keys) lookups.add(k);
          const stored = await store.parameterSets(db, keys);
          return requested.map((lookup, i) => {
            const rows = (stored.get(keys[i]!) ?? []).flatMap(
              (p) => JSONBig.parse(p) as Record<string, unknown>[],
            );
            paramRows += rows.length;
            if (paramRows > o.maxParameterRows) {
              throw new SyncError(
                'SYNC_TOO_MANY_BUCKETS',
                `Parameter queries returned more than ${o.maxParameterRows} rows for this user (option maxParameterRows)`,
              );
            }
            return { lookup, rows: rows as never };
          });
        },
      });
      resolved.push(...dynamic);
    }
    const merged = mergeBuckets(resolved);
    if (merged.size > o.maxBuckets) {
      throw new SyncError(
        'SYNC_TOO_MANY_BUCKETS',
        `This connection has ${merged.size} buckets; the limit is ${o.maxBuckets} (option maxBuckets)`,
      );
    }
    const states = await store.bucketStates(db, [...merged.keys()]);
    const buckets = new Map<string, KnownBucket>();
    for (const [name, m] of merged) {
      const s = states.get(name) ?? { checksum: 0, count: 0, lastOpId: 0n, compactedThrough: 0n };
      const subs = m.reasons
        .filter((r): r is { subscription: number } => typeof r === 'object')
        .map((r) => r.subscription);
      const defIndex =
        m.reasons.includes('default') && m.definition !== undefined
          ? o.definitionIndex.get(m.definition)
          : undefined;
      // Every field in one literal: the object keeps them in-object (a spread adds a property store).
      buckets.set(name, {
        checksum: s.checksum,
        count: s.count,
        lastOpId: s.lastOpId,
        compactedThrough: s.compactedThrough,
        priority: m.priority,
        definitionIndex: defIndex,
        subscriptions: subs.length ? subs : undefined,
      });
    }
    const writeCheckpoint = o.clientId
      ? await store.reachedWriteCheckpoint(db, o.userId, o.clientId, at.lsn)
      : null;
    return { head: at.head, buckets, writeCheckpoint, lookups };
  });
}

interface Merged {
  priority: number;
  reasons: ResolvedBucket['inclusion_reasons'];
  definition?: string;
}

/** Duplicates merged: union of inclusion reasons, highest priority (lowest number) wins. */
function mergeBuckets(resolved: readonly ResolvedBucket[]): Map<string, Merged> {
  const merged = new Map<string, Merged>();
  for (const r of resolved) {
    const definition = (r as { definition?: string }).definition;
    const m = merged.get(r.bucket);
    if (m) {
      m.priority = Math.min(m.priority, r.priority);
      m.reasons = [...m.reasons, ...r.inclusion_reasons];
      if (definition !== undefined) m.definition = definition;
    } else {
      merged.set(r.bucket, {
        priority: r.priority,
        reasons: [...r.inclusion_reasons],
        ...(definition !== undefined ? { definition } : {}),
      });
    }
  }
  return merged;
}

/**
 * The checkpoint's `streams`: every definition the connection is subscribed to (by default or explicitly),
 * with the errors the rules reported for it, plus one entry per unknown stream name a subscription asked
 * for (with an error per subscription, so the client logs why it never becomes active).
 */
export function streamsInfo(
  rules: SyncRules,
  body: SyncRequestBody,
  errors: readonly QuerierError[],
): { streams: StreamInfo[]; definitionIndex: Map<string, number> } {
  const subscriptions = body.streams?.subscriptions ?? [];
  const requested = new Set(subscriptions.map((s) => s.stream));
  const includeDefaults = body.streams?.include_defaults ?? true;
  const streams: StreamInfo[] = [];
  const definitionIndex = new Map<string, number>();
  const known = new Set<string>();
  for (const d of rules.definitions()) {
    known.add(d.name);
    if (!(d.isDefault && includeDefaults) && !requested.has(d.name)) continue;
    definitionIndex.set(d.name, streams.length);
    streams.push({
      name: d.name,
      is_default: d.isDefault,
      errors: errors
        .filter((e) => e.descriptor === d.name)
        .map((e) => ({ subscription: e.subscription ?? 'default', message: e.message })),
    });
  }
  const unknown = new Map<string, StreamInfo>();
  subscriptions.forEach((s, i) => {
    if (known.has(s.stream)) return;
    let entry = unknown.get(s.stream);
    if (!entry) {
      entry = { name: s.stream, is_default: false, errors: [] };
      unknown.set(s.stream, entry);
      streams.push(entry);
    }
    entry.errors.push({
      subscription: i,
      message: `The sync rules define no stream named "${s.stream}"`,
    });
  });
  return { streams, definitionIndex };
}
