/**
 * Every write the app makes. They go to the local database first (the UI updates at once, online or
 * not) and reach the server through the upload queue.
 */
import {
  documentGroups,
  documents,
  documentVersions,
  groupHierarchy,
  groups,
  projects,
} from '@syncline/example-notes/schema';
import { and, eq, max } from 'drizzle-orm';
import { deviceId } from '../config.js';
import type { NotesClient } from '../sync.js';

type Db = NotesClient['db'];
type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

const now = () => new Date().toISOString();
const newId = () => crypto.randomUUID();

/** Group colours, picked in turn. */
export const GROUP_COLORS = ['#6366f1', '#0ea5e9', '#10b981', '#f59e0b', '#ef4444', '#ec4899', '#8b5cf6'];

export async function createProject(db: Db, name: string): Promise<string> {
  const id = newId();
  await db.insert(projects.sqlite).values({ id, name: name.trim(), isDefault: false });
  return id;
}

export async function renameProject(db: Db, id: string, name: string): Promise<void> {
  await db
    .update(projects.sqlite)
    .set({ name: name.trim(), updatedAt: now() })
    .where(eq(projects.sqlite.id, id));
}

/** Soft-deletes the project and moves its documents to the trash, in one transaction. */
export async function deleteProject(db: Db, id: string): Promise<void> {
  const at = now();
  await db.transaction(async (tx) => {
    await tx.update(projects.sqlite).set({ deletedAt: at, updatedAt: at }).where(eq(projects.sqlite.id, id));
    await tx
      .update(documents.sqlite)
      .set({ deletedAt: at, updatedAt: at })
      .where(and(eq(documents.sqlite.projectId, id)));
  });
}

export async function createGroup(
  db: Db,
  name: string,
  parentId: string | null,
  color: string,
): Promise<string> {
  const id = newId();
  await db.transaction(async (tx) => {
    await tx.insert(groups.sqlite).values({ id, name: name.trim(), color });
    if (parentId) {
      await tx
        .insert(groupHierarchy.sqlite)
        .values({ id: newId(), parentGroupId: parentId, childGroupId: id });
    }
  });
  return id;
}

export async function renameGroup(db: Db, id: string, name: string): Promise<void> {
  await db.update(groups.sqlite).set({ name: name.trim(), updatedAt: now() }).where(eq(groups.sqlite.id, id));
}

export async function deleteGroup(db: Db, id: string): Promise<void> {
  const at = now();
  await db.update(groups.sqlite).set({ deletedAt: at, updatedAt: at }).where(eq(groups.sqlite.id, id));
}

async function nextVersion(tx: Tx, documentId: string): Promise<number> {
  const [row] = await tx
    .select({ v: max(documentVersions.sqlite.version) })
    .from(documentVersions.sqlite)
    .where(eq(documentVersions.sqlite.documentId, documentId));
  return (row?.v ?? 0) + 1;
}

/** Creates a document (and its version 1) in a project (or none) and, optionally, a group. */
export async function createDocument(
  db: Db,
  input: { title: string; content?: string; projectId: string | null; groupId?: string | null },
): Promise<string> {
  const id = newId();
  const device = deviceId();
  const content = input.content ?? '';
  await db.transaction(async (tx) => {
    await tx
      .insert(documents.sqlite)
      .values({ id, title: input.title, content, projectId: input.projectId, deviceId: device });
    await tx
      .insert(documentVersions.sqlite)
      .values({ id: newId(), documentId: id, title: input.title, content, version: 1, deviceId: device });
    if (input.groupId) {
      await tx
        .insert(documentGroups.sqlite)
        .values({ id: pairId(id, input.groupId), documentId: id, groupId: input.groupId });
    }
  });
  return id;
}

/** Saves an edit: updates the document and records the next version, in one transaction. */
export async function saveDocument(
  db: Db,
  id: string,
  edit: { title: string; content: string },
): Promise<number> {
  const device = deviceId();
  return db.transaction(async (tx) => {
    const version = await nextVersion(tx, id);
    await tx
      .update(documents.sqlite)
      .set({ title: edit.title, content: edit.content, deviceId: device, updatedAt: now() })
      .where(eq(documents.sqlite.id, id));
    await tx.insert(documentVersions.sqlite).values({
      id: newId(),
      documentId: id,
      title: edit.title,
      content: edit.content,
      version,
      deviceId: device,
    });
    return version;
  });
}

export async function moveDocument(db: Db, id: string, projectId: string | null): Promise<void> {
  await db.update(documents.sqlite).set({ projectId, updatedAt: now() }).where(eq(documents.sqlite.id, id));
}

/** Moves the document to the trash (soft delete: `deleted_at`). */
export async function trashDocument(db: Db, id: string): Promise<void> {
  const at = now();
  await db.update(documents.sqlite).set({ deletedAt: at, updatedAt: at }).where(eq(documents.sqlite.id, id));
}

export async function restoreDocument(db: Db, id: string): Promise<void> {
  await db
    .update(documents.sqlite)
    .set({ deletedAt: null, updatedAt: now() })
    .where(eq(documents.sqlite.id, id));
}

/**
 * The id of a document ⇄ group link derives from the pair, so two devices adding the same document to the
 * same group while offline write the same row instead of violating the unique index.
 */
export function pairId(documentId: string, groupId: string): string {
  return `${documentId}.${groupId}`;
}

export async function addToGroup(db: Db, documentId: string, groupId: string): Promise<void> {
  const id = pairId(documentId, groupId);
  const existing = await db.select().from(documentGroups.sqlite).where(eq(documentGroups.sqlite.id, id));
  if (existing.length) return;
  await db.insert(documentGroups.sqlite).values({ id, documentId, groupId });
}

export async function removeFromGroup(db: Db, documentId: string, groupId: string): Promise<void> {
  await db
    .delete(documentGroups.sqlite)
    .where(and(eq(documentGroups.sqlite.documentId, documentId), eq(documentGroups.sqlite.groupId, groupId)));
}
