/** Document edit conflicts as a hook (the web app's conflict dialog; any platform's screens). */
import { useEffect, useState } from 'react';
import { type DocumentConflict, documentConflicts } from '../data/conflicts.js';
import { useBackend, useNotesStatus } from './context.js';

/** The document conflicts among the rejected changes; reloaded whenever the number of rejections changes. */
export function useConflicts(): { conflicts: DocumentConflict[]; reload: () => void } {
  const backend = useBackend();
  const { rejected } = useNotesStatus();
  const [conflicts, setConflicts] = useState<DocumentConflict[]>([]);
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the count changes or on request
  useEffect(() => {
    let live = true;
    backend.rejections.list().then(
      (r) => live && setConflicts(documentConflicts(r)),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [backend, rejected, tick]);
  return { conflicts, reload: () => setTick((t) => t + 1) };
}
