/**
 * Rows decided as new must not overwrite a row that appeared meanwhile (SPEC.md U1), over real HTTP and
 * Postgres. The locking path reads (and locks) the rows a transaction writes before deciding; a row that does
 * not exist yet cannot be locked, so a concurrent request of the same user can create it after the facts were
 * read. Whatever happens, the outcome must be that of the two requests one after the other: the later one
 * sees the earlier one's row and the policy decides (a stale `version` → 409 with the server's row), never
 * a silent overwrite, nothing half-written.
 *
 * Two tests: devices of one user racing at random (seeded: `UPLOAD_RACE_SEED`, `UPLOAD_RACE_ROUNDS`), and the
 * interleaving forced — a row lock held by the test stops one request between its facts and its writes while
 * the other creates the row — on the batched and the per-op path, for PUT and PATCH, same user and another user.
 */
import { waitFor } from '@syncline/test-utils';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UPLOAD_LOG_TABLE } from '../src/index.js';
import { rows, type TestUser, type UploadReply, upload, useUploadApi } from './helpers.js';

const t = useUploadApi('server_upload_create_race');
const { db } = t;

beforeAll(async () => {
  // One project per device, renamed by its requests (a shared resource: the facts query locks it); bob edits
  // p-shared.
  const project = (id: string, name = 'start') => ({ op: 'PUT', table: 'projects', id, data: { name } });
  const member = { project_id: 'p-shared', user_id: t.bob.userId, role: 'editor' };
  const ops: unknown[] = [project('p-dev-a'), project('p-dev-b'), project('p-dev-c'), project('p-shared')];
  ops.push({ op: 'PUT', table: 'project_members', id: `p-shared.${t.bob.userId}`, data: member });
  expect((await upload(t.api.url, t.alice.session, { transactions: [{ op_id: 0, ops }] })).status).toBe(200);
  const own = { transactions: [{ op_id: 0, ops: [project('p-bob')] }] };
  expect((await upload(t.api.url, t.bob.session, own)).status).toBe(200);
});

/** `documents` is shared via projects, version-checked (`version`, default 1) and server-stamped. */
const putDoc = (id: string, content: string, version = 1, project?: string) => ({
  op: 'PUT',
  table: 'documents',
  id,
  data: { content, device_id: 'dev', version, ...(project ? { project_id: project } : {}) },
});
const patchDoc = (id: string, data: Record<string, unknown>) => ({
  op: 'PATCH',
  table: 'documents',
  id,
  data,
});
const renameProject = (device: string, name: string) => ({
  op: 'PATCH',
  table: 'projects',
  id: `p-${device}`,
  data: { name },
});
/** A transaction the batched path cannot plan: the request then goes op by op (the per-op path). */
const unplannable = (opId: number) => ({
  op_id: opId,
  ops: [{ op: 'PUT', table: 'nope', id: 'x', data: {} }],
});

const doc = async (id: string) => (await rows(t.api.pool, 'documents', 'id = $1', [id]))[0];
const projectName = async (device: string) =>
  (await rows(t.api.pool, 'projects', 'id = $1', [`p-${device}`]))[0]?.name;
const logged = async (clientId: string, opId: number) =>
  (
    await t.api.pool.query(`SELECT 1 FROM ${UPLOAD_LOG_TABLE} WHERE client_id = $1 AND op_id = $2`, [
      clientId,
      String(opId),
    ])
  ).rowCount === 1;
const code = (r: UploadReply) => r.body?.error?.code ?? r.status;
/** Client transactions a request applied: all on a 200, those before the rejected one otherwise. */
const appliedOf = (r: UploadReply) =>
  r.status === 200
    ? (r.body.applied ?? [])
    : ((r.body.error?.details?.applied as number[] | undefined) ?? []);

/** Small deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What one device sends in a round: it created `id` offline (and maybe edited it), and renamed its project. */
interface Plan {
  device: string;
  /** The document's content and version after this device's ops, if they all apply. */
  content: string;
  version: number;
  body: { client_id: string; transactions: { op_id: number; ops: unknown[] }[] };
  /** Which transaction carries the document ops, and that op's index in it. */
  opId: number;
  perOp: boolean;
}

function plan(random: () => number, device: string, id: string, round: number): Plan {
  const content = `${device} r${round}`;
  const create = putDoc(id, content);
  const rename = renameProject(device, `${device} r${round}`);
  // Never eligible for the one-statement path: a PATCH rides along.
  const ops: unknown[] = random() < 0.5 ? [create, rename] : [rename, create];
  let version = 1;
  let final = content;
  if (random() < 0.3) {
    final = `${content} edited`;
    version = 2;
    ops.push(patchDoc(id, { content: final, version: 2 }));
  }
  const opId = round * 10 + 1;
  const transactions = [{ op_id: opId, ops }];
  const perOp = random() < 0.25;
  if (perOp) transactions.push(unplannable(opId + 1));
  return { device, content: final, version, body: { client_id: device, transactions }, opId, perOp };
}

describe('two devices of one user create the same row at once', () => {
  const seed = Number(process.env.UPLOAD_RACE_SEED ?? 20261204);
  const rounds = Number(process.env.UPLOAD_RACE_ROUNDS ?? 40);

  it(`the outcome is one of the two serial orders (seed ${seed}, ${rounds} rounds)`, async () => {
    const random = prng(seed);
    for (let round = 1; round <= rounds; round++) {
      const id = `race-${seed}-${round}`;
      const plans = [plan(random, 'dev-a', id, round), plan(random, 'dev-b', id, round)];
      const delays = plans.map(() => Math.floor(random() * 3));
      const replies = await Promise.all(
        plans.map(async (p, i) => {
          await new Promise((r) => setTimeout(r, delays[i]));
          return upload(t.api.url, t.alice.session, p.body);
        }),
      );
      const where = `seed ${seed} round ${round}: ${JSON.stringify(replies.map(code))}`;
      // The document transaction of exactly one device applied; the other got the policy's answer.
      const won = plans.map((p, i) => appliedOf(replies[i]!).includes(p.opId));
      expect(won.filter(Boolean), where).toHaveLength(1);
      const w = won[0] ? 0 : 1;
      const [winner, loser] = [plans[w]!, plans[1 - w]!];
      const lost = replies[1 - w]!.body.error;
      expect(lost?.code, where).toBe('UPLOAD_VERSION_CONFLICT');
      expect(lost?.details, where).toMatchObject({
        transaction: loser.opId,
        id,
        serverVersion: winner.version,
      });
      expect((lost?.details?.serverRow as Record<string, unknown>)?.content, where).toBe(winner.content);
      // The row is the winner's; nothing of the loser's transaction was written.
      expect(await doc(id), where).toMatchObject({
        content: winner.content,
        version: winner.version,
        owner_id: t.alice.userId,
      });
      expect(await projectName(winner.device), where).toBe(`${winner.device} r${round}`);
      expect(await projectName(loser.device), where).not.toBe(`${loser.device} r${round}`);
      expect(await logged(winner.device, winner.opId), where).toBe(true);
      expect(await logged(loser.device, loser.opId), where).toBe(false);
    }
  });
});

describe('the interleaving forced: the row appears between the facts and the writes', () => {
  let holder: pg.Client;
  beforeAll(async () => {
    holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
  });
  afterAll(async () => {
    await holder?.end();
  });

  /**
   * Sends `late`'s request (alice's device `dev-c` unless said otherwise) while the test holds the lock of the
   * device's project, which `late` renames. Projects are a shared resource, so `late` locks that row too — in
   * its facts query of `projects`, after the one of `documents` (tables in name order): it has read "no such
   * document" and waits. `early` creates the document meanwhile; then the lock is released.
   */
  async function interleave(
    early: { who: TestUser; ops: unknown[] },
    late: { ops: unknown[]; perOp: boolean; who?: TestUser; device?: string },
    opId: number,
  ): Promise<{ early: UploadReply; late: UploadReply }> {
    const device = late.device ?? 'dev-c';
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM projects WHERE id = $1 FOR UPDATE', [`p-${device}`]);
    const transactions = [{ op_id: opId, ops: [renameProject(device, `late ${opId}`), ...late.ops] }];
    if (late.perOp) transactions.push(unplannable(opId + 1));
    const who = late.who ?? t.alice;
    const pending = upload(t.api.url, who.session, { client_id: device, transactions });
    try {
      await waitFor(
        async () =>
          (
            await t.api.pool.query(
              `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
                 AND query LIKE '%"projects"%'`,
            )
          ).rowCount === 1,
        { message: 'the late request waits on the project row' },
      );
      const first = await upload(t.api.url, early.who.session, {
        client_id: `early-${opId}`,
        transactions: [{ op_id: opId, ops: early.ops }],
      });
      expect(first.status).toBe(200);
      await holder.query('COMMIT');
      return { early: first, late: await pending };
    } catch (e) {
      await holder.query('ROLLBACK').catch(() => undefined);
      await pending.catch(() => undefined);
      throw e;
    }
  }

  for (const perOp of [false, true]) {
    const path = perOp ? 'per-op path' : 'batched path';
    const base = perOp ? 1000 : 2000;

    it(`${path}: a PUT of a row another device of the user just created gets the version conflict`, async () => {
      const id = `forced-put-${base}`;
      const { late } = await interleave(
        { who: t.alice, ops: [putDoc(id, 'early')] },
        { ops: [putDoc(id, 'late')], perOp },
        base,
      );
      expect(code(late), JSON.stringify(late.body)).toBe('UPLOAD_VERSION_CONFLICT');
      expect(late.body.error?.details).toMatchObject({ transaction: base, op: 1, id, serverVersion: 1 });
      expect(await doc(id)).toMatchObject({ content: 'early', version: 1, owner_id: t.alice.userId });
      expect(await projectName('dev-c')).not.toBe(`late ${base}`);
      expect(await logged('dev-c', base)).toBe(false);
    });

    it(`${path}: a PATCH decided on "no such row" does not change the row created meanwhile`, async () => {
      const id = `forced-patch-${base}`;
      const { late } = await interleave(
        { who: t.alice, ops: [putDoc(id, 'early')] },
        { ops: [patchDoc(id, { content: 'late' })], perOp },
        base + 1,
      );
      // Serial orders: the PATCH first (nothing to patch: applied, the row untouched) or after the create
      // (it carries no version: refused). Never the row changed without its version check.
      expect(await doc(id)).toMatchObject({ content: 'early', version: 1 });
      if (appliedOf(late).includes(base + 1)) {
        expect(await projectName('dev-c')).toBe(`late ${base + 1}`);
      } else {
        expect(code(late), JSON.stringify(late.body)).toBe('UPLOAD_VERSION_MISSING');
        expect(await projectName('dev-c')).not.toBe(`late ${base + 1}`);
      }
    });

    it(`${path}: another user's row created meanwhile is never overwritten`, async () => {
      const id = `forced-cross-${base}`;
      const { late } = await interleave(
        { who: t.bob, ops: [putDoc(id, 'bob')] },
        { ops: [putDoc(id, 'alice')], perOp },
        base + 2,
      );
      expect(code(late), JSON.stringify(late.body)).toBe('UPLOAD_NOT_OWNER');
      expect(await doc(id)).toMatchObject({ content: 'bob', owner_id: t.bob.userId });
      expect(await projectName('dev-c')).not.toBe(`late ${base + 2}`);
    });

    it(`${path}: a DELETE decided on "no such row" is decided again (an editor deletes the owner's new row)`, async () => {
      const id = `forced-delete-${base}`;
      const { late } = await interleave(
        { who: t.alice, ops: [putDoc(id, 'early', 1, 'p-shared')] },
        { who: t.bob, device: 'bob', ops: [{ op: 'DELETE', table: 'documents', id }], perOp },
        base + 3,
      );
      // Serial orders: the DELETE first (nothing to delete) or after the create (bob edits p-shared: the
      // row is soft-deleted, as alice's). Either way it applies; the row stays alice's, its content hers.
      expect(appliedOf(late), JSON.stringify(late.body)).toContain(base + 3);
      expect(await doc(id)).toMatchObject({ content: 'early', owner_id: t.alice.userId });
      expect(await projectName('bob')).toBe(`late ${base + 3}`);
    });
  }
});
