import { tokenExpiresLine } from '../protocol/lines.js';
import type { LineOutput } from './output.js';
import type { Timed, TimerHeap } from './timer-heap.js';

/** The session a {@link TokenTimer} serves. */
export interface TokenTimerOwner {
  isDone(): boolean;
  /** The `0` line was written: end the session. */
  tokenExpired(): void;
}

/**
 * The `token_expires_in` lines of a session (SPEC I9): one every `keepaliveMs` (±10 %), one ≤ 30 s at 20 s
 * before expiry (clients prefetch credentials and reconnect), and `0` at expiry, after which the owner's
 * `tokenExpired` ends the session. One entry in the server's shared {@link TimerHeap}, re-scheduled for
 * whichever of the three is due next: an idle stream holds this small object, no `Timeout` and no closures.
 */
export class TokenTimer implements Timed {
  timerDue = 0;
  timerSlot = -1;
  private readonly expireAt: number;
  private warnAt: number;
  private keepaliveAt: number;

  constructor(
    private readonly heap: TimerHeap,
    private readonly out: LineOutput,
    private readonly owner: TokenTimerOwner,
    private readonly keepaliveMs: number,
    /** Token expiry, seconds since the epoch. */
    private readonly tokenExp: number,
  ) {
    this.expireAt = tokenExp * 1000;
    this.warnAt = this.expireAt - 20_000;
    this.keepaliveAt = this.nextKeepalive(Date.now());
  }

  /** Schedules the first line. */
  start(): void {
    this.heap.schedule(this, Math.min(this.keepaliveAt, this.warnAt, this.expireAt));
  }

  /** No more lines. */
  stop(): void {
    this.heap.cancel(this);
  }

  onTimer(now: number): void {
    if (now >= this.expireAt) {
      if (!this.owner.isDone()) {
        const owner = this.owner;
        void this.out.line(tokenExpiresLine(0)).then(() => owner.tokenExpired());
      }
      return;
    }
    if (now >= this.warnAt) {
      this.warnAt = Number.POSITIVE_INFINITY;
      this.send(Math.min(30, this.tokenExp - now / 1000));
    }
    if (now >= this.keepaliveAt) {
      this.send(this.tokenExp - now / 1000);
      this.keepaliveAt = this.nextKeepalive(now);
    }
    this.heap.schedule(this, Math.min(this.keepaliveAt, this.warnAt, this.expireAt));
  }

  private nextKeepalive(now: number): number {
    return now + this.keepaliveMs * (0.9 + Math.random() * 0.2);
  }

  private send(seconds: number): void {
    if (this.owner.isDone()) return;
    const out = this.out;
    void out.line(tokenExpiresLine(seconds)).then(() => out.flush());
  }
}
