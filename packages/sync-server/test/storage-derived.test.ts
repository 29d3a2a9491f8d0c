/**
 * SPEC.md S1 (derived state): after every storage commit, for every source row, the bucket entries and parameter
 * lookups storage keeps are exactly what the sync rules give for the row as last committed, and every bucket's
 * op log, applied in order, holds exactly the rows the rules put in that bucket (with their current data).
 *
 * The attacker drives the storage writer directly with random row changes — inserts, updates that move a row
 * between buckets or change a membership, key changes, deletes, truncates — in random groups, with a random
 * (often tiny) chunk size so changes straddle pipelined chunk flushes, and with rolled-back commits that are then
 * replayed (what replication does after a failure). Seeded: a failure names its seed.
 *
 * Also, with random (small) limits on the ops a checkpoint event carries, every event's ops for a bucket are
 * exactly the ops storage's log holds for that commit; and buckets are compacted at random points with a random
 * (small) page size, so compaction straddles page boundaries while checksums and live rows must stay exact.
 */
import { quietLogger, useTestDatabase } from '@syncline/test-utils';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncRules } from '../src/rules/index.js';
import type { CheckpointEvent } from '../src/storage/events.js';
import type { RowChange } from '../src/storage/ops.js';
import { BucketStore } from '../src/storage/store.js';
import { StorageWriter } from '../src/storage/writer.js';
import {
  eventOpsMismatches,
  expected,
  type Row,
  rng,
  SEP,
  stored,
  TABLES,
  type Table,
} from './storage-derived.fixtures.js';

const RULES = `
bucket_definitions:
  mine:
    parameters: SELECT request.user_id() AS user_id
    data:
      - SELECT * FROM items WHERE owner_id = bucket.user_id
  shared:
    parameters:
      - SELECT id AS list_id FROM lists WHERE owner_id = request.user_id()
      - SELECT list_id FROM members WHERE user_id = request.user_id()
    data:
      - SELECT * FROM items WHERE list_id = bucket.list_id
      - SELECT * FROM members WHERE list_id = bucket.list_id
      - SELECT * FROM lists WHERE id = bucket.list_id
`;
const db = useTestDatabase('derived');
let pool: pg.Pool;
afterAll(async () => pool?.end());
beforeAll(async () => {
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
});

/** Kinds of change left out (to narrow a failure down): `keys`, `truncate`, `rollback`, `lists`. */
const OFF = new Set((process.env.SYNCLINE_DERIVED_OFF ?? '').split(','));

async function attack(seed: number, steps: number): Promise<void> {
  const r = rng(seed);
  const schema = `derived_${seed}`;
  const store = new BucketStore(pool, schema);
  await store.init();
  const state = await store.resetForRebuild('hash', 'slot');
  const rules = SyncRules.parse(RULES, state.rulesVersion);
  const chunkOps = r.pick([1, 2, 3, 5, 8, 50]);
  const eventOps = {
    ops: r.pick([5, 20, 20_000]),
    bytes: r.pick([2000, 8 << 20]),
    perBucket: r.pick([1, 3, 2000]),
  };
  const compactPageRows = r.pick([1, 2, 3, 7]);
  const events: CheckpointEvent[] = [];
  const writer = new StorageWriter({
    pool,
    schema,
    rules,
    logger: quietLogger,
    nextOpId: state.nextOpId,
    head: state.head,
    chunkOps,
    eventOps,
    compaction: { minDeadOps: 0, deadToLiveRatio: r.pick([0, 1]) },
    compactPageRows,
    onCommit: (e) => events.push(e),
  });
  const model = new Map<Table, Map<string, Row>>(TABLES.map((t) => [t, new Map()]));
  const users = ['u1', 'u2', 'u3'];
  const lists = ['l1', 'l2', 'l3', 'l4'];
  let nextId = 0;
  let lsn = 0x1000;
  const at = `seed ${seed} (chunkOps ${chunkOps}, event ops ${JSON.stringify(eventOps)}, page ${compactPageRows})`;
  for (let step = 0; step < steps; step++) {
    // One source commit: changes against a working copy of the model.
    const work = new Map([...model].map(([t, rows]) => [t, new Map(rows)]));
    const changes: RowChange[] = [];
    const n = 1 + r.int(r.next() < 0.2 ? 40 : 8);
    for (let i = 0; i < n; i++) {
      const t = r.pick(TABLES);
      if (t === 'lists' && OFF.has('lists')) continue;
      const table = rules.table('public', t);
      const rows = work.get(t)!;
      const keys = [...rows.keys()];
      const roll = r.next();
      const fresh = (): Row => {
        if (t === 'items')
          return { id: `i${nextId}`, owner_id: r.pick(users), list_id: r.pick(lists), n: String(r.int(9)) };
        if (t === 'members') return { id: `m${nextId}`, list_id: r.pick(lists), user_id: r.pick(users) };
        return { id: r.pick(lists), owner_id: r.pick(users), name: `n${r.int(9)}` };
      };
      if (t === 'lists' && roll < 0.5) {
        // Lists have fixed ids: upsert one (insert when new, else update its owner/name).
        const row = fresh();
        const kind = rows.has(row.id!) ? 'update' : 'insert';
        rows.set(row.id!, row);
        changes.push({ kind, table, key: row.id!, record: row });
      } else if (roll < 0.35 || keys.length === 0) {
        if (t === 'lists') continue;
        nextId++;
        const row = fresh();
        rows.set(row.id!, row);
        changes.push({ kind: 'insert', table, key: row.id!, record: row });
      } else if (roll < 0.75) {
        const key = r.pick(keys);
        const row = {
          ...rows.get(key)!,
          ...Object.fromEntries(Object.entries(fresh()).filter(() => r.next() < 0.5)),
        };
        row.id = key;
        rows.set(key, row);
        changes.push({ kind: 'update', table, key, record: row });
      } else if (roll < 0.82 && t !== 'lists' && !OFF.has('keys')) {
        // The primary key changes.
        const key = r.pick(keys);
        nextId++;
        const row = { ...rows.get(key)!, id: `${t[0]}${nextId}` };
        rows.delete(key);
        rows.set(row.id!, row);
        changes.push({ kind: 'update', table, key: row.id!, oldKey: key, record: row });
      } else if (roll < 0.985 || OFF.has('truncate')) {
        const key = r.pick(keys);
        rows.delete(key);
        changes.push({ kind: 'delete', table, key });
      } else {
        rows.clear();
        changes.push({ kind: 'truncate', table });
      }
    }
    // Applied in random groups; some commits fail and are replayed from the start, as replication does.
    const applyAll = async () => {
      for (let i = 0; i < changes.length; ) {
        const size = 1 + r.int(6);
        await writer.apply(changes.slice(i, i + size));
        i += size;
      }
    };
    await applyAll();
    if (r.next() < 0.1 && !OFF.has('rollback')) {
      await writer.rollback();
      await applyAll();
    }
    lsn += 0x100;
    await writer.commit(`0/${lsn.toString(16).toUpperCase()}`);
    for (const [t, rows] of work) model.set(t, rows);
    const event = events.pop()!;
    expect(await eventOpsMismatches(pool, schema, event, eventOps), `${at} step ${step}: event ops`).toEqual(
      [],
    );
    if (r.next() < 0.15) await writer.compactDue();
    events.length = 0;

    if (step % 10 === 9 || step === steps - 1) {
      const want = expected(rules, model);
      const have = await stored(pool, schema);
      const wantEntries = new Set([...want.entries]);
      expect(
        [...have.entries].filter((e) => !wantEntries.has(e)),
        `${at} step ${step}: stale bucket entries`,
      ).toEqual([]);
      expect(
        [...wantEntries].filter((e) => !have.entries.has(e)),
        `${at} step ${step}: missing bucket entries`,
      ).toEqual([]);
      expect(
        [...have.lookups].filter((l) => !want.lookups.has(l)),
        `${at} step ${step}: stale parameter rows`,
      ).toEqual([]);
      expect(
        [...want.lookups].filter((l) => !have.lookups.has(l)),
        `${at} step ${step}: missing parameter rows`,
      ).toEqual([]);
      const wantRowLookups = new Set([...want.lookups].map((l) => l.split(SEP).slice(0, 3).join(SEP)));
      expect([...have.rowLookups].sort(), `${at} step ${step}: row lookups`).toEqual(
        [...wantRowLookups].sort(),
      );
      const flat = (m: Map<string, Map<string, unknown>>) =>
        new Set([...m].flatMap(([b, rows]) => [...rows].map(([k, v]) => `${b} ${k} ${JSON.stringify(v)}`)));
      const wantRows = flat(want.buckets);
      const haveRows = flat(have.buckets);
      expect(
        [...haveRows].filter((x) => !wantRows.has(x)),
        `${at} step ${step}: rows a bucket holds but should not (op logs folded)`,
      ).toEqual([]);
      expect(
        [...wantRows].filter((x) => !haveRows.has(x)),
        `${at} step ${step}: rows a bucket lacks (op logs folded)`,
      ).toEqual([]);
      expect(have.badStates, `${at} step ${step}: bucket checksums / live counts`).toEqual([]);
    }
  }
}

describe('storage derived state under random changes (SPEC.md S1)', () => {
  const seeds = process.env.SYNCLINE_DERIVED_SEEDS
    ? process.env.SYNCLINE_DERIVED_SEEDS.split(',').map(Number)
    : [1, 2, 3, 4, 5, 6, 7, 8];
  for (const seed of seeds)
    it(`seed ${seed}`, async () => {
      await attack(seed, Number(process.env.SYNCLINE_DERIVED_STEPS ?? 120));
    }, 120_000);
});
