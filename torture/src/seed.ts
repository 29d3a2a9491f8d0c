/** The round's starting data and names derived from its databases. */
import type pg from 'pg';
import type { Rng } from './random.js';
import type { World } from './world.js';

/** The sync server's default slot name for a database (storage schema `syncline`). */
export function slotNameFor(url: string): string {
  const db = new URL(url).pathname.slice(1);
  return `syncline_${`${db}_syncline`.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 63);
}

/** Data that exists before the sync server starts (goes through the initial snapshot). */
export async function seed(pool: pg.Pool, rng: Rng, world: World): Promise<void> {
  for (const u of world.users) {
    for (let p = 0; p < 3; p++) {
      const id = rng.uuid();
      await pool.query(
        `INSERT INTO projects (id, name, owner_id, created_at, updated_at) VALUES ($1, $2, $3, now(), now())`,
        [id, `p${p} of ${u.name}`, u.id],
      );
      world.remember('projects', u.realm, id);
    }
    const projects = world.projects.get(u.realm)!;
    for (let i = 0; i < 100; i++) {
      const id = rng.uuid();
      await pool.query(
        `INSERT INTO documents (id, title, content, owner_id, project_id, device_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'seed', now(), now())`,
        [id, rng.text(5, 30), rng.text(20, 200), u.id, rng.pick(projects)],
      );
      world.remember('documents', u.realm, id);
    }
  }
  for (const realm of world.realms) {
    const [a, b] = world.usersOf(realm);
    if (!a || !b) continue;
    // One of a's projects shared with b, as a device would write it (pair id, a's row, a role).
    const project = rng.pick(world.projects.get(realm)!.slice(0, 3));
    const id = `${project}.${b.id}`;
    await pool.query(
      `INSERT INTO project_members (id, project_id, user_id, role, owner_id, created_at) VALUES ($1, $2, $3, 'editor', $4, now())`,
      [id, project, b.id, a.id],
    );
    world.remember('shares', realm, id);
  }
}
