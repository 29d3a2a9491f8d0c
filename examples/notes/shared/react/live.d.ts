import type { QueryArgs, QueryName, QueryRow } from '../data/queries.js';
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
export declare function useLiveQuery<K extends QueryName>(
  name: K,
  args: QueryArgs<K> | null,
): LiveQuery<QueryRow<K>>;
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
export declare function useLatestAsync<I, O>(
  input: I,
  process: (input: I, signal: AbortSignal) => Promise<O>,
): LatestAsync<O>;
