import { useState } from 'react';
import { useBackend, useNotesStatus } from '../../../shared/react/context.js';
import { plural } from '../../../shared/text.js';
import { ErrorMessage } from './message.js';

/**
 * Unsynced changes of this account that were set aside when someone else signed in on this device. They
 * are only offered back to their own user, and only on request (they may be older than the server's data).
 */
export function QuarantineBanner() {
  const backend = useBackend();
  const { quarantined, state } = useNotesStatus();
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  if (quarantined === 0 && !message) return null;
  const where = backend.platform === 'web' ? 'this browser' : 'this device';
  const restore = () =>
    void backend.quarantine
      .restore()
      .then(
        (r) =>
          setMessage(
            `Restored ${plural(r.restored, 'change')}${r.skipped.length ? `; ${r.skipped.length} could not be applied` : ''}.`,
          ),
        setError,
      );
  return (
    <section className="banner" aria-label="Unsynced changes from an earlier session">
      {quarantined > 0 ? (
        <>
          <span>
            {plural(quarantined, 'unsynced change')} from your earlier session on {where}{' '}
            {quarantined === 1 ? 'was' : 'were'} kept aside when another account signed in.
          </span>
          {error !== null && <ErrorMessage error={error} />}
          <button
            type="button"
            disabled={state !== 'synced'}
            title={state !== 'synced' ? 'Available once your notes have synced' : undefined}
            onClick={restore}
          >
            Restore
          </button>
          <button
            type="button"
            className="danger"
            onClick={() => void backend.quarantine.discard().catch(setError)}
          >
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
