import { tokenExpiresLine } from '../protocol/lines.js';
import type { LineOutput } from './output.js';

/** setTimeout's largest delay; a longer wait is re-armed when it fires. */
const MAX_DELAY = 2 ** 31 - 1;

/**
 * The `token_expires_in` lines of a session (SPEC I9): one every `keepaliveMs` (±10 %), one ≤ 30 s at 20 s
 * before expiry (clients prefetch credentials and reconnect), and `0` at expiry, after which `onExpired`
 * ends the session. One timer per session, re-armed for whichever of the three is due next (an idle stream
 * holds one timer, not three). Returns a function that clears it.
 */
export function startTokenTimers(o: {
  out: LineOutput;
  keepaliveMs: number;
  /** Token expiry, seconds since the epoch. */
  tokenExp: number;
  isDone(): boolean;
  onExpired(): void;
}): () => void {
  const expiresIn = () => o.tokenExp - Date.now() / 1000;
  const send = (seconds: number) => {
    if (!o.isDone()) void o.out.line(tokenExpiresLine(seconds)).then(() => o.out.flush());
  };
  const nextKeepalive = () => Date.now() + o.keepaliveMs * (0.9 + Math.random() * 0.2);
  const expireAt = o.tokenExp * 1000;
  let warnAt = expireAt - 20_000;
  let keepaliveAt = nextKeepalive();
  let timer: NodeJS.Timeout | null = null;

  const arm = () => {
    const due = Math.min(keepaliveAt, warnAt, expireAt);
    timer = setTimeout(fire, Math.min(MAX_DELAY, Math.max(0, due - Date.now())));
    timer.unref();
  };
  const fire = () => {
    timer = null;
    const now = Date.now();
    if (now >= expireAt) {
      if (!o.isDone()) void o.out.line(tokenExpiresLine(0)).then(o.onExpired);
      return;
    }
    if (now >= warnAt) {
      warnAt = Number.POSITIVE_INFINITY;
      send(Math.min(30, expiresIn()));
    }
    if (now >= keepaliveAt) {
      send(expiresIn());
      keepaliveAt = nextKeepalive();
    }
    arm();
  };
  arm();
  return () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
}
