/** The notes app's client types, shared by every platform. */
import type { SyncClient } from '@syncline/client';
import type { schema } from '../../schema.js';

/** A `@syncline/client` sync client with the notes schema (any platform's PowerSync database). */
export type NotesClient = SyncClient<typeof schema>;
/** Drizzle over the local database: the notes tables plus the client's own. */
export type NotesDb = NotesClient['db'];

/** What a write needs besides the database: who writes (this device) and how ids are made. */
export interface WriteContext {
  db: NotesDb;
  /** This device's id, recorded in `documents.device_id` and `document_versions.device_id`. */
  deviceId: string;
  /** A new UUID (`crypto.randomUUID` on the web and in Node, `expo-crypto` on React Native). */
  newId: () => string;
}
