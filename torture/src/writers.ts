/**
 * Direct SQL writers: concurrent transactions of random size and shape on the source database —
 * inserts, updates (with and without the TOASTed column), deletes, soft deletes, owner changes, moves
 * between (shared) projects, share grants (viewer or editor), role changes and revokes, and now and then one
 * large transaction.
 */
import pg from 'pg';
import { type Rng, sleep } from './random.js';
import type { World } from './world.js';

/** What the writers did (committed transactions only). */
export interface WriterStats {
  committed: number;
  failed: number;
  ops: number;
  large: number;
}

const NOW = `date_trunc('milliseconds', clock_timestamp())`;

/** Random text that does not compress (so large values are stored out of line: TOAST). */
function noise(rng: Rng, n: number): string {
  const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let s = '';
  for (let i = 0; i < n; i++) s += chars[Math.floor(rng.next() * chars.length)];
  return s;
}

type Op = (c: pg.Client, rng: Rng, w: World, realm: number) => Promise<number>;

const ops: Record<string, Op> = {
  async insertDocument(c, rng, w, realm) {
    const owner = rng.pick(w.usersOf(realm)).id;
    const projects = w.projects.get(realm)!;
    const project = projects.length && rng.chance(0.8) ? rng.pick(projects) : null;
    const id = rng.uuid();
    const content = rng.chance(0.05) ? noise(rng, rng.int(3000, 9000)) : rng.text(20, 300);
    await c.query(
      `INSERT INTO documents (id, title, content, owner_id, project_id, device_id, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'sql', ${NOW}, ${NOW})`,
      [id, rng.text(5, 40), content, owner, project],
    );
    w.remember('documents', realm, id);
    return 1;
  },
  async updateTitle(c, rng, w, realm) {
    const docs = w.documents.get(realm)!;
    if (!docs.length) return 0;
    // content (possibly TOASTed) unchanged: pgoutput sends it as 'unchanged toast' with REPLICA IDENTITY DEFAULT
    await c.query(`UPDATE documents SET title = $2, updated_at = ${NOW} WHERE id = $1`, [
      rng.pick(docs),
      rng.text(5, 40),
    ]);
    return 1;
  },
  async updateContent(c, rng, w, realm) {
    const docs = w.documents.get(realm)!;
    if (!docs.length) return 0;
    const content = rng.chance(0.1) ? noise(rng, rng.int(3000, 9000)) : rng.text(20, 300);
    await c.query(`UPDATE documents SET content = $2, updated_at = ${NOW} WHERE id = $1`, [
      rng.pick(docs),
      content,
    ]);
    return 1;
  },
  async deleteDocument(c, rng, w, realm) {
    const docs = w.documents.get(realm)!;
    if (!docs.length) return 0;
    const id = rng.pick(docs);
    await c.query('DELETE FROM documents WHERE id = $1', [id]);
    w.forget('documents', realm, id);
    return 1;
  },
  async softDelete(c, rng, w, realm) {
    const docs = w.documents.get(realm)!;
    if (!docs.length) return 0;
    await c.query(`UPDATE documents SET deleted_at = ${NOW} WHERE id = $1`, [rng.pick(docs)]);
    return 1;
  },
  async moveDocument(c, rng, w, realm) {
    const docs = w.documents.get(realm)!;
    const projects = w.projects.get(realm)!;
    if (!docs.length || !projects.length) return 0;
    await c.query('UPDATE documents SET project_id = $2 WHERE id = $1', [rng.pick(docs), rng.pick(projects)]);
    return 1;
  },
  async changeOwner(c, rng, w, realm) {
    const docs = w.documents.get(realm)!;
    if (!docs.length) return 0;
    await c.query('UPDATE documents SET owner_id = $2 WHERE id = $1', [
      rng.pick(docs),
      rng.pick(w.usersOf(realm)).id,
    ]);
    return 1;
  },
  async insertProject(c, rng, w, realm) {
    const id = rng.uuid();
    await c.query(
      `INSERT INTO projects (id, name, owner_id, is_default, created_at, updated_at) VALUES ($1, $2, $3, $4, ${NOW}, ${NOW})`,
      [id, rng.text(4, 20), rng.pick(w.usersOf(realm)).id, rng.chance(0.1)],
    );
    w.remember('projects', realm, id);
    return 1;
  },
  async changeProjectOwner(c, rng, w, realm) {
    const projects = w.projects.get(realm)!;
    if (!projects.length) return 0;
    await c.query(`UPDATE projects SET owner_id = $2, updated_at = ${NOW} WHERE id = $1`, [
      rng.pick(projects),
      rng.pick(w.usersOf(realm)).id,
    ]);
    return 1;
  },
  async deleteProject(c, rng, w, realm) {
    const projects = w.projects.get(realm)!;
    if (projects.length < 4) return 0;
    const id = rng.pick(projects);
    await c.query('DELETE FROM projects WHERE id = $1', [id]);
    w.forget('projects', realm, id);
    return 1;
  },
  async grant(c, rng, w, realm) {
    const projects = w.projects.get(realm)!;
    if (!projects.length) return 0;
    // As the project's owner would (their row), with a role; an existing pair keeps its row.
    const project = rng.pick(projects);
    const user = rng.pick(w.usersOf(realm)).id;
    const id = `${project}.${user}`;
    const { rowCount } = await c.query(
      `INSERT INTO project_members (id, project_id, user_id, email, role, owner_id, created_at)
       SELECT $1, p.id, $3, NULL, $4, p.owner_id, ${NOW} FROM projects p WHERE p.id = $2
       ON CONFLICT DO NOTHING`,
      [id, project, user, rng.pick(['viewer', 'editor'])],
    );
    if (rowCount) w.remember('shares', realm, id);
    return rowCount ?? 0;
  },
  async changeRole(c, rng, w, realm) {
    const shares = w.shares.get(realm)!;
    if (!shares.length) return 0;
    await c.query(
      `UPDATE project_members SET role = CASE WHEN role = 'editor' THEN 'viewer' ELSE 'editor' END WHERE id = $1`,
      [rng.pick(shares)],
    );
    return 1;
  },
  async revoke(c, rng, w, realm) {
    const shares = w.shares.get(realm)!;
    if (!shares.length) return 0;
    const id = rng.pick(shares);
    await c.query('DELETE FROM project_members WHERE id = $1', [id]);
    w.forget('shares', realm, id);
    return 1;
  },
  async insertVersion(c, rng, w, realm) {
    const docs = w.documents.get(realm)!;
    await c.query(
      `INSERT INTO document_versions (id, document_id, owner_id, title, content, version, device_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'sql', ${NOW})`,
      [
        rng.uuid(),
        docs.length ? rng.pick(docs) : rng.uuid(),
        rng.pick(w.usersOf(realm)).id,
        rng.text(5, 30),
        rng.text(10, 200),
        rng.int(1, 50),
      ],
    );
    return 1;
  },
};

const WEIGHTS = {
  insertDocument: 20,
  updateTitle: 12,
  updateContent: 8,
  deleteDocument: 6,
  softDelete: 3,
  moveDocument: 6,
  changeOwner: 6,
  insertProject: 3,
  changeProjectOwner: 2,
  deleteProject: 1,
  grant: 5,
  revoke: 4,
  changeRole: 2,
  insertVersion: 8,
} as const;

/** One large transaction: thousands of rows inserted or updated at once. */
async function large(c: pg.Client, rng: Rng, w: World, realm: number): Promise<number> {
  const owner = rng.pick(w.usersOf(realm)).id;
  if (rng.chance(0.5)) {
    const n = rng.int(500, 3000);
    const prefix = rng.uuid().slice(0, 18);
    const projects = w.projects.get(realm)!;
    const project = projects.length ? rng.pick(projects) : null;
    await c.query(
      `INSERT INTO documents (id, title, content, owner_id, project_id, device_id, created_at, updated_at)
       SELECT $1 || lpad(g::text, 12, '0'), 'bulk ' || g, repeat('b', 50 + g % 200), $2, $3, 'sql', ${NOW}, ${NOW}
         FROM generate_series(1, $4) g`,
      [prefix, owner, project, n],
    );
    for (let i = 1; i <= n; i += Math.max(1, Math.floor(n / 50)))
      w.remember('documents', realm, `${prefix}${String(i).padStart(12, '0')}`);
    return n;
  }
  const { rowCount } = await c.query(
    `UPDATE documents SET title = 'bulk update ' || $2, updated_at = ${NOW}
      WHERE id IN (SELECT id FROM documents WHERE owner_id = $1 ORDER BY id LIMIT $3)`,
    [owner, rng.int(1, 1e6), rng.int(200, 2000)],
  );
  return rowCount ?? 0;
}

/**
 * Runs one writer until `signal` aborts: random transactions back to back (with a short random pause),
 * reconnecting after any error (Postgres restarts included).
 */
export async function runWriter(
  url: string,
  rng: Rng,
  world: World,
  signal: AbortSignal,
  stats: WriterStats,
): Promise<void> {
  let client: pg.Client | null = null;
  while (!signal.aborted) {
    try {
      if (!client) {
        client = new pg.Client({ connectionString: url });
        client.on('error', () => undefined);
        await client.connect();
      }
      const realm = rng.pick(world.realms);
      await client.query('BEGIN');
      let n = 0;
      let isLarge = false;
      if (rng.chance(0.004)) {
        n += await large(client, rng, world, realm);
        isLarge = true;
      } else {
        const count = rng.chance(0.7) ? rng.int(1, 3) : rng.int(4, 12);
        for (let i = 0; i < count; i++) {
          const op = ops[rng.weighted(WEIGHTS)]!;
          n += await op(client, rng, world, rng.chance(0.8) ? realm : rng.pick(world.realms));
        }
      }
      await client.query('COMMIT');
      stats.committed++;
      stats.ops += n;
      if (isLarge) stats.large++;
      if (rng.chance(0.3)) await sleep(rng.int(0, 20), signal);
    } catch {
      stats.failed++;
      await client?.end().catch(() => undefined);
      client = null;
      await sleep(rng.int(50, 300), signal);
    }
  }
  await client?.end().catch(() => undefined);
}
