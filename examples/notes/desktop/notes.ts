/**
 * The notes operations of the desktop clients (CLI and Electron main process), on a `@syncline/client`
 * sync client with the notes schema. Writes go to the local SQLite database; the client uploads them.
 */
import type { SyncClient } from '@syncline/client';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { documents, type schema } from '../schema.js';
import { loadDeviceId } from '../shared/data/device.js';
import { NotesError } from '../shared/data/errors.js';

export type NotesClient = SyncClient<typeof schema>;

/** A note as the desktop clients show it. */
export interface Note {
  id: string;
  title: string | null;
  content: string;
  createdAt: string;
  updatedAt: string;
}

const d = documents.sqlite;
const columns = {
  id: d.id,
  title: d.title,
  content: d.content,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
};
const liveNotes = (client: NotesClient) =>
  client.db.select(columns).from(d).where(isNull(d.deletedAt)).orderBy(desc(d.updatedAt), d.id);

/** The live (not deleted) notes, most recently updated first. */
export async function listNotes(client: NotesClient): Promise<Note[]> {
  return liveNotes(client);
}

/** Adds a note; `id` defaults to a random UUID. */
export async function addNote(
  client: NotesClient,
  input: { title: string; content?: string; id?: string },
): Promise<Note> {
  const now = new Date().toISOString();
  const note: Note = {
    id: input.id ?? crypto.randomUUID(),
    title: input.title,
    content: input.content ?? '',
    createdAt: now,
    updatedAt: now,
  };
  await client.db.insert(d).values({ ...note, version: 1, deviceId: await deviceId(client) });
  return note;
}

/** Changes a note's title and/or content; `CLIENT_NOT_FOUND` if there is no live note with that id. */
export async function editNote(
  client: NotesClient,
  id: string,
  patch: { title?: string; content?: string },
): Promise<Note> {
  if (patch.title === undefined && patch.content === undefined) {
    throw new NotesError('CLIENT_USAGE', 'Nothing to change: give a new title and/or content.');
  }
  await requireNote(client, id);
  const set: Partial<typeof d.$inferInsert> = { updatedAt: new Date().toISOString() };
  if (patch.title !== undefined) set.title = patch.title;
  if (patch.content !== undefined) set.content = patch.content;
  // The next version with every edit: documents are version-checked (see schema.ts), so the server rejects an
  // edit made on top of a version another device has already replaced.
  await client.db
    .update(d)
    .set({ ...set, version: sql`${d.version} + 1` })
    .where(eq(d.id, id));
  return requireNote(client, id);
}

/**
 * Deletes a note: sets `deletedAt` (the server keeps deleted rows as soft deletes and syncs them back,
 * so every device agrees on the same row). `CLIENT_NOT_FOUND` if there is no live note with that id.
 */
export async function deleteNote(client: NotesClient, id: string): Promise<void> {
  await requireNote(client, id);
  const now = new Date().toISOString();
  await client.db.update(d).set({ deletedAt: now, updatedAt: now }).where(eq(d.id, id));
}

/**
 * Calls `onNotes` with the live notes now and after every change (local writes and synced ones) until
 * `signal` aborts.
 */
export function watchNotes(
  client: NotesClient,
  onNotes: (notes: Note[]) => void,
  options: { signal: AbortSignal; onError?: (e: unknown) => void },
): void {
  client.db.watch(
    liveNotes(client),
    { onResult: (rows) => onNotes(rows as Note[]), onError: options.onError ?? (() => undefined) },
    { signal: options.signal },
  );
}

async function requireNote(client: NotesClient, id: string): Promise<Note> {
  const [note] = await client.db
    .select(columns)
    .from(d)
    .where(and(eq(d.id, id), isNull(d.deletedAt)));
  if (!note) throw new NotesError('CLIENT_NOT_FOUND', `No note with id ${id} on this device.`, { id });
  return note;
}

/** This device's id (`documents.device_id`), kept in the local-only `local_metadata` table. */
export function deviceId(client: NotesClient): Promise<string> {
  return loadDeviceId(client.db, () => crypto.randomUUID());
}
