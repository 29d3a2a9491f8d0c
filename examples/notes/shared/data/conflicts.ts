/**
 * Edit conflicts on documents: two devices changed the same document, the one that uploaded second was
 * rejected (`UPLOAD_VERSION_CONFLICT`, documents carry a `version`) with the server's row attached. The user
 * picks: keep mine (saved again on top of theirs, as a new version) or keep theirs (mine is dropped).
 */
import type { SyncRejection } from '@syncline/client';
import type { NotesBackend } from '../backend.js';

/** One document edit that lost a conflict. */
export interface DocumentConflict {
  documentId: string;
  /** The rejected rows of the lost edit's transaction (the document and its version snapshot). */
  rejectionIds: string[];
  /** This device's text. */
  mine: { title: string | null; content: string };
  /** The server's text, and its version. */
  theirs: { title: string | null; content: string; version: number };
  rejectedAt: string;
}

/**
 * The document conflicts among the rejected changes, oldest first.
 *
 * @example
 * const conflicts = documentConflicts(await backend.rejections.list());
 */
export function documentConflicts(rejections: readonly SyncRejection[]): DocumentConflict[] {
  const out: DocumentConflict[] = [];
  for (const r of rejections) {
    if (r.code !== 'UPLOAD_VERSION_CONFLICT' || r.tableName !== 'documents' || !r.serverRow) continue;
    if (r.details?.offending === false) continue;
    const theirs = r.serverRow;
    const data = r.data ?? {};
    const text = (v: unknown, fallback: unknown) =>
      typeof v === 'string' ? v : typeof fallback === 'string' ? fallback : '';
    const sameTransaction = rejections.filter(
      (x) => x.transactionId !== null && x.transactionId === r.transactionId,
    );
    out.push({
      documentId: r.rowId,
      rejectionIds: sameTransaction.length ? sameTransaction.map((x) => x.id) : [r.id],
      mine: {
        title:
          'title' in data
            ? ((data.title as string | null) ?? null)
            : ((theirs.title as string | null) ?? null),
        content: text(data.content, theirs.content),
      },
      theirs: {
        title: (theirs.title as string | null) ?? null,
        content: text(theirs.content, ''),
        version: Number(theirs.version) || 0,
      },
      rejectedAt: r.rejectedAt,
    });
  }
  return out;
}

/**
 * Resolves a conflict: `mine` saves this device's text again on top of the server's version (a new version
 * everyone gets), `theirs` keeps the server's; either way the rejected changes are cleared.
 *
 * @example
 * await resolveConflict(backend, conflict, 'mine');
 */
export async function resolveConflict(
  backend: Pick<NotesBackend, 'run' | 'rejections'>,
  conflict: DocumentConflict,
  keep: 'mine' | 'theirs',
): Promise<void> {
  if (keep === 'mine') {
    await backend.run('saveDocument', conflict.documentId, {
      title: conflict.mine.title ?? '',
      content: conflict.mine.content,
      baseVersion: conflict.theirs.version,
    });
  }
  for (const id of conflict.rejectionIds) await backend.rejections.discard(id);
}
