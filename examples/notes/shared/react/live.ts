/** Live queries in React, over the backend (the local database, or the Electron main process). */
import { createLatestRunner } from '@syncline/client/react';
import { useEffect, useRef, useState } from 'react';
import type { QueryArgs, QueryName, QueryRow } from '../data/queries.js';
import { useBackend, useDatabaseVersion } from './context.js';

/** What {@link useLiveQuery} returns. */
export interface LiveQuery<T> {
  rows: T[];
  /** The first result has not arrived yet. */
  loading: boolean;
  error: unknown;
}

/**
 * Watches a named query: its rows now and after every change of the tables it reads (local writes and
 * synced ones). Watches again when the arguments (compared by value) or the database version (account
 * switch) change; `args === null` watches nothing.
 *
 * @example
 * const { rows } = useLiveQuery('versions', { documentId });
 */
export function useLiveQuery<K extends QueryName>(
  name: K,
  args: QueryArgs<K> | null,
): LiveQuery<QueryRow<K>> {
  const backend = useBackend();
  const version = useDatabaseVersion();
  const key = args === null ? null : JSON.stringify(args ?? {});
  const [state, setState] = useState<LiveQuery<QueryRow<K>>>({
    rows: [],
    loading: key !== null,
    error: null,
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `args`; `version` re-runs after a clear
  useEffect(() => {
    if (key === null) {
      setState({ rows: [], loading: false, error: null });
      return;
    }
    setState((s) => (s.loading ? s : { ...s, loading: true }));
    return backend.watch(name, JSON.parse(key), {
      onRows: (rows) => setState({ rows, loading: false, error: null }),
      onError: (error) => setState((s) => ({ ...s, loading: false, error })),
    });
  }, [backend, name, key, version]);
  return state;
}

/** What {@link useLatestAsync} returns. */
export interface LatestAsync<O> {
  value: O | undefined;
  error: unknown;
  pending: boolean;
}

/**
 * Async post-processing of query results that never lets a slow, stale run win: PowerSync answers a changed
 * query from its cache first and updates a moment later, and an async step over the first answer may
 * finish after the one over the second. Only the latest run (for the latest input and database version)
 * sets the value; older runs are aborted and their results dropped.
 *
 * @example
 * const { value } = useLatestAsync(rows, (r, signal) => withSnippets(r, signal));
 */
export function useLatestAsync<I, O>(
  input: I,
  process: (input: I, signal: AbortSignal) => Promise<O>,
): LatestAsync<O> {
  const version = useDatabaseVersion();
  const [state, setState] = useState<LatestAsync<O>>({ value: undefined, error: undefined, pending: true });
  const processRef = useRef(process);
  processRef.current = process;
  const runner = useRef<ReturnType<typeof createLatestRunner<I, O>> | null>(null);
  runner.current ??= createLatestRunner<I, O>(
    (i, signal) => processRef.current(i, signal),
    (r) => setState({ value: r.value, error: r.error, pending: false }),
  );
  const run = runner.current;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` re-runs the work after a clear
  useEffect(() => {
    setState((s) => (s.pending ? s : { ...s, pending: true }));
    run.run(input);
  }, [run, input, version]);
  useEffect(() => () => run.cancel(), [run]);
  return state;
}
