import v8 from 'node:v8';
import vm from 'node:vm';
import type { Logger } from '@syncline/errors';

/**
 * Gives memory back once the server goes quiet. After a burst of work (replication, initial syncs) V8 keeps
 * its young generation grown to its maximum (2 × 16 MB semi-spaces) and garbage in the old generation
 * until the next collection, which an idle process never triggers: measured, the sync server stayed at
 * 97–110 MB after a workload. One full collection once activity stopped for `quietMs` (while allocation is
 * low) lets V8 shrink the young generation and release emptied pages, and `release` drops caches that only
 * pay off under load. Runs once per busy → quiet transition; a collection of a small idle heap takes a few
 * ms (≈ 0.1–0.2 s at 10 000 open streams). A second collection `secondGcMs` later (still quiet) lets V8
 * shrink further: after the first one it has only just lowered its heap limits and the freed pages of the
 * large-object and old spaces are released on the next collection.
 */
export function startIdleTrim(o: {
  /** A counter that moves whenever the server does work (not on keepalives). */
  activity: () => number;
  /** Drops what only helps under load (recent-ops cache). */
  release: () => void;
  quietMs: number;
  /** Delay of the second collection after the first. Default 2.5 s. */
  secondGcMs?: number;
  log: Logger;
}): () => void {
  const secondGcMs = o.secondGcMs ?? 2500;
  // `--expose-gc` set at runtime only makes `gc` available to contexts created afterwards.
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  let seen = o.activity();
  let quietSince = Date.now();
  /** Collections done in this quiet period (0, 1 or 2). */
  let trimmed = 0;
  const timer = setInterval(
    () => {
      const now = o.activity();
      if (now !== seen) {
        seen = now;
        quietSince = Date.now();
        trimmed = 0;
        return;
      }
      const quiet = Date.now() - quietSince;
      if (trimmed >= 2 || quiet < o.quietMs + (trimmed ? secondGcMs : 0)) return;
      trimmed++;
      const before = process.memoryUsage.rss();
      const started = performance.now();
      o.release();
      gc();
      o.log.debug('idle: memory trimmed', {
        collection: trimmed,
        ms: Math.round(performance.now() - started),
        rssBefore: before,
        rssAfter: process.memoryUsage.rss(),
      });
    },
    Math.max(250, Math.floor(o.quietMs / 4)),
  );
  timer.unref();
  return () => clearInterval(timer);
}
