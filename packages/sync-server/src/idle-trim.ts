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
 * ms (≈ 0.1–0.2 s at 10 000 open streams).
 */
export function startIdleTrim(o: {
  /** A counter that moves whenever the server does work (not on keepalives). */
  activity: () => number;
  /** Drops what only helps under load (recent-ops cache). */
  release: () => void;
  quietMs: number;
  log: Logger;
}): () => void {
  // `--expose-gc` set at runtime only makes `gc` available to contexts created afterwards.
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  let seen = o.activity();
  let quietSince = Date.now();
  let trimmed = false;
  const timer = setInterval(
    () => {
      const now = o.activity();
      if (now !== seen) {
        seen = now;
        quietSince = Date.now();
        trimmed = false;
        return;
      }
      if (trimmed || Date.now() - quietSince < o.quietMs) return;
      trimmed = true;
      const before = process.memoryUsage.rss();
      const started = performance.now();
      o.release();
      gc();
      o.log.debug('idle: memory trimmed', {
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
