/** Options for {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this many ms. Default 10 000. */
  timeout?: number;
  /** Pause between attempts. Default 20 ms. */
  interval?: number;
  /** Shown in the timeout error. */
  message?: string;
}

/**
 * Retries `fn` until it returns a truthy value (which is returned) or throws no more; fails with the
 * last error or value after the timeout. For tests that wait on something asynchronous to converge.
 *
 * @example
 * await waitFor(async () => (await count()) === 3, { message: 'three rows on device B' });
 */
export async function waitFor<T>(fn: () => T | Promise<T>, options: WaitForOptions = {}): Promise<T> {
  const timeout = options.timeout ?? 10_000;
  const interval = options.interval ?? 20;
  const deadline = Date.now() + timeout;
  let last: unknown;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await fn();
      lastError = undefined;
      if (last) return last as T;
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, interval));
  }
  const detail = lastError
    ? `last error: ${(lastError as Error).message}`
    : `last value: ${JSON.stringify(last)}`;
  throw new Error(
    `waitFor timed out after ${timeout} ms${options.message ? ` (${options.message})` : ''}; ${detail}`,
  );
}
