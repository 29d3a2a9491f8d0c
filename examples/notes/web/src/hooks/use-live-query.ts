import type { DrizzleQuery } from '@powersync/drizzle-driver';
import { useDatabaseVersion } from '@syncline/client/react';
import { useEffect, useState } from 'react';
import { useNotes } from './use-notes.js';

/** What {@link useLiveQuery} returns. */
export interface LiveQuery<T> {
  rows: T[];
  /** The first result has not arrived yet. */
  loading: boolean;
  error: Error | null;
}

/**
 * Watches a Drizzle query: the rows now and after every change of the tables it reads (local writes and
 * synced ones). `build` runs again when `deps` or the database version (account switch) change; return
 * null to watch nothing.
 *
 * @example
 * const { rows } = useLiveQuery((db) => db.select().from(projects.sqlite), []);
 */
export function useLiveQuery<T>(
  build: (db: ReturnType<typeof useNotes>['db']) => DrizzleQuery<T> | null,
  deps: readonly unknown[],
): LiveQuery<T> {
  const client = useNotes();
  const version = useDatabaseVersion();
  const [state, setState] = useState<LiveQuery<T>>({ rows: [], loading: true, error: null });
  // biome-ignore lint/correctness/useExhaustiveDependencies: `deps` are the query's inputs
  useEffect(() => {
    const query = build(client.db);
    if (!query) {
      setState({ rows: [], loading: false, error: null });
      return;
    }
    setState((s) => (s.loading ? s : { ...s, loading: true }));
    const abort = new AbortController();
    client.db.watch(
      query,
      {
        onResult: (rows) => {
          if (!abort.signal.aborted) setState({ rows: rows as T[], loading: false, error: null });
        },
        onError: (e) => {
          if (!abort.signal.aborted) setState((s) => ({ ...s, loading: false, error: e }));
        },
      },
      { signal: abort.signal },
    );
    return () => abort.abort();
  }, [client, version, ...deps]);
  return state;
}
