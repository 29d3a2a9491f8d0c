/**
 * Live queries the main process runs for its windows: each window's watches by id, rows pushed only to the
 * window that asked (`webContents.send`), stopped on request, when the window is gone, or all at once on
 * sign-out (so a signed-out window never receives local data).
 */

import type { WebContentsLike } from '@syncline/client/electron';
import { errorBody } from '@syncline/client/electron';
import type { NotesDb } from '../../shared/data/db.js';
import { NOTES_CHANNELS, type WatchError } from '../preload/api.js';

type Query = Parameters<NotesDb['watch']>[0];

/** Made by {@link createWatchRegistry}. */
export interface WatchRegistry {
  start(sender: WebContentsLike, id: string, db: NotesDb, query: Query): void;
  stop(sender: WebContentsLike, id: string): void;
  /** Ends every watch, telling each window why. */
  endAll(error: WatchError): void;
  /** Watches running now (tests). */
  readonly size: number;
}

/**
 * The registry of live queries.
 *
 * @example
 * const watches = createWatchRegistry();
 * watches.start(event.sender, 'w-1', client.db, buildQuery(client.db, 'projects', undefined));
 */
export function createWatchRegistry(): WatchRegistry {
  const running = new Map<WebContentsLike, Map<string, AbortController>>();
  const ofSender = (sender: WebContentsLike) => {
    const m = running.get(sender) ?? new Map<string, AbortController>();
    running.set(sender, m);
    return m;
  };
  const drop = (sender: WebContentsLike, id: string) => {
    const m = running.get(sender);
    m?.get(id)?.abort();
    m?.delete(id);
    if (m?.size === 0) running.delete(sender);
  };
  /** Sends, or ends the watch when the window is gone. */
  const send = (sender: WebContentsLike, id: string, channel: string, payload: unknown) => {
    if (sender.isDestroyed()) return drop(sender, id);
    try {
      sender.send(channel, id, payload);
    } catch {
      drop(sender, id);
    }
  };
  return {
    start(sender, id, db, query) {
      drop(sender, id);
      const abort = new AbortController();
      ofSender(sender).set(id, abort);
      db.watch(
        query,
        {
          onResult: (rows) => {
            if (!abort.signal.aborted) send(sender, id, NOTES_CHANNELS.rows, rows);
          },
          onError: (e) => {
            if (abort.signal.aborted) return;
            const { code, message } = errorBody(e);
            send(sender, id, NOTES_CHANNELS.rowsError, { code, message });
            drop(sender, id);
          },
        },
        { signal: abort.signal },
      );
    },
    stop: drop,
    endAll(error) {
      for (const [sender, m] of [...running]) {
        for (const id of [...m.keys()]) {
          drop(sender, id);
          send(sender, id, NOTES_CHANNELS.rowsError, error);
        }
      }
    },
    get size() {
      let n = 0;
      for (const m of running.values()) n += m.size;
      return n;
    },
  };
}
