import { type Metric, renderMetrics } from './http/metrics.js';
import { lsnToBigInt } from './protocol/lsn.js';
import type { Replicator } from './replication/replicator.js';
import type { BucketStore } from './storage/store.js';
import type { StreamHub } from './sync/hub.js';
import type { RecentOps } from './sync/recent-ops.js';

/** Counters the server keeps in its `state` record: metric name, help text, state key. */
const COUNTERS: readonly (readonly [name: string, help: string, key: string])[] = [
  ['syncline_streams_opened_total', 'Sync streams opened', 'streamsOpened'],
  ['syncline_lines_sent_total', 'Sync lines sent', 'linesSent'],
  ['syncline_ops_sent_total', 'Ops sent to clients', 'opsSent'],
  ['syncline_bytes_sent_total', 'Uncompressed bytes of sync lines sent', 'bytesSent'],
  ['syncline_checkpoints_sent_total', 'Checkpoints announced to clients', 'checkpointsSent'],
  [
    'syncline_checkpoints_abandoned_total',
    'Checkpoints abandoned because compaction rewrote ops',
    'abandoned',
  ],
  ['syncline_write_checkpoints_total', 'Write checkpoints created', 'writeCheckpoints'],
  ['syncline_checkpoint_requests_total', 'Checkpoint requests received', 'checkpointRequests'],
  ['syncline_auth_failures_total', 'Rejected tokens', 'authFailures'],
];

/** Collects the sync server's metrics (Prometheus text). */
export async function collectMetrics(input: {
  store: BucketStore;
  replicator: Replicator | null;
  hub: StreamHub;
  streams: number;
  connections: { userId: string; clientId: string; buckets: number; ops: number }[];
  state: Record<string, number>;
  /** Streams opened per transport (`http-ndjson`, `http-bson`, `websocket`). */
  transports: Record<string, number>;
  cache: RecentOps;
}): Promise<string> {
  const { store, replicator, state } = input;
  const m: Metric[] = [
    { name: 'syncline_streams_open', help: 'Open sync streams', type: 'gauge', value: input.streams },
    ...COUNTERS.map(([name, help, key]) => ({
      name,
      help,
      type: 'counter' as const,
      value: state[key] ?? 0,
    })),
    ...Object.entries(input.transports).map(([transport, value]) => ({
      name: 'syncline_streams_opened_by_transport_total',
      help: 'Sync streams opened, by transport and encoding',
      type: 'counter' as const,
      value,
      labels: { transport },
    })),
    {
      name: 'syncline_recent_ops_cache_bytes',
      help: 'Bytes in the recent-ops cache',
      type: 'gauge',
      value: input.cache.size,
    },
    {
      name: 'syncline_process_rss_bytes',
      help: 'Resident set size',
      type: 'gauge',
      value: process.memoryUsage().rss,
    },
  ];
  const perUser = new Map<string, { streams: number; buckets: number; ops: number }>();
  for (const c of input.connections) {
    const u = perUser.get(c.userId) ?? { streams: 0, buckets: 0, ops: 0 };
    u.streams++;
    u.buckets = Math.max(u.buckets, c.buckets);
    u.ops = Math.max(u.ops, c.ops);
    perUser.set(c.userId, u);
  }
  for (const [user, u] of perUser) {
    m.push(
      {
        name: 'syncline_user_streams',
        help: 'Open streams per connected user',
        type: 'gauge',
        value: u.streams,
        labels: { user },
      },
      {
        name: 'syncline_user_buckets',
        help: 'Buckets per connected user',
        type: 'gauge',
        value: u.buckets,
        labels: { user },
      },
      {
        name: 'syncline_user_ops',
        help: 'Ops in the buckets of a connected user',
        type: 'gauge',
        value: u.ops,
        labels: { user },
      },
    );
  }
  try {
    const st = await store.state();
    const stats = await store.stats();
    m.push(
      {
        name: 'syncline_storage_head_op_id',
        help: 'Checkpoint head op id',
        type: 'gauge',
        value: Number(st?.head ?? 0),
      },
      { name: 'syncline_storage_ops', help: 'Ops in bucket storage', type: 'gauge', value: stats.ops },
      { name: 'syncline_storage_buckets', help: 'Buckets in storage', type: 'gauge', value: stats.buckets },
      { name: 'syncline_storage_rows', help: 'Source rows tracked', type: 'gauge', value: stats.rows },
    );
    if (replicator) {
      const { rows } = await store.pool.query<{
        lag: string | null;
        retained: string | null;
        active: boolean | null;
      }>(
        `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint AS lag,
                pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint AS retained, active
           FROM pg_replication_slots WHERE slot_name = $1`,
        [st?.slotName ?? ''],
      );
      m.push(
        {
          name: 'syncline_replication_lag_bytes',
          help: 'WAL bytes not yet confirmed by replication',
          type: 'gauge',
          value: Number(rows[0]?.lag ?? 0),
        },
        {
          name: 'syncline_replication_slot_retained_bytes',
          help: 'WAL retained by the slot',
          type: 'gauge',
          value: Number(rows[0]?.retained ?? 0),
        },
        {
          name: 'syncline_replication_slot_active',
          help: 'Whether the slot is active',
          type: 'gauge',
          value: rows[0]?.active ? 1 : 0,
        },
        {
          name: 'syncline_replication_changes_total',
          help: 'Row changes replicated',
          type: 'counter',
          value: replicator.changesApplied,
        },
        {
          name: 'syncline_replication_lsn',
          help: 'Replicated WAL position',
          type: 'gauge',
          value: Number(lsnToBigInt(replicator.lsn)),
        },
      );
    }
  } catch {
    // storage unreachable: report what we have
  }
  return renderMetrics(m);
}
