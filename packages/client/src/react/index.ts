/** React bindings: provider, status hooks, and the stale-query guard. */
import { SyncError } from '@syncline/errors';
import type { SynclineSchema } from '@syncline/schema/client';
import {
  createContext,
  createElement,
  type ReactNode,
  useContext,
  useEffect,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import type { SyncClient } from '../client/index.js';
import type { SyncClientStatus } from '../status/index.js';
import { createLatestRunner, createStaleGuard, type StaleGuard } from './stale-guard.js';

export {
  createLatestRunner,
  createStaleGuard,
  type LatestResult,
  type StaleGuard,
  type StaleTicket,
} from './stale-guard.js';

const SyncContext = createContext<SyncClient<SynclineSchema> | null>(null);

/** Props of {@link SyncProvider}. */
export interface SyncProviderProps {
  client: SyncClient<SynclineSchema>;
  children?: ReactNode;
}

/**
 * Makes a sync client available to the hooks below.
 *
 * @example
 * root.render(createElement(SyncProvider, { client }, createElement(App)));
 */
export function SyncProvider(props: SyncProviderProps): ReactNode {
  return createElement(SyncContext.Provider, { value: props.client }, props.children);
}

/**
 * The client from the nearest {@link SyncProvider}.
 *
 * @example
 * const { db } = useSyncClient<typeof schema>();
 */
export function useSyncClient<S extends SynclineSchema = SynclineSchema>(): SyncClient<S> {
  const client = useContext(SyncContext);
  if (!client) {
    throw new SyncError(
      'CONFIG_INVALID_OPTION',
      'useSyncClient: wrap the component in <SyncProvider client={…}>',
    );
  }
  return client as SyncClient<S>;
}

/**
 * The client's status; re-renders when it changes.
 *
 * @example
 * const { state, pendingUploads, rejected } = useSyncStatus();
 */
export function useSyncStatus(): SyncClientStatus {
  const { status } = useSyncClient();
  return useSyncExternalStore(status.subscribe, status.getSnapshot, status.getSnapshot);
}

/**
 * The database version: it changes when the synced data was cleared (account switch). Put it in the
 * dependencies of anything that caches query results.
 *
 * @example
 * const version = useDatabaseVersion();
 * useEffect(() => { void load(); }, [version]);
 */
export function useDatabaseVersion(): number {
  const { status } = useSyncClient();
  const read = () => status.getSnapshot().databaseVersion;
  return useSyncExternalStore(status.subscribe, read, read);
}

/**
 * A stable {@link StaleGuard} for the component (cancelled on unmount).
 *
 * @example
 * const guard = useStaleGuard();
 * useEffect(() => { const t = guard.next(); void work(t.signal).then((r) => t.isCurrent() && set(r)); }, [q]);
 */
export function useStaleGuard(): StaleGuard {
  const ref = useRef<StaleGuard | null>(null);
  ref.current ??= createStaleGuard();
  const guard = ref.current;
  useEffect(() => () => guard.cancel(), [guard]);
  return guard;
}

/** What {@link useLatestAsync} returns. */
export interface LatestAsync<O> {
  value: O | undefined;
  error: unknown;
  /** A run for the current input (or database version) has not settled yet. */
  pending: boolean;
}

/**
 * Runs async post-processing of `input` (e.g. rows from a watched query) and keeps only the latest run's
 * result: a slow run for an old input never overwrites the result for a newer one. Re-runs when `input`
 * changes (by identity) or the database version changes.
 *
 * @example
 * const rows = useQuery(toCompilableQuery(db.select().from(documents.sqlite))).data;
 * const { value: withCounts } = useLatestAsync(rows, (r, signal) => addVersionCounts(r, signal));
 */
export function useLatestAsync<I, O>(
  input: I,
  process: (input: I, signal: AbortSignal) => Promise<O>,
): LatestAsync<O> {
  const version = useDatabaseVersion();
  const [state, setState] = useState<LatestAsync<O>>({ value: undefined, error: undefined, pending: true });
  const processRef = useRef(process);
  processRef.current = process;
  const runnerRef = useRef<ReturnType<typeof createLatestRunner<I, O>> | null>(null);
  runnerRef.current ??= createLatestRunner<I, O>(
    (i, signal) => processRef.current(i, signal),
    (r) => setState({ value: r.value, error: r.error, pending: false }),
  );
  const runner = runnerRef.current;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` re-runs the work after a clear
  useEffect(() => {
    setState((s) => (s.pending ? s : { ...s, pending: true }));
    runner.run(input);
  }, [runner, input, version]);
  useEffect(() => () => runner.cancel(), [runner]);
  return state;
}
