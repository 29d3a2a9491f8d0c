/**
 * Who may do what with a project or a document, as the server decides it (the rules come from the table
 * definitions; see `schema.ts`): the owner does everything, an editor writes, a viewer reads. The UI uses it
 * to offer only what will be accepted — the server checks every write anyway.
 */
import { SHARE_ROLES, type ShareRole } from '@syncline/schema/client';
import type { Document, Project, ProjectMember } from '../../schema.js';
import { NotesError } from './errors.js';

/** What the signed-in user may do: `owner` (everything), `editor` (write), `viewer` (read). */
export type Access = 'owner' | ShareRole;

/** The membership row id of a user in a project: one row per pair, so sharing again changes the role. */
export const memberId = (projectId: string, userId: string): string => `${projectId}.${userId}`;

/** Whether an access lets the user change things. */
export const canEdit = (access: Access): boolean => access === 'owner' || access === 'editor';

/** A role from an untrusted sender (the Electron renderer). */
export function checkRole(role: unknown): ShareRole {
  if (!SHARE_ROLES.includes(role as ShareRole)) {
    throw new NotesError('CLIENT_USAGE', `"role" must be ${SHARE_ROLES.join(' or ')}.`);
  }
  return role as ShareRole;
}

/**
 * The user's access to a project: their own (a row not synced yet has no owner — it is theirs), else the role
 * their membership gives (`viewer` when the role is unknown: any membership reads).
 */
export function projectAccess(
  project: Pick<Project, 'id' | 'ownerId'>,
  members: readonly Pick<ProjectMember, 'projectId' | 'userId' | 'role'>[],
  userId: string,
): Access {
  if (project.ownerId === null || project.ownerId === userId) return 'owner';
  const mine = members.filter((m) => m.projectId === project.id && m.userId === userId);
  return mine.some((m) => m.role === 'editor') ? 'editor' : 'viewer';
}

/**
 * The user's access to a document: through its project when it has one the device knows (a document in a
 * project shared with them), else their own.
 */
export function documentAccess(
  doc: Pick<Document, 'ownerId' | 'projectId'>,
  projects: readonly Pick<Project, 'id' | 'ownerId'>[],
  members: readonly Pick<ProjectMember, 'projectId' | 'userId' | 'role'>[],
  userId: string,
): Access {
  const project = doc.projectId ? projects.find((p) => p.id === doc.projectId) : undefined;
  if (project) return projectAccess(project, members, userId);
  return doc.ownerId === null || doc.ownerId === userId ? 'owner' : 'viewer';
}
