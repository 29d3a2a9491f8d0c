/**
 * Every write the notes app makes. They go to the local database first (the UI updates at once, online or
 * not) and reach the server through the upload queue. Each takes a {@link WriteContext} and plain-data
 * arguments, so the Electron main process can run them for its windows (`ACTIONS`, by name).
 */
import { and, eq } from 'drizzle-orm';
import {
  documentGroups,
  documents,
  documentVersions,
  groupHierarchy,
  groups,
  projects,
} from '../../schema.js';
import { checkName, id, optionalId, text } from './checks.js';
import type { WriteContext } from './db.js';
import { NotesError } from './errors.js';
import { removeMember, setMemberRole, shareProject } from './share-actions.js';

const now = () => new Date().toISOString();

export { checkName } from './checks.js';

/** Group colours, picked in turn. */
export const GROUP_COLORS = ['#6366f1', '#0ea5e9', '#10b981', '#f59e0b', '#ef4444', '#ec4899', '#8b5cf6'];

export async function createProject(ctx: WriteContext, name: string): Promise<string> {
  const projectId = ctx.newId();
  await ctx.db
    .insert(projects.sqlite)
    .values({ id: projectId, name: checkName(name, 'project'), isDefault: false });
  return projectId;
}

export async function renameProject(ctx: WriteContext, projectId: string, name: string): Promise<void> {
  await ctx.db
    .update(projects.sqlite)
    .set({ name: checkName(name, 'project'), updatedAt: now() })
    .where(eq(projects.sqlite.id, id(projectId, 'projectId')));
}

/** Soft-deletes the project and moves its documents to the trash, in one transaction. */
export async function deleteProject(ctx: WriteContext, projectId: string): Promise<void> {
  const at = now();
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(projects.sqlite)
      .set({ deletedAt: at, updatedAt: at })
      .where(eq(projects.sqlite.id, id(projectId, 'projectId')));
    await tx
      .update(documents.sqlite)
      .set({ deletedAt: at, updatedAt: at })
      .where(eq(documents.sqlite.projectId, projectId));
  });
}

export async function createGroup(
  ctx: WriteContext,
  name: string,
  parentId: string | null,
  color: string,
): Promise<string> {
  const groupId = ctx.newId();
  const groupName = checkName(name, 'group');
  const parent = optionalId(parentId, 'parentId');
  await ctx.db.transaction(async (tx) => {
    await tx.insert(groups.sqlite).values({ id: groupId, name: groupName, color: text(color, 'color') });
    if (parent) {
      await tx
        .insert(groupHierarchy.sqlite)
        .values({ id: ctx.newId(), parentGroupId: parent, childGroupId: groupId });
    }
  });
  return groupId;
}

export async function renameGroup(ctx: WriteContext, groupId: string, name: string): Promise<void> {
  await ctx.db
    .update(groups.sqlite)
    .set({ name: checkName(name, 'group'), updatedAt: now() })
    .where(eq(groups.sqlite.id, id(groupId, 'groupId')));
}

export async function deleteGroup(ctx: WriteContext, groupId: string): Promise<void> {
  const at = now();
  await ctx.db
    .update(groups.sqlite)
    .set({ deletedAt: at, updatedAt: at })
    .where(eq(groups.sqlite.id, id(groupId, 'groupId')));
}

/** Creates a document (and its version 1) in a project (or none) and, optionally, a group. */
export async function createDocument(
  ctx: WriteContext,
  input: { title: string; content?: string; projectId: string | null; groupId?: string | null },
): Promise<string> {
  if (typeof input !== 'object' || input === null) throw new NotesError('CLIENT_USAGE', 'Bad document.');
  const documentId = ctx.newId();
  const title = text(input.title ?? '', 'title');
  const content = text(input.content ?? '', 'content');
  const projectId = optionalId(input.projectId, 'projectId');
  const groupId = optionalId(input.groupId, 'groupId');
  const deviceId = ctx.deviceId;
  await ctx.db.transaction(async (tx) => {
    await tx.insert(documents.sqlite).values({ id: documentId, title, content, projectId, deviceId });
    await tx
      .insert(documentVersions.sqlite)
      .values({ id: ctx.newId(), documentId, title, content, version: 1, deviceId });
    if (groupId) {
      await tx.insert(documentGroups.sqlite).values({ id: pairId(documentId, groupId), documentId, groupId });
    }
  });
  return documentId;
}

/**
 * Saves an edit: the document's next version (its `version` + 1, which the server checks: an edit made on top
 * of an older version is rejected as a conflict) and a snapshot with that number, in one transaction.
 * `baseVersion`: save on top of at least this version (keeping mine after a conflict: the server's version).
 */
export async function saveDocument(
  ctx: WriteContext,
  documentId: string,
  edit: { title: string; content: string; baseVersion?: number },
): Promise<number> {
  const docId = id(documentId, 'documentId');
  if (typeof edit !== 'object' || edit === null) throw new NotesError('CLIENT_USAGE', 'Bad edit.');
  const title = text(edit.title, 'title');
  const content = text(edit.content, 'content');
  const base = edit.baseVersion ?? 0;
  if (!Number.isSafeInteger(base) || base < 0) throw new NotesError('CLIENT_USAGE', 'Bad base version.');
  const deviceId = ctx.deviceId;
  return ctx.db.transaction(async (tx) => {
    const [found] = await tx
      .select({ id: documents.sqlite.id, version: documents.sqlite.version })
      .from(documents.sqlite)
      .where(eq(documents.sqlite.id, docId));
    if (!found) throw new NotesError('CLIENT_NOT_FOUND', 'This document no longer exists.', { id: docId });
    const version = Math.max(found.version ?? 0, base) + 1;
    await tx
      .update(documents.sqlite)
      .set({ title, content, deviceId, version, updatedAt: now() })
      .where(eq(documents.sqlite.id, docId));
    await tx
      .insert(documentVersions.sqlite)
      .values({ id: ctx.newId(), documentId: docId, title, content, version, deviceId });
    return version;
  });
}

export async function moveDocument(
  ctx: WriteContext,
  documentId: string,
  projectId: string | null,
): Promise<void> {
  await ctx.db
    .update(documents.sqlite)
    .set({ projectId: optionalId(projectId, 'projectId'), updatedAt: now() })
    .where(eq(documents.sqlite.id, id(documentId, 'documentId')));
}

/** Moves the document to the trash (soft delete: `deleted_at`). */
export async function trashDocument(ctx: WriteContext, documentId: string): Promise<void> {
  const at = now();
  await ctx.db
    .update(documents.sqlite)
    .set({ deletedAt: at, updatedAt: at })
    .where(eq(documents.sqlite.id, id(documentId, 'documentId')));
}

export async function restoreDocument(ctx: WriteContext, documentId: string): Promise<void> {
  await ctx.db
    .update(documents.sqlite)
    .set({ deletedAt: null, updatedAt: now() })
    .where(eq(documents.sqlite.id, id(documentId, 'documentId')));
}

/**
 * The id of a document ⇄ group link derives from the pair, so two devices adding the same document to the
 * same group while offline write the same row instead of violating the unique index.
 */
export function pairId(documentId: string, groupId: string): string {
  return `${documentId}.${groupId}`;
}

export async function addToGroup(ctx: WriteContext, documentId: string, groupId: string): Promise<void> {
  const linkId = pairId(id(documentId, 'documentId'), id(groupId, 'groupId'));
  const existing = await ctx.db
    .select()
    .from(documentGroups.sqlite)
    .where(eq(documentGroups.sqlite.id, linkId));
  if (existing.length) return;
  await ctx.db.insert(documentGroups.sqlite).values({ id: linkId, documentId, groupId });
}

export async function removeFromGroup(ctx: WriteContext, documentId: string, groupId: string): Promise<void> {
  await ctx.db
    .delete(documentGroups.sqlite)
    .where(
      and(
        eq(documentGroups.sqlite.documentId, id(documentId, 'documentId')),
        eq(documentGroups.sqlite.groupId, id(groupId, 'groupId')),
      ),
    );
}

/** Every write by name: what the Electron renderer may ask the main process to run. */
export const ACTIONS = {
  createProject,
  renameProject,
  deleteProject,
  createGroup,
  renameGroup,
  deleteGroup,
  createDocument,
  saveDocument,
  moveDocument,
  trashDocument,
  restoreDocument,
  addToGroup,
  removeFromGroup,
  shareProject,
  setMemberRole,
  removeMember,
};

export type ActionName = keyof typeof ACTIONS;
type Rest<F> = F extends (ctx: WriteContext, ...args: infer A) => unknown ? A : never;
/** The arguments of an action after the context. */
export type ActionArgs<K extends ActionName> = Rest<(typeof ACTIONS)[K]>;
/** What an action resolves to. */
export type ActionResult<K extends ActionName> = Awaited<ReturnType<(typeof ACTIONS)[K]>>;

/**
 * Runs an action named by an untrusted sender (the Electron renderer): `CLIENT_USAGE` for an unknown name;
 * each action checks its own arguments.
 *
 * @example
 * await runAction(ctx, 'createProject', ['Household']);
 */
export function runAction(ctx: WriteContext, name: unknown, args: unknown): Promise<unknown> {
  if (typeof name !== 'string' || !Object.hasOwn(ACTIONS, name)) {
    throw new NotesError('CLIENT_USAGE', `Unknown action ${JSON.stringify(name)}.`);
  }
  if (!Array.isArray(args)) throw new NotesError('CLIENT_USAGE', `${name}: arguments must be a list.`);
  const fn = ACTIONS[name as ActionName] as (ctx: WriteContext, ...a: unknown[]) => Promise<unknown>;
  return fn(ctx, ...args);
}
