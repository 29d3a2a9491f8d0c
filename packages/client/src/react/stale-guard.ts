/**
 * Guards against the stale-query race (PowerSync answers a changed query from cache first and updates
 * later; slow async post-processing of the first result can land after the second one): every run gets
 * a ticket, a new run invalidates and aborts the previous ticket, and only the current ticket's result
 * is delivered. No React in here, so it is testable and usable outside components.
 */

/** One run's ticket. */
export interface StaleTicket {
  /** Aborted when a newer run starts or the guard is cancelled. Pass it to fetch / long work. */
  readonly signal: AbortSignal;
  /** Whether this is still the latest run (deliver its result only then). */
  isCurrent(): boolean;
}

/** The guard made by {@link createStaleGuard}. */
export interface StaleGuard {
  /** Starts a run: invalidates (and aborts) the previous ticket and returns a new one. */
  next(): StaleTicket;
  /** Invalidates the current ticket (unmount). */
  cancel(): void;
}

/**
 * A generation counter with abort signals.
 *
 * @example
 * const guard = createStaleGuard();
 * const ticket = guard.next();
 * const rows = await enrich(result, ticket.signal);
 * if (ticket.isCurrent()) setRows(rows);
 */
export function createStaleGuard(): StaleGuard {
  let generation = 0;
  let controller: AbortController | null = null;
  return {
    next() {
      controller?.abort();
      const mine = ++generation;
      const c = new AbortController();
      controller = c;
      return { signal: c.signal, isCurrent: () => mine === generation && !c.signal.aborted };
    },
    cancel() {
      generation++;
      controller?.abort();
      controller = null;
    },
  };
}

/** What {@link createLatestRunner} reports. */
export interface LatestResult<I, O> {
  input: I;
  value?: O;
  error?: unknown;
}

/**
 * Runs `process(input)` for each new input and reports only the latest run's outcome — earlier runs that
 * finish late are dropped.
 *
 * @example
 * const runner = createLatestRunner(enrichRows, (r) => setState(r));
 * runner.run(rowsFromWatch); // later inputs supersede earlier ones
 */
export function createLatestRunner<I, O>(
  process: (input: I, signal: AbortSignal) => Promise<O>,
  onSettled: (result: LatestResult<I, O>) => void,
): { run(input: I): void; cancel(): void } {
  const guard = createStaleGuard();
  return {
    run(input) {
      const ticket = guard.next();
      let promise: Promise<O>;
      try {
        promise = process(input, ticket.signal);
      } catch (error) {
        promise = Promise.reject(error);
      }
      promise.then(
        (value) => {
          if (ticket.isCurrent()) onSettled({ input, value });
        },
        (error) => {
          if (ticket.isCurrent()) onSettled({ input, error });
        },
      );
    },
    cancel: () => guard.cancel(),
  };
}
