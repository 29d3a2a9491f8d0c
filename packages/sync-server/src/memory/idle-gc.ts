import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | null | undefined;

/**
 * V8's full collector, or null when it cannot be reached. Node exposes it only with `--expose-gc`; setting
 * that flag at run time does not add `gc` to the existing global, but a context created afterwards has it.
 */
function collector(): (() => void) | null {
  if (collect === undefined) {
    try {
      if (typeof globalThis.gc === 'function') collect = globalThis.gc as () => void;
      else {
        setFlagsFromString('--expose-gc');
        collect = runInNewContext('gc') as () => void;
      }
    } catch {
      collect = null;
    }
  }
  return collect;
}

/**
 * Returns memory to the system after a burst of work. V8 grows its heap under allocation pressure (a large
 * replicated transaction allocates hundreds of MB of short-lived ops) and, with no allocations afterwards,
 * never runs the collection that would shrink it again: the process stays at its peak. After a burst,
 * `burst()` schedules one full collection once the process has been quiet for `idleMs`; more bursts push it
 * back, so it never runs in the middle of work.
 */
export class IdleCollector {
  private timer: NodeJS.Timeout | null = null;
  collections = 0;

  constructor(private readonly idleMs = 1000) {}

  /** Notes a burst of allocation (e.g. a storage commit of many ops). */
  burst(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      const gc = collector();
      if (!gc) return;
      gc();
      this.collections++;
    }, this.idleMs);
    this.timer.unref();
  }

  /** Cancels a pending collection (shutdown). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
