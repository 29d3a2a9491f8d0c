import { SyncError } from '@syncline/errors';
import { formatBytes } from '../doctor/postgres.js';
import { commandFailed, parseCommandArgs } from '../shared/args.js';
import { loadProject } from '../shared/project.js';
import { fetchWithTimeout, type Io } from '../shared/report.js';
import { parsePrometheus, type Sample, sampleValue } from './prometheus.js';

/** Per-user numbers from the `syncline_user_*{user}` metrics. */
export interface UserStatus {
  user: string;
  streams?: number;
  buckets?: number;
  ops?: number;
}

/** What `syncline status` reports (also its `--json` output). */
export interface StatusReport {
  url: string;
  replication: { lagBytes?: number; slotRetainedBytes?: number; slotActive?: boolean; lsn?: number };
  streams: { open?: number; openedTotal?: number };
  storage: { ops?: number; buckets?: number; headOpId?: number };
  /** Connected users; empty when none are connected or the server exposes no per-user metrics. */
  users: UserStatus[];
  /**
   * Whether the server reports per-user metrics: Syncline's sync server does (`syncline_*` metrics; the
   * `syncline_user_*` series exist only while a user is connected), the official service does not.
   */
  perUserMetrics: boolean;
}

/** Turns the sync server's metrics into a {@link StatusReport}. */
export function statusFromMetrics(url: string, samples: readonly Sample[]): StatusReport {
  const v = (name: string) => sampleValue(samples, name);
  const users = new Map<string, UserStatus>();
  const perUser = samples.filter((s) => s.name.startsWith('syncline_user_'));
  for (const s of perUser) {
    const user = s.labels.user ?? '?';
    const entry = users.get(user) ?? { user };
    const key = s.name.slice('syncline_user_'.length) as 'streams' | 'buckets' | 'ops';
    if (key === 'streams' || key === 'buckets' || key === 'ops') entry[key] = (entry[key] ?? 0) + s.value;
    users.set(user, entry);
  }
  const active = v('syncline_replication_slot_active');
  const pick = <T extends Record<string, number | boolean | undefined>>(o: T) =>
    Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as T;
  return {
    url,
    replication: pick({
      lagBytes: nonNegative(v('syncline_replication_lag_bytes')),
      slotRetainedBytes: v('syncline_replication_slot_retained_bytes'),
      slotActive: active === undefined ? undefined : active === 1,
      lsn: v('syncline_replication_lsn'),
    }),
    streams: pick({ open: v('syncline_streams_open'), openedTotal: v('syncline_streams_opened_total') }),
    storage: pick({
      ops: v('syncline_storage_ops'),
      buckets: v('syncline_storage_buckets'),
      headOpId: v('syncline_storage_head_op_id'),
    }),
    users: [...users.values()].sort((a, b) => a.user.localeCompare(b.user)),
    perUserMetrics: samples.some((s) => s.name.startsWith('syncline_')),
  };
}

/**
 * Lag as bytes, never negative: the slot's confirmed position can be a few bytes past
 * `pg_current_wal_lsn()` (it confirms the end of the last commit record), which Postgres reports as -1.
 */
const nonNegative = (n: number | undefined) => (n === undefined ? undefined : Math.max(0, n));

/**
 * Reads `GET <syncUrl>/metrics` (Prometheus text) and summarizes replication lag, slot size, open
 * streams, storage and per-user buckets/ops. Throws `CLIENT_NETWORK` when the endpoint is unreachable.
 *
 * @example
 * const status = await runStatus({ syncUrl: 'http://localhost:8080' });
 */
export async function runStatus(options: { syncUrl: string }): Promise<StatusReport> {
  const url = options.syncUrl.replace(/\/+$/, '');
  let res: Response;
  try {
    res = await fetchWithTimeout(`${url}/metrics`);
  } catch (e) {
    throw new SyncError(
      'CLIENT_NETWORK',
      `The sync server's metrics are unreachable: ${(e as Error).message}`,
    );
  }
  if (!res.ok) throw new SyncError('CLIENT_NETWORK', `${url}/metrics answered HTTP ${res.status}`);
  return statusFromMetrics(url, parsePrometheus(await res.text()));
}

const show = (n: number | undefined, f: (n: number) => string = String) => (n === undefined ? 'n/a' : f(n));

/**
 * Human-readable status.
 *
 * @example
 * console.log(formatStatus(await runStatus({ syncUrl: 'http://localhost:8080' })));
 */
export function formatStatus(s: StatusReport): string {
  const r = s.replication;
  const lines = [
    `Sync server ${s.url}`,
    `  replication lag     ${show(r.lagBytes, formatBytes)}`,
    `  slot retained WAL   ${show(r.slotRetainedBytes, formatBytes)}${r.slotActive === undefined ? '' : r.slotActive ? ' (active)' : ' (INACTIVE)'}`,
    `  open streams        ${show(s.streams.open)}`,
    `  storage             ${show(s.storage.ops)} ops in ${show(s.storage.buckets)} buckets (head op ${show(s.storage.headOpId)})`,
  ];
  if (!s.perUserMetrics)
    lines.push('  users               n/a (this sync server reports no per-user metrics)');
  else {
    lines.push(`  users               ${s.users.length} connected`);
    const w = Math.max(4, ...s.users.map((u) => u.user.length));
    for (const u of s.users)
      lines.push(
        `    ${u.user.padEnd(w)}  streams ${show(u.streams)}  buckets ${show(u.buckets)}  ops ${show(u.ops)}`,
      );
  }
  return lines.join('\n');
}

const USAGE = `syncline status [--sync-url http://localhost:8080] [--config syncline.config.ts] [--json]

Exit codes: 0 ok, 1 metrics unreachable, 2 usage error.`;

/** `syncline status`. */
export async function statusCommand(argv: string[], io: Io): Promise<number> {
  let json = false;
  try {
    const { values } = parseCommandArgs(argv, {
      'sync-url': { type: 'string' },
      config: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    json = values.json ?? false;
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    const syncUrl =
      values['sync-url'] ?? (await loadProject(values.config))?.syncServer?.url ?? 'http://localhost:8080';
    const status = await runStatus({ syncUrl });
    io.out(json ? JSON.stringify(status, null, 2) : formatStatus(status));
    return 0;
  } catch (e) {
    return commandFailed(e, io, USAGE, { json, exitCode: (code) => (code === 'CLIENT_NETWORK' ? 1 : 2) });
  }
}
