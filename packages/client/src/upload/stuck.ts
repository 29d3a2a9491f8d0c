/** Which upload is stuck: a transaction the server keeps failing with a server error. Pure state, no I/O. */

/** A client transaction the server keeps refusing with a server error (5xx other than 502/503/504). */
export interface StuckUpload {
  /** The PowerSync transaction id (the upload's `op_id`). */
  transactionId: number | string;
  /** The last error's code (e.g. `UPLOAD_INTERNAL`) and message. */
  code: string;
  message: string;
  /** When this transaction first failed this way. */
  since: Date;
  /** Consecutive server errors for it. */
  attempts: number;
}

/**
 * Whether a status means "the server failed on this request" rather than "the server is unreachable or
 * overloaded": 502, 503 and 504 are outages (proxies, restarts, a database that is down) and only ever
 * retried; other 5xx are faults that may be caused by this very transaction.
 *
 * @example
 * isServerFault(500); // true
 * isServerFault(503); // false
 */
export function isServerFault(status: number | undefined): boolean {
  return status !== undefined && status >= 500 && status <= 599 && ![502, 503, 504].includes(status);
}

/** Counts server faults per head transaction and says when it counts as stuck. */
export class StuckTracker {
  #head: { id: number | string; since: Date; attempts: number } | null = null;
  #stuck: StuckUpload | null = null;

  constructor(
    private readonly threshold: number,
    private readonly onChange: (stuck: StuckUpload | null) => void,
    private readonly now: () => number = Date.now,
  ) {}

  get stuck(): StuckUpload | null {
    return this.#stuck;
  }

  /** A server fault for a request whose only transaction is `id`. */
  fault(id: number | string, error: { code: string; message: string }): void {
    if (this.#head?.id !== id) this.#head = { id, since: new Date(this.now()), attempts: 0 };
    this.#head.attempts++;
    if (this.#head.attempts < this.threshold) return;
    this.#stuck = { transactionId: id, code: error.code, message: error.message, ...this.#head };
    this.onChange(this.#stuck);
  }

  /** The head transaction went through (applied or rejected) or was moved aside. */
  clear(): void {
    this.#head = null;
    if (this.#stuck === null) return;
    this.#stuck = null;
    this.onChange(null);
  }
}
