import { tokenExpiresLine } from './lines.js';
import type { LineOutput } from './output.js';

/**
 * The `token_expires_in` lines of a session (SPEC I9): one every `keepaliveMs` (±10 %), one ≤ 30 s at 20 s
 * before expiry (clients prefetch credentials and reconnect), and `0` at expiry, after which `onExpired`
 * ends the session. Returns a function that clears the timers.
 */
export function startTokenTimers(o: {
  out: LineOutput;
  keepaliveMs: number;
  /** Token expiry, seconds since the epoch. */
  tokenExp: number;
  isDone(): boolean;
  onExpired(): void;
}): () => void {
  const timers: NodeJS.Timeout[] = [];
  const expiresIn = () => o.tokenExp - Date.now() / 1000;
  const send = (seconds: number) => {
    if (!o.isDone()) void o.out.line(tokenExpiresLine(seconds)).then(() => o.out.flush());
  };
  const schedule = (fn: () => void, ms: number) => {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref();
    timers.push(t);
  };
  const keepalive = () =>
    schedule(
      () => {
        send(expiresIn());
        keepalive();
      },
      o.keepaliveMs * (0.9 + Math.random() * 0.2),
    );
  keepalive();
  schedule(() => send(Math.min(30, expiresIn())), (expiresIn() - 20) * 1000);
  schedule(() => {
    if (o.isDone()) return;
    void o.out.line(tokenExpiresLine(0)).then(o.onExpired);
  }, expiresIn() * 1000);
  return () => {
    for (const t of timers) clearTimeout(t);
  };
}
