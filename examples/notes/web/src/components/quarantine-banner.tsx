import { useSyncStatus } from '@syncline/client/react';
import { useState } from 'react';
import { useNotes } from '../hooks/use-notes.js';

/**
 * Unsynced changes of this account that were set aside when someone else signed in on this browser. They
 * are only offered back to their own user, and only on request (they may be older than the server's data).
 */
export function QuarantineBanner() {
  const client = useNotes();
  const { quarantined, state } = useSyncStatus();
  const [message, setMessage] = useState<string | null>(null);
  if (quarantined === 0 && !message) return null;
  return (
    <section className="banner" aria-label="Unsynced changes from an earlier session">
      {quarantined > 0 ? (
        <>
          <span>
            {quarantined} unsynced {quarantined === 1 ? 'change' : 'changes'} from your earlier session on
            this browser {quarantined === 1 ? 'was' : 'were'} kept aside when another account signed in.
          </span>
          <button
            type="button"
            disabled={state !== 'synced'}
            title={state !== 'synced' ? 'Available once your notes have synced' : undefined}
            onClick={() =>
              void client.quarantine
                .restore()
                .then((r) =>
                  setMessage(
                    `Restored ${r.restored} ${r.restored === 1 ? 'change' : 'changes'}${r.skipped.length ? `; ${r.skipped.length} could not be applied` : ''}.`,
                  ),
                )
            }
          >
            Restore
          </button>
          <button type="button" className="danger" onClick={() => void client.quarantine.discard()}>
            Discard
          </button>
        </>
      ) : (
        <>
          <span>{message}</span>
          <button type="button" onClick={() => setMessage(null)}>
            Dismiss
          </button>
        </>
      )}
    </section>
  );
}
