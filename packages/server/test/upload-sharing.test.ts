/**
 * Sharing and conflict policies at the upload endpoint (issue 18), over real HTTP and Postgres, three users.
 * Invariants:
 * - a row is written only by its owner, or by an editor of the resource it is shared through (as that owner:
 *   no row ever changes owner); a viewer's write and a stranger's write are 403s that change nothing;
 * - only a resource's owner deletes it or manages its members; a revoked member writes nothing;
 * - a row can only be linked to a resource the writer may write, and only reference rows the writer may read;
 * - with the `version` policy a stale edit is a 409 carrying the server's row, an edit without a version a 400,
 *   last-write-wins columns and deletes need none; server-owned columns are the server's;
 * - the checks cost one query per table per client transaction, however many ops it has.
 */
import { applySchema } from '@syncline/postgres/migrate';
import { useTestDatabase } from '@syncline/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, signUp, startTestApi, type TestApi, type TestUser, testSchema } from './helpers.js';
import {
  del,
  doc,
  type ErrorBody,
  member,
  patch,
  project,
  uploadAs,
  versionRow,
} from './upload-sharing.helpers.js';

const db = useTestDatabase('server_upload_sharing');
let api: TestApi;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;

beforeAll(async () => {
  await applySchema(db.url, testSchema);
  api = await startTestApi(db.url);
  [alice, bob, carol] = [
    await signUp(api.url, 'alice'),
    await signUp(api.url, 'bob'),
    await signUp(api.url, 'carol'),
  ];
});
afterAll(async () => {
  await api?.stop();
});

const { one, send, expectRefused } = uploadAs(() => api);

describe('sharing a project', () => {
  it('a viewer reads but cannot write; an editor writes as the owner; revoked, nothing', async () => {
    expect((await send(alice, project('p1'), doc('d1', { project_id: 'p1' }))).status).toBe(200);
    expect((await send(alice, member('p1', bob, 'viewer'))).status).toBe(200);
    const d1 = await one('documents', 'd1');

    // viewer: every write refused with a code, nothing changes
    let e = await expectRefused(
      bob,
      'UPLOAD_READ_ONLY_SHARE',
      patch('documents', 'd1', { content: 'bob', version: 2 }),
    );
    expect(e.details).toMatchObject({ table: 'documents', id: 'd1', op: 0, opType: 'PATCH' });
    expect(e.message).toMatch(/viewer/);
    await expectRefused(bob, 'UPLOAD_READ_ONLY_SHARE', del('documents', 'd1'));
    await expectRefused(bob, 'UPLOAD_READ_ONLY_SHARE', doc('d-bob', { project_id: 'p1' }));
    await expectRefused(bob, 'UPLOAD_READ_ONLY_SHARE', patch('projects', 'p1', { name: 'mine now' }));
    await expectRefused(bob, 'UPLOAD_READ_ONLY_SHARE', doc('d1', { content: 'replaced', version: 2 }));
    expect(await one('documents', 'd1')).toEqual(d1);
    expect(await one('documents', 'd-bob')).toBeUndefined();
    // ...but may point at what they can read (a version snapshot of a shared document); a stranger may not
    expect((await send(bob, versionRow('v-bob', 'd1'))).status).toBe(200);
    await expectRefused(carol, 'UPLOAD_FOREIGN_REFERENCE', versionRow('v-carol', 'd1'));

    // editor: writes land, the owner stays
    expect((await send(alice, patch('project_members', `p1.${bob.userId}`, { role: 'editor' }))).status).toBe(
      200,
    );
    expect((await send(bob, patch('documents', 'd1', { content: 'by bob', version: 2 }))).status).toBe(200);
    expect(await one('documents', 'd1')).toMatchObject({
      content: 'by bob',
      owner_id: alice.userId,
      version: 2,
    });
    expect((await send(bob, doc('d-bob', { project_id: 'p1' }))).status).toBe(200);
    expect((await one('documents', 'd-bob'))?.owner_id).toBe(bob.userId);
    expect((await send(bob, patch('projects', 'p1', { name: 'renamed by bob' }))).status).toBe(200);
    expect(await one('projects', 'p1')).toMatchObject({ name: 'renamed by bob', owner_id: alice.userId });
    expect((await send(bob, doc('d1', { content: 'put by bob', version: 3 }))).status).toBe(200);
    expect(await one('documents', 'd1')).toMatchObject({ content: 'put by bob', owner_id: alice.userId });

    // only the owner deletes the project or manages its members
    e = await expectRefused(bob, 'UPLOAD_OWNER_ONLY', del('projects', 'p1'));
    expect(e.message).toMatch(/editor/);
    await expectRefused(bob, 'UPLOAD_OWNER_ONLY', member('p1', carol, 'editor'));
    await expectRefused(
      bob,
      'UPLOAD_OWNER_ONLY',
      patch('project_members', `p1.${bob.userId}`, { role: 'editor' }),
    );
    await expectRefused(carol, 'UPLOAD_NOT_OWNER', del('project_members', `p1.${bob.userId}`));
    expect((await one('projects', 'p1'))?.deleted_at).toBeNull();

    // revoked: nothing, not even rows written while an editor (bob's own row stays his, outside the project's access)
    expect((await send(alice, del('project_members', `p1.${bob.userId}`))).status).toBe(200);
    await expectRefused(bob, 'UPLOAD_NOT_OWNER', patch('documents', 'd1', { content: 'late', version: 4 }));
    await expectRefused(
      bob,
      'UPLOAD_NOT_OWNER',
      patch('documents', 'd-bob', { content: 'late', version: 2 }),
    );
    await expectRefused(bob, 'UPLOAD_FOREIGN_REFERENCE', doc('d-bob-2', { project_id: 'p1' }));
    expect((await one('documents', 'd1'))?.content).toBe('put by bob');
    // the owner still writes everything in the project, including what bob wrote there
    expect((await send(alice, patch('documents', 'd-bob', { content: 'kept', version: 2 }))).status).toBe(
      200,
    );
    expect(await one('documents', 'd-bob')).toMatchObject({ content: 'kept', owner_id: bob.userId });
  });

  it('moving a document needs write access to both projects', async () => {
    await send(alice, project('pa'), doc('da', { project_id: 'pa' }), member('pa', bob, 'editor'));
    await send(carol, project('pc'), member('pc', bob, 'viewer'));
    await send(bob, project('pb'));
    await expectRefused(bob, 'UPLOAD_READ_ONLY_SHARE', patch('documents', 'da', { project_id: 'pc' }));
    await send(carol, project('p-nobody-shared'));
    await expectRefused(bob, 'UPLOAD_FOREIGN_REFERENCE', doc('db-x', { project_id: 'p-nobody-shared' }));
    // editor of pa and owner of pb: the move is fine, and needs no version (project_id is last-write-wins)
    expect((await send(bob, patch('documents', 'da', { project_id: 'pb' }))).status).toBe(200);
    expect(await one('documents', 'da')).toMatchObject({
      project_id: 'pb',
      owner_id: alice.userId,
      version: 1,
    });
    // a project that does not exist (yet) is no one's: rows arrive in any order offline
    expect((await send(bob, doc('db-y', { project_id: 'p-later' }))).status).toBe(200);
  });

  it('membership rows: owner only, valid roles, an existing project (or one created in the same transaction)', async () => {
    await send(alice, project('pm'));
    await expectRefused(alice, 'UPLOAD_INVALID_VALUE', member('pm', bob, 'admin'));
    await expectRefused(alice, 'UPLOAD_MISSING_REFERENCE', member('p-missing', bob, 'viewer'));
    await expectRefused(bob, 'UPLOAD_NOT_OWNER', member('pm', bob, 'editor'));
    expect((await send(alice, project('p-new'), member('p-new', bob, 'viewer'))).status).toBe(200);
    expect(await one('project_members', `p-new.${bob.userId}`)).toMatchObject({
      owner_id: alice.userId,
      role: 'viewer',
    });
    // a spoofed owner is ignored, as everywhere
    const spoof = member('pm', carol, 'viewer');
    (spoof.data as Record<string, unknown>).owner_id = bob.userId;
    expect((await send(alice, spoof)).status).toBe(200);
    expect((await one('project_members', `pm.${carol.userId}`))?.owner_id).toBe(alice.userId);
  });

  it('costs one query per table per client transaction, however many ops', async () => {
    await send(alice, project('pq'), member('pq', bob, 'editor'));
    const docs = Array.from({ length: 40 }, (_, i) => `dq-${i}`);
    expect((await send(alice, ...docs.map((id) => doc(id, { project_id: 'pq' })))).status).toBe(200);
    const seen: string[] = [];
    const listen = (client: { query: (...a: unknown[]) => unknown }) => {
      const original = client.query.bind(client);
      client.query = (...a: unknown[]) => {
        const text = typeof a[0] === 'string' ? a[0] : (a[0] as { text?: unknown } | undefined)?.text;
        if (typeof text === 'string' && text.includes('__syncline_')) seen.push(text);
        return original(...a);
      };
    };
    api.pool.on('connect', listen as never);
    // the pool's existing clients too
    for (const c of (api.pool as unknown as { _clients: { query: (...a: unknown[]) => unknown }[] })._clients)
      listen(c);
    const ops = docs.flatMap((id) => [
      patch('documents', id, { content: `edit ${id}`, version: 2 }),
      versionRow(`vq-${id}`, id),
    ]);
    expect((await send(bob, ...ops)).status).toBe(200);
    // documents (written and referenced) → 1 query; document_versions have no row facts to read
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/FROM "documents"/);
    expect((await rows(api.pool, 'documents', "id LIKE 'dq-%' AND content LIKE 'edit%'")).length).toBe(40);
  });
});

describe('conflict policies', () => {
  it('version: a stale edit is rejected with the server row; lww columns and deletes need no version', async () => {
    await send(alice, doc('dv', { title: 't', content: 'v1' }));
    expect((await send(alice, patch('documents', 'dv', { content: 'laptop', version: 2 }))).status).toBe(200);
    // the phone edited version 1 too: stale
    const e = await expectRefused(
      alice,
      'UPLOAD_VERSION_CONFLICT',
      patch('documents', 'dv', { content: 'phone', version: 2 }),
    );
    expect(e.details).toMatchObject({ serverVersion: 2, sentVersion: 2, table: 'documents', id: 'dv' });
    expect(e.details.serverRow).toMatchObject({
      id: 'dv',
      content: 'laptop',
      version: 2,
      owner_id: alice.userId,
    });
    expect(e.details.serverRow?.updated_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/); // as the client holds it
    expect((await one('documents', 'dv'))?.content).toBe('laptop');
    await expectRefused(
      alice,
      'UPLOAD_VERSION_CONFLICT',
      patch('documents', 'dv', { content: 'ahead', version: 9 }),
    );
    // an edit without a version is a programming error, not a conflict
    const missing = await expectRefused(
      alice,
      'UPLOAD_VERSION_MISSING',
      patch('documents', 'dv', { title: 'x' }),
    );
    expect(missing.message).toMatch(/version/);
    // two edits in one transaction build on each other
    const two = [
      patch('documents', 'dv', { content: 'a', version: 3 }),
      patch('documents', 'dv', { content: 'b', version: 4 }),
    ];
    expect((await send(alice, ...two)).status).toBe(200);
    // moving and trashing are last-write-wins; the delete wins over the stale edit that follows it
    expect((await send(alice, patch('documents', 'dv', { project_id: null }))).status).toBe(200);
    expect((await send(alice, del('documents', 'dv'))).status).toBe(200);
    await expectRefused(
      alice,
      'UPLOAD_VERSION_CONFLICT',
      patch('documents', 'dv', { content: 'stale', version: 4 }),
    );
    const after = await one('documents', 'dv');
    expect(after).toMatchObject({ content: 'b', version: 4 });
    expect(after?.deleted_at).toBeInstanceOf(Date);
  });

  it('version under concurrency: of 24 devices editing the same version at once, exactly one wins', async () => {
    await send(alice, doc('dr', { content: 'v1' }), project('pr'), member('pr', bob, 'editor'));
    await send(alice, patch('documents', 'dr', { project_id: 'pr' }));
    for (let round = 2; round <= 4; round++) {
      const results = await Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          send(i % 2 ? alice : bob, patch('documents', 'dr', { content: `r${round} d${i}`, version: round })),
        ),
      );
      const won = results.filter((r) => r.status === 200);
      expect(won, JSON.stringify(results.map((r) => r.body?.error?.code ?? r.status))).toHaveLength(1);
      expect(results.filter((r) => r.body?.error?.code === 'UPLOAD_VERSION_CONFLICT')).toHaveLength(23);
      expect((await one('documents', 'dr'))?.version).toBe(round);
    }
  });

  it("server-owned: the client's updated_at is ignored, the server stamps its transaction time", async () => {
    const before = new Date();
    const old = '2001-01-01T00:00:00.000Z';
    expect((await send(alice, doc('ds', { updated_at: old }))).status).toBe(200);
    const stamped = (await one('documents', 'ds'))?.updated_at as Date;
    expect(stamped.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    expect((await send(alice, patch('documents', 'ds', { updated_at: old }))).status).toBe(200);
    expect((await one('documents', 'ds'))?.updated_at).toEqual(stamped); // nothing else changed: no stamp
    expect(
      (await send(alice, patch('documents', 'ds', { content: 'x', version: 2, updated_at: old }))).status,
    ).toBe(200);
    expect(((await one('documents', 'ds'))!.updated_at as Date).getTime()).toBeGreaterThan(stamped.getTime());
  });

  it('lww (the default): each PATCH changes only its columns; on the same column the later upload wins', async () => {
    await send(alice, project('pl', 'start'));
    expect((await send(alice, patch('projects', 'pl', { name: 'from laptop' }))).status).toBe(200);
    expect((await send(alice, patch('projects', 'pl', { is_default: 1 }))).status).toBe(200);
    expect(await one('projects', 'pl')).toMatchObject({ name: 'from laptop', is_default: true });
    expect((await send(alice, patch('projects', 'pl', { name: 'from phone' }))).status).toBe(200);
    expect(await one('projects', 'pl')).toMatchObject({ name: 'from phone', is_default: true });
  });
});

describe('GET /api/sharing/users', () => {
  const lookup = (who: TestUser | undefined, email: string) =>
    fetch(`${api.url}/api/sharing/users?email=${encodeURIComponent(email)}`, {
      headers: who ? { authorization: `Bearer ${who.session}` } : {},
    });

  it('turns an email into the user id (any case), 404 for none, 400 for no address, 401 signed out, 429 beyond the limit', async () => {
    const found = await lookup(alice, ` ${bob.email.toUpperCase()} `);
    expect(found.status).toBe(200);
    expect(await found.json()).toEqual({ id: bob.userId, email: bob.email, name: 'bob' });
    const none = await lookup(alice, 'nobody@example.test');
    expect(none.status).toBe(404);
    expect(((await none.json()) as ErrorBody).error.code).toBe('SHARING_USER_NOT_FOUND');
    expect(((await (await lookup(alice, 'not an address')).json()) as ErrorBody).error.code).toBe(
      'SHARING_INVALID_REQUEST',
    );
    expect((await lookup(undefined, bob.email)).status).toBe(401);
    // the test API allows 5 per minute and caller; alice used 3 (and carol has her own budget)
    expect((await lookup(alice, carol.email)).status).toBe(200);
    expect((await lookup(alice, carol.email)).status).toBe(200);
    const limited = await lookup(alice, carol.email);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as ErrorBody).error.code).toBe('SHARING_RATE_LIMITED');
    expect((await lookup(carol, alice.email)).status).toBe(200);
  });
});
