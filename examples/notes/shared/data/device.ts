/** This device's id, kept in the local-only `local_metadata` table (it survives sign-out and account switches). */
import { eq } from 'drizzle-orm';
import { localMetadata } from '../../schema.js';
import type { NotesDb } from './db.js';

const DEVICE_KEY = 'device_id';

/**
 * The id recorded in `documents.device_id` and `document_versions.device_id`: read from `local_metadata`,
 * or made (with `newId`) and stored on first use.
 *
 * @example
 * const id = await loadDeviceId(client.db, () => crypto.randomUUID());
 */
export async function loadDeviceId(db: NotesDb, newId: () => string): Promise<string> {
  const m = localMetadata.sqlite;
  const read = async () =>
    (await db.select({ value: m.value }).from(m).where(eq(m.key, DEVICE_KEY)))[0]?.value;
  const existing = await read();
  if (existing) return existing;
  try {
    await db.insert(m).values({ id: DEVICE_KEY, key: DEVICE_KEY, value: newId() });
  } catch (e) {
    // Another client of this database (a tab) made it first.
    const raced = await read();
    if (raced) return raced;
    throw e;
  }
  return (await read())!;
}
