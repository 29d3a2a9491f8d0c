import { useSyncClient } from '@syncline/client/react';
import type { schema } from '@syncline/example-notes/schema';
import type { NotesClient } from '../sync.js';

/** The notes sync client from the provider. */
export function useNotes(): NotesClient {
  return useSyncClient<typeof schema>();
}
