/**
 * One torture round: a fresh source database (and storage database for the separate layout) on the run's
 * cluster, the API and the sync server as processes behind TCP proxies, users in realms with devices, then
 * load with faults, quiescence and the checks.
 */
import { setMaxListeners } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@syncline/errors';
import { freePort } from '@syncline/postgres';
import { signUp, startTcpProxy, waitFor } from '@syncline/test-utils';
import pg from 'pg';
import { diffDevice, diffStorage, lostUploads, visibleRows } from './check.js';
import type { Cluster } from './cluster.js';
import { diffDerived } from './derived.js';
import { Device } from './devices.js';
import { FAULT_KINDS, type FaultKind, type FaultLog, runFaults } from './faults.js';
import { endLag, type LagStats, mb, sampleLag, waitStoragePassed } from './lag.js';
import { prepareSource, rules, schema } from './model.js';
import { Rng, sleep } from './random.js';
import type { RoundReport } from './report.js';
import { seed, slotNameFor } from './seed.js';
import { apiService, syncServerService, writeSyncConfig } from './services.js';
import { World } from './world.js';

export type { RoundReport } from './report.js';

import { runWriteCheckpoints, type WcStats } from './write-checkpoints.js';
import { runWriter, type WriterStats } from './writers.js';

export type Layout = 'same' | 'separate';

export interface RoundOptions {
  seed: number;
  layout: Layout;
  /** How long the load (and the faults) run. */
  loadMs: number;
  users?: number;
  devicesPerUser?: number;
  writers?: number;
  /** Fault kinds to inject (default: all); [] for none. */
  faults?: readonly FaultKind[];
  cluster: Cluster;
  logDir: string;
  logger: Logger;
}

const SYNCED = schema.synced.map((t) => t.name);

/** Runs one round and reports; never throws for a finding (only for a harness failure). */
export async function runRound(o: RoundOptions): Promise<RoundReport> {
  const rng = new Rng(o.seed, o.layout);
  const phases: Record<string, number> = {};
  let phaseStart = Date.now();
  const phase = (name: string) => {
    phases[name] = Date.now() - phaseStart;
    phaseStart = Date.now();
  };
  const roundStart = Date.now();
  const trace = (what: string) => {
    if (process.env.TORTURE_TRACE)
      console.log(`[torture] ${((Date.now() - roundStart) / 1000).toFixed(1)} s ${what}`);
  };
  const log = o.logger.child({ seed: o.seed, layout: o.layout });
  const tag = `t${o.seed}_${o.layout}`.replace(/\W/g, '_');
  const logDir = join(o.logDir, tag);
  await mkdir(logDir, { recursive: true });
  const sourceUrl = await o.cluster.createDatabase(`${tag}_src`);
  const storageUrl = o.layout === 'same' ? sourceUrl : await o.cluster.createDatabase(`${tag}_storage`);
  const source = new pg.Pool({ connectionString: sourceUrl, max: 4 });
  source.on('error', () => undefined);
  await prepareSource(sourceUrl, source);
  // The seed recipe's setup: FOR ALL TABLES (storage tables included when storage shares the database).
  await source.query('DROP PUBLICATION IF EXISTS powersync');
  await source.query(
    o.layout === 'same'
      ? 'CREATE PUBLICATION powersync FOR ALL TABLES'
      : `CREATE PUBLICATION powersync FOR TABLE ${SYNCED.map((t) => `"${t}"`).join(', ')}`,
  );

  const apiPort = await freePort();
  const syncPort = await freePort();
  const apiProxy = await startTcpProxy(apiPort);
  const syncProxy = await startTcpProxy(syncPort);
  const api = apiService(logDir, { databaseUrl: sourceUrl, port: apiPort, powersyncUrl: syncProxy.url });
  const config = await writeSyncConfig(logDir, rules);
  const sync = syncServerService(logDir, config, {
    databaseUrl: sourceUrl,
    storageUrl,
    jwksUri: `http://127.0.0.1:${apiPort}/api/auth/jwks`,
    audience: `http://127.0.0.1:${apiPort}`,
    port: syncPort,
  });
  const devices: Device[] = [];
  const verifiers: Device[] = [];
  const storagePool = new pg.Pool({ connectionString: storageUrl, max: 2 });
  storagePool.on('error', () => undefined);
  try {
    trace('database ready');
    await api.start();
    const nUsers = o.users ?? 4;
    const users = await Promise.all(
      Array.from({ length: nUsers }, async (_, i) => {
        const a = await signUp(`http://127.0.0.1:${apiPort}`, `u${i}`);
        return { id: a.id, name: `u${i}`, realm: i % 2, api: a };
      }),
    );
    trace('API up, users signed up');
    const world = new World(users);
    await seed(source, rng.fork('seed'), world);
    trace('seeded');
    await sync.start();
    trace('sync server up');
    const perUser = o.devicesPerUser ?? 2;
    devices.push(
      ...(await Promise.all(
        users.flatMap((u) =>
          Array.from({ length: perUser }, (_, d) =>
            Device.open(`${u.name}-d${d}`, u, apiProxy.url, world.usersOf(u.realm)),
          ),
        ),
      )),
    );
    trace('devices open');
    await Promise.all(
      devices.map((d) =>
        waitFor(() => d.client.powersync.currentStatus.hasSynced, {
          timeout: 60_000,
          message: `${d.name} first sync`,
        }),
      ),
    );
    phase('setup');
    log.info('load starting', { devices: devices.length, users: users.length });

    // ── load + faults ────────────────────────────────────────────────────────────────────────
    const stop = new AbortController();
    setMaxListeners(100, stop.signal);
    const writerStats: WriterStats = { committed: 0, failed: 0, ops: 0, large: 0 };
    const wcStats: WcStats = { calls: 0, failed: 0 };
    const faults: FaultLog = { counts: {}, replicationBackMs: [], replicationStuck: 0 };
    const kinds = o.faults ?? FAULT_KINDS;
    const lag: LagStats = { maxBytes: 0, endBytes: 0, drainMs: null };
    const tasks: Promise<void>[] = [sampleLag(storagePool, stop.signal, lag)];
    for (let i = 0; i < (o.writers ?? 4); i++)
      tasks.push(runWriter(sourceUrl, rng.fork(`writer${i}`), world, stop.signal, writerStats));
    for (const d of devices) tasks.push(d.run(rng.fork(d.name), stop.signal));
    tasks.push(runWriteCheckpoints(syncProxy.url, rng.fork('wc'), world, stop.signal, wcStats));
    tasks.push(
      (async () => {
        while (!stop.signal.aborted) {
          await sleep(1500, stop.signal);
          for (const d of devices) await d.sampleForeign(world).catch(() => undefined);
        }
      })(),
    );
    if (kinds.length)
      tasks.push(
        runFaults(
          { cluster: o.cluster, sync, api, syncProxy, apiProxy, slotName: slotNameFor(sourceUrl) },
          rng.fork('faults'),
          stop.signal,
          kinds,
          faults,
        ),
      );
    await sleep(o.loadMs);
    stop.abort();
    await Promise.all(tasks);
    const loadEndedAt = Date.now();
    await endLag(storagePool, lag);

    phase('load');
    // ── quiescence ───────────────────────────────────────────────────────────────────────────
    log.info('quiescing', { writer: writerStats, faults: faults.counts });
    await api.start();
    await sync.start();
    const failures: string[] = [];
    await waitFor(
      async () => (await Promise.all(devices.map((d) => d.pendingUploads()))).every((n) => n === 0),
      {
        timeout: 90_000,
        interval: 250,
        message: 'devices uploaded everything',
      },
    ).catch((e) => failures.push(`uploads did not drain: ${(e as Error).message}`));
    // A marker per user, committed after everything else: a device holding it applied a checkpoint
    // that contains every earlier change.
    // Each marker's WAL position inside its own transaction: its commit ends after it, so storage holds the
    // marker once its replicated position passed this (the cluster's current position would not do: in the
    // separate layout storage's own writes move it, and storage's position only moves with source commits).
    let markersAt = '0/0';
    for (const u of users) {
      const { rows } = await source.query<{ lsn: string; later: boolean }>(
        `INSERT INTO projects (id, name, owner_id, created_at, updated_at) VALUES ($1, 'marker', $2, now(), now())
         RETURNING pg_current_wal_lsn()::text AS lsn, pg_current_wal_lsn() > $3::pg_lsn AS later`,
        [`marker-${tag}-${u.name}`, u.id, markersAt],
      );
      if (rows[0]!.later) markersAt = rows[0]!.lsn;
    }
    // Replication first: a device applies nothing newer than its own last upload before storage passed it,
    // so the devices' wait below only starts once storage holds the markers (a slow catch-up is reported as
    // the lag, a device that then does not catch up is stuck).
    if (!(await waitStoragePassed(storagePool, markersAt, lag, 180_000, loadEndedAt)))
      failures.push(
        `replication did not catch up within 180 s after the load (${mb(lag.endBytes)} behind when it ended)`,
      );
    const hasMarker = async (d: Device) =>
      (await d.all('SELECT 1 FROM projects WHERE id = ?', [`marker-${tag}-${d.user.name}`])).length === 1;
    await Promise.all(
      devices.map((d) =>
        waitFor(() => hasMarker(d), { timeout: 90_000, interval: 100, message: `${d.name} caught up` }).catch(
          (e) => failures.push((e as Error).message),
        ),
      ),
    );
    phase('quiesce');
    // A device that did not catch up: its sync state and the server's write checkpoints, for the diagnosis.
    const stuck = [];
    for (const d of devices) if (!(await hasMarker(d))) stuck.push(await d.diagnose());
    if (stuck.length) {
      const wcs = await storagePool
        .query('SELECT * FROM syncline.write_checkpoints ORDER BY user_id, client_id, id')
        .then((r) => r.rows)
        .catch((e) => [{ error: (e as Error).message }]);
      const state = await storagePool
        .query('SELECT * FROM syncline.sync_state')
        .then((r) => r.rows)
        .catch((e) => [{ error: (e as Error).message }]);
      const buckets = await storagePool
        .query(
          'SELECT bucket, checksum::text, op_count::text, live_count::text, last_op_id::text, compacted_through::text FROM syncline.bucket_state ORDER BY bucket',
        )
        .then((r) => r.rows)
        .catch((e) => [{ error: (e as Error).message }]);
      await writeFile(
        join(logDir, 'stuck-devices.json'),
        JSON.stringify({ stuck, wcs, state, buckets }, null, 1),
      );
    }
    // Devices apply checkpoints atomically, so once the marker is there the rest must be too.
    const expected = new Map<string, Awaited<ReturnType<typeof visibleRows>>>();
    for (const u of users) expected.set(u.id, await visibleRows(source, u.id));
    const deviceDiffs = await Promise.all(devices.map((d) => diffDevice(d, expected.get(d.user.id)!)));
    const storage = await diffStorage(source, storagePool);
    const derived = await diffDerived(source, storagePool);
    // Fresh devices: what storage serves from scratch.
    verifiers.push(
      ...(await Promise.all(users.map((u) => Device.open(`${u.name}-fresh`, u, apiProxy.url, [])))),
    );
    await Promise.all(
      verifiers.map((d) =>
        waitFor(() => hasMarker(d), { timeout: 90_000, interval: 100, message: `${d.name} caught up` }).catch(
          (e) => failures.push((e as Error).message),
        ),
      ),
    );
    const verifierDiffs = await Promise.all(verifiers.map((d) => diffDevice(d, expected.get(d.user.id)!)));
    let acknowledged = 0;
    const lost: string[] = [];
    for (const d of devices) {
      const r = await lostUploads(source, d);
      acknowledged += r.acknowledged;
      lost.push(...r.lost.map((id) => `${d.name}: document_versions/${id}`));
    }
    const rejections: Record<string, number> = {};
    for (const d of devices)
      for (const [code, n] of Object.entries(await d.rejectionCodes()))
        rejections[code] = (rejections[code] ?? 0) + n;
    const members = Number(
      (await source.query<{ n: number }>('SELECT count(*)::int AS n FROM project_members')).rows[0]?.n ?? 0,
    );
    phase('check');
    const checksumFailures = [...devices, ...verifiers].flatMap((d) =>
      d.checksumFailures().map((w) => `${d.name}: ${w}`),
    );
    const foreign = devices.reduce((n, d) => n + d.stats.foreign, 0);
    const report: RoundReport = {
      seed: o.seed,
      layout: o.layout,
      ok: false,
      failures,
      loadMs: o.loadMs,
      writers: writerStats,
      deviceOps: devices.reduce((n, d) => n + d.stats.ops, 0),
      writeCheckpoints: wcStats,
      faults,
      lag,
      crashes: {
        sync: sync.crashes.length,
        api: api.crashes.length,
        tails: [...sync.crashes, ...api.crashes].map((c) => c.tail.split('\n').slice(-4).join(' | ')),
      },
      storage,
      derived,
      devices: deviceDiffs,
      verifiers: verifierDiffs,
      uploads: { acknowledged, lost: lost.length, samples: lost.slice(0, 5) },
      foreign: { count: foreign, samples: devices.flatMap((d) => d.stats.foreignSamples).slice(0, 5) },
      sharing: {
        deviceShares: devices.reduce((n, d) => n + d.stats.shares, 0),
        deviceUnshares: devices.reduce((n, d) => n + d.stats.unshares, 0),
        sharedEdits: devices.reduce((n, d) => n + d.stats.sharedEdits, 0),
        members,
        rejections,
      },
      checksumFailures: checksumFailures.slice(0, 10),
      phases,
    };
    for (const s of storage)
      if (s.missing || s.extra) failures.push(`storage ${s.table}: ${s.missing} missing, ${s.extra} extra`);
    for (const d of derived)
      if (d.missing || d.extra)
        failures.push(
          `derived state ${d.table}: ${d.missing} missing, ${d.extra} extra: ${d.samples.join('; ')}`,
        );
    for (const d of [...deviceDiffs, ...verifierDiffs])
      if (d.missing || d.extra || d.stale)
        failures.push(`${d.device}: ${d.missing} missing, ${d.extra} extra, ${d.stale} stale`);
    if (lost.length) failures.push(`${lost.length} acknowledged uploads missing in Postgres`);
    if (foreign) failures.push(`${foreign} foreign rows seen on devices`);
    if (checksumFailures.length) failures.push(`${checksumFailures.length} checksum failures`);
    if (sync.crashes.length || api.crashes.length)
      failures.push(`crashes: sync server ${sync.crashes.length}, API ${api.crashes.length}`);
    if (faults.replicationStuck)
      failures.push(
        `replication did not resume within 30 s after ${faults.replicationStuck} Postgres restarts`,
      );
    report.ok = failures.length === 0;
    return report;
  } finally {
    for (const d of [...devices, ...verifiers]) await d.close();
    await sync.stop().catch(() => undefined);
    await api.stop().catch(() => undefined);
    await syncProxy.stop();
    await apiProxy.stop();
    await source.end().catch(() => undefined);
    await storagePool.end().catch(() => undefined);
  }
}
