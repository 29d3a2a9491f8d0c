/** The sharing actions: a project's owner shares it, changes a member's role, or stops sharing it. */
import { eq } from 'drizzle-orm';
import { projectMembers } from '../../schema.js';
import { id, text } from './checks.js';
import type { WriteContext } from './db.js';
import { NotesError } from './errors.js';
import { checkRole, memberId } from './sharing.js';

/**
 * Shares a project with a user (looked up by email first: `backend.sharing.findUser`), or changes their role
 * when it is shared with them already. Only the project's owner may; the server refuses anyone else.
 */
export async function shareProject(
  ctx: WriteContext,
  projectId: string,
  member: { userId: string; email: string },
  role: 'viewer' | 'editor',
): Promise<string> {
  const project = id(projectId, 'projectId');
  if (typeof member !== 'object' || member === null) throw new NotesError('CLIENT_USAGE', 'Bad member.');
  const userId = id(member.userId, 'userId');
  const email = text(member.email, 'email');
  const r = checkRole(role);
  const rowId = memberId(project, userId);
  await ctx.db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: projectMembers.sqlite.id })
      .from(projectMembers.sqlite)
      .where(eq(projectMembers.sqlite.id, rowId));
    if (existing) {
      await tx
        .update(projectMembers.sqlite)
        .set({ role: r, email })
        .where(eq(projectMembers.sqlite.id, rowId));
    } else {
      await tx
        .insert(projectMembers.sqlite)
        .values({ id: rowId, projectId: project, userId, email, role: r });
    }
  });
  return rowId;
}

/** Changes a member's role (project owners only). */
export async function setMemberRole(
  ctx: WriteContext,
  member: string,
  role: 'viewer' | 'editor',
): Promise<void> {
  await ctx.db
    .update(projectMembers.sqlite)
    .set({ role: checkRole(role) })
    .where(eq(projectMembers.sqlite.id, id(member, 'member')));
}

/** Stops sharing a project with a member: the project leaves their devices (project owners only). */
export async function removeMember(ctx: WriteContext, member: string): Promise<void> {
  await ctx.db.delete(projectMembers.sqlite).where(eq(projectMembers.sqlite.id, id(member, 'member')));
}
