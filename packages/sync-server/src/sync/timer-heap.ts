/** setTimeout's largest delay; a longer wait is re-armed when it fires. */
const MAX_DELAY = 2 ** 31 - 1;

/** Something a {@link TimerHeap} calls when due: its own fields hold its place (no closure, no Timeout). */
export interface Timed {
  /** When it is due, ms since the epoch (while scheduled). */
  timerDue: number;
  /** Its index in the heap; −1 when not scheduled. */
  timerSlot: number;
  /** Called once when due (already removed from the heap). */
  onTimer(now: number): void;
}

/**
 * Timers of many owners (the token lines of every open stream) in one binary min-heap behind one Node timer,
 * armed for the earliest. Thousands of idle streams then hold no `Timeout` and no closures of their own, and
 * each one still fires at its own moment (not on a shared tick).
 */
export class TimerHeap {
  private readonly heap: Timed[] = [];
  private timer: NodeJS.Timeout | null = null;
  private armedFor = Number.POSITIVE_INFINITY;
  /** Inside {@link fire}: entries re-scheduled by their callbacks arm nothing until the loop is done. */
  private firing = false;
  private readonly fire = (): void => {
    this.timer = null;
    this.armedFor = Number.POSITIVE_INFINITY;
    const now = Date.now();
    this.firing = true;
    try {
      for (let top = this.heap[0]; top !== undefined && top.timerDue <= now; top = this.heap[0]) {
        this.removeAt(0);
        top.onTimer(now);
      }
    } finally {
      this.firing = false;
      this.arm();
    }
  };

  get size(): number {
    return this.heap.length;
  }

  /** Schedules `item` at `at` (ms since the epoch), moving it if it was already scheduled. */
  schedule(item: Timed, at: number): void {
    if (item.timerSlot >= 0) {
      const earlier = at < item.timerDue;
      item.timerDue = at;
      if (earlier) this.up(item.timerSlot);
      else this.down(item.timerSlot);
    } else {
      item.timerDue = at;
      item.timerSlot = this.heap.length;
      this.heap.push(item);
      this.up(item.timerSlot);
    }
    this.arm();
  }

  /** Unschedules `item` (nothing if it is not scheduled). */
  cancel(item: Timed): void {
    if (item.timerSlot < 0) return;
    this.removeAt(item.timerSlot);
    this.arm();
  }

  /** (Re-)arms the one Node timer for the earliest entry, or clears it when none is left. */
  private arm(): void {
    if (this.firing) return;
    const top = this.heap[0];
    if (top === undefined) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.armedFor = Number.POSITIVE_INFINITY;
      return;
    }
    if (this.timer && this.armedFor <= top.timerDue) return; // fires in time (early is harmless: re-armed)
    if (this.timer) clearTimeout(this.timer);
    this.armedFor = top.timerDue;
    this.timer = setTimeout(this.fire, Math.min(MAX_DELAY, Math.max(0, top.timerDue - Date.now())));
    this.timer.unref();
  }

  private removeAt(i: number): void {
    const heap = this.heap;
    const item = heap[i]!;
    const last = heap.pop()!;
    item.timerSlot = -1;
    if (last === item) return;
    heap[i] = last;
    last.timerSlot = i;
    this.up(i);
    this.down(last.timerSlot);
  }

  private up(i: number): void {
    const heap = this.heap;
    const item = heap[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = heap[p]!;
      if (parent.timerDue <= item.timerDue) break;
      heap[i] = parent;
      parent.timerSlot = i;
      i = p;
    }
    heap[i] = item;
    item.timerSlot = i;
  }

  private down(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const item = heap[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && heap[r]!.timerDue < heap[l]!.timerDue ? r : l;
      const child = heap[c]!;
      if (child.timerDue >= item.timerDue) break;
      heap[i] = child;
      child.timerSlot = i;
      i = c;
    }
    heap[i] = item;
    item.timerSlot = i;
  }
}
