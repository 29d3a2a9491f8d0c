import type { NotesDb } from './db.js';
/**
 * The id recorded in `documents.device_id` and `document_versions.device_id`: read from `local_metadata`,
 * or made (with `newId`) and stored on first use.
 *
 * @example
 * const id = await loadDeviceId(client.db, () => crypto.randomUUID());
 */
export declare function loadDeviceId(db: NotesDb, newId: () => string): Promise<string>;
