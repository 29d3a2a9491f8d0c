import type { DeviceDiff, StorageDiff } from './check.js';
import type { DerivedDiff } from './derived.js';
import type { FaultLog } from './faults.js';
import { type LagStats, mb } from './lag.js';
import type { Layout } from './run.js';
import type { WcStats } from './write-checkpoints.js';
import type { WriterStats } from './writers.js';

/** What one round found: the counts the checks compared, the faults injected, every failure. */
export interface RoundReport {
  seed: number;
  layout: Layout;
  ok: boolean;
  failures: string[];
  loadMs: number;
  writers: WriterStats;
  deviceOps: number;
  writeCheckpoints: WcStats;
  faults: FaultLog;
  /** Replication lag (bucket storage behind the WAL) during and after the load. */
  lag: LagStats;
  crashes: { sync: number; api: number; tails: string[] };
  storage: StorageDiff[];
  /** Storage's bucket entries, lookups and parameter index against the rules on Postgres' rows. */
  derived: DerivedDiff[];
  devices: DeviceDiff[];
  verifiers: DeviceDiff[];
  uploads: { acknowledged: number; lost: number; samples: string[] };
  foreign: { count: number; samples: string[] };
  /** Sharing during the load: device grants/changes and revokes, edits of others' documents, membership rows at
   * the end, and the devices' rejected writes by code (viewer edits, revoked shares, version conflicts…). */
  sharing: {
    deviceShares: number;
    deviceUnshares: number;
    sharedEdits: number;
    members: number;
    rejections: Record<string, number>;
  };
  checksumFailures: string[];
  /** Wall time of each phase (ms). */
  phases: Record<string, number>;
}

const median = (xs: number[]) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/** A round's report as text: the counts the checks compared, every failure, and how to replay it. */
export function formatReport(r: RoundReport): string {
  const lines: string[] = [];
  lines.push(
    `── round seed=${r.seed} layout=${r.layout} ${r.ok ? 'PASS' : 'FAIL'} (replay: npm run torture -- --seed ${r.seed} --layout ${r.layout} --rounds 1 --load-seconds ${Math.round(r.loadMs / 1000)})`,
  );
  lines.push(
    `   load ${Math.round(r.loadMs / 1000)} s: ${r.writers.committed} SQL transactions (${r.writers.ops} row changes, ${r.writers.large} large, ${r.writers.failed} failed by faults), ${r.deviceOps} device writes, ${r.writeCheckpoints.calls} write checkpoints (${r.writeCheckpoints.failed} failed: ${JSON.stringify(r.writeCheckpoints.failures ?? {})})`,
  );
  lines.push(
    `   phases: ${Object.entries(r.phases)
      .map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`)
      .join(', ')}`,
  );
  const f = Object.entries(r.faults.counts)
    .map(([k, n]) => `${k} ×${n}`)
    .join(', ');
  lines.push(`   faults: ${f || 'none'}`);
  lines.push(
    `   replication lag: max ${mb(r.lag.maxBytes)} during the load, ${mb(r.lag.endBytes)} at its end, storage held the markers ${r.lag.drainMs === null ? 'NOT within 180 s' : `${(r.lag.drainMs / 1000).toFixed(1)} s after the load`}`,
  );
  if (r.faults.replicationBackMs.length)
    lines.push(
      `   replication back after Postgres restart: median ${median(r.faults.replicationBackMs)} ms, max ${Math.max(...r.faults.replicationBackMs)} ms (${r.faults.replicationBackMs.length} restarts, ${r.faults.replicationStuck} stuck)`,
    );
  lines.push(`   crashes: sync server ${r.crashes.sync}, API ${r.crashes.api}`);
  for (const t of r.crashes.tails) lines.push(`     crash: ${t.slice(0, 300)}`);
  lines.push('   storage (rows in Postgres / bucket storage, missing, extra):');
  for (const s of r.storage)
    lines.push(
      `     ${s.table.padEnd(18)} ${String(s.postgres).padStart(6)} / ${String(s.storage).padStart(6)}  missing ${s.missing}  extra ${s.extra}${s.samples.length ? `  e.g. ${s.samples.slice(0, 2).join(', ')}` : ''}`,
    );
  const derivedBad = r.derived.filter((d) => d.missing || d.extra);
  lines.push(
    `   derived state (bucket entries, lookups, parameter index vs the rules on Postgres): ${derivedBad.length ? derivedBad.map((d) => `${d.table} missing ${d.missing} extra ${d.extra} e.g. ${d.samples.slice(0, 3).join('; ')}`).join(' | ') : 'exact'}`,
  );
  lines.push('   devices (rows held, missing, extra, stale):');
  for (const d of [...r.devices, ...r.verifiers])
    lines.push(
      `     ${d.device.padEnd(10)} ${String(d.rows).padStart(6)}  missing ${d.missing}  extra ${d.extra}  stale ${d.stale}${d.samples.length ? `  e.g. ${d.samples.slice(0, 2).join('; ')}` : ''}`,
    );
  lines.push(
    `   acknowledged uploads: ${r.uploads.acknowledged}, missing in Postgres: ${r.uploads.lost}${r.uploads.samples.length ? ` e.g. ${r.uploads.samples.join(', ')}` : ''}`,
  );
  lines.push(
    `   foreign rows seen during the run: ${r.foreign.count}${r.foreign.samples.length ? ` e.g. ${r.foreign.samples.join(', ')}` : ''}`,
  );
  lines.push(
    `   sharing: ${r.sharing.deviceShares} shares granted/changed and ${r.sharing.deviceUnshares} revoked by devices, ${r.sharing.sharedEdits} edits of others' documents, ${r.sharing.members} memberships at the end; rejected ops by code: ${JSON.stringify(r.sharing.rejections)}`,
  );
  lines.push(
    `   checksum failures: ${r.checksumFailures.length}${r.checksumFailures.length ? ` e.g. ${r.checksumFailures[0]}` : ''}`,
  );
  for (const x of r.failures) lines.push(`   ✗ ${x}`);
  return lines.join('\n');
}

/** Totals over rounds. */
export function formatSummary(reports: RoundReport[]): string {
  const sum = (f: (r: RoundReport) => number) => reports.reduce((n, r) => n + f(r), 0);
  const missing = sum(
    (r) =>
      r.storage.reduce((n, s) => n + s.missing, 0) +
      [...r.devices, ...r.verifiers].reduce((n, d) => n + d.missing, 0),
  );
  const extra = sum(
    (r) =>
      r.storage.reduce((n, s) => n + s.extra, 0) +
      [...r.devices, ...r.verifiers].reduce((n, d) => n + d.extra, 0),
  );
  const stale = sum((r) => [...r.devices, ...r.verifiers].reduce((n, d) => n + d.stale, 0));
  const restarts = reports.flatMap((r) => r.faults.replicationBackMs);
  return [
    `══ ${reports.length} rounds, ${reports.filter((r) => r.ok).length} passed`,
    `   SQL transactions ${sum((r) => r.writers.committed)}, row changes ${sum((r) => r.writers.ops)}, device writes ${sum((r) => r.deviceOps)}, acknowledged uploads ${sum((r) => r.uploads.acknowledged)}`,
    `   missing ${missing}, extra ${extra}, stale ${stale}, lost uploads ${sum((r) => r.uploads.lost)}, foreign rows ${sum((r) => r.foreign.count)}, checksum failures ${sum((r) => r.checksumFailures.length)}, crashes ${sum((r) => r.crashes.sync + r.crashes.api)}`,
    `   Postgres restarts ${restarts.length}: replication back in median ${median(restarts) ?? '-'} ms (max ${restarts.length ? Math.max(...restarts) : '-'} ms)`,
  ].join('\n');
}
