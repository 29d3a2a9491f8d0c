import type { OnNextSubscriber, OnTerminalSubscriber } from 'rsocket-core';
import type { LineTransport } from '../../sync/output.js';

/** The RSocket side of one request-stream: how the client asked for more, cancelled, or went away. */
export interface RSocketStreamTransport extends LineTransport {
  /** REQUEST_N from the client: `n` more payloads may be sent. */
  request(n: number): void;
  /** CANCEL from the client, or the connection closed. */
  cancel(): void;
  /** Ends the stream with an ERROR frame carrying `message`. */
  fail(message: string): void;
  /** Called once when the stream ends for any reason. */
  onClose(listener: () => void): void;
}

/**
 * A {@link LineTransport} over an RSocket request-stream: every line is one PAYLOAD frame (one BSON
 * document), sent only while the client has granted credit (request-N flow control). A session that runs
 * out of credit waits, so a slow client stalls the sender instead of filling the socket buffer.
 */
export function createRSocketTransport(
  responder: OnNextSubscriber & OnTerminalSubscriber,
  initialRequestN: number,
): RSocketStreamTransport {
  let credit = initialRequestN;
  let closed = false;
  const waiting: { line: Buffer; resolve: () => void }[] = [];
  const listeners: (() => void)[] = [];
  const finish = () => {
    if (closed) return false;
    closed = true;
    for (const w of waiting.splice(0)) w.resolve();
    for (const l of listeners.splice(0)) l();
    return true;
  };
  const send = (line: Buffer) => {
    credit--;
    responder.onNext({ data: line }, false);
  };
  return {
    get closed() {
      return closed;
    },
    write(line) {
      if (closed) return Promise.resolve();
      const data = typeof line === 'string' ? Buffer.from(line) : line;
      if (credit > 0 && waiting.length === 0) {
        send(data);
        return Promise.resolve();
      }
      return new Promise((resolve) => waiting.push({ line: data, resolve }));
    },
    flush: () => Promise.resolve(),
    end() {
      if (finish()) responder.onComplete();
    },
    request(n) {
      credit = Math.min(credit + n, Number.MAX_SAFE_INTEGER);
      while (!closed && credit > 0 && waiting.length > 0) {
        const w = waiting.shift()!;
        send(w.line);
        w.resolve();
      }
    },
    cancel() {
      finish();
    },
    fail(message) {
      if (finish()) responder.onError(new Error(message));
    },
    onClose(listener) {
      if (closed) listener();
      else listeners.push(listener);
    },
  };
}
