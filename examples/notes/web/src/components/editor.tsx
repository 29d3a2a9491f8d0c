import { useCallback, useEffect, useRef, useState } from 'react';
import type { Project } from '../../../schema.js';
import type { GroupNode } from '../../../shared/data/groups.js';
import { canEdit } from '../../../shared/data/sharing.js';
import { useBackend } from '../../../shared/react/context.js';
import { useAccess, useDocument } from '../../../shared/react/data.js';
import { useNow } from '../../../shared/react/use-now.js';
import { timeAgo } from '../../../shared/text.js';
import { GroupChips } from './group-chips.js';
import { ErrorMessage } from './message.js';
import { VersionsPanel } from './versions-panel.js';

const AUTOSAVE_MS = 800;
type SaveState =
  | { kind: 'saved' }
  | { kind: 'editing' }
  | { kind: 'saving' }
  | { kind: 'failed'; error: unknown };

/**
 * Title and text of one document. Edits save on their own after a short pause (or with Ctrl/⌘+S), each
 * save recording a new version. Changes from other devices show up at once unless there is an unsaved edit.
 */
export function Editor(props: {
  documentId: string | null;
  projects: Project[];
  groups: GroupNode[];
  onClose: () => void;
  /** Phones: back to the list. */
  onBack: () => void;
}) {
  const backend = useBackend();
  const { document: doc, loading } = useDocument(props.documentId);
  const [title, setTitle] = useState('');
  const [content, setContent] = useState('');
  const [save, setSave] = useState<SaveState>({ kind: 'saved' });
  const [actionError, setActionError] = useState<unknown>(null);
  const [showVersions, setShowVersions] = useState(false);
  const dirty = useRef(false);
  const draft = useRef({ title: '', content: '' });
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const id = props.documentId;
  const now = useNow();
  const access = useAccess(props.projects);

  // Follow the stored document (first load, and changes synced from other devices) unless editing.
  useEffect(() => {
    if (!doc || dirty.current) return;
    setTitle(doc.title ?? '');
    setContent(doc.content);
    draft.current = { title: doc.title ?? '', content: doc.content };
  }, [doc]);

  const flush = useCallback(async () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (!id || !dirty.current) return;
    const edit = { ...draft.current };
    dirty.current = false;
    setSave({ kind: 'saving' });
    try {
      await backend.run('saveDocument', id, edit);
      // An edit typed while saving stays dirty and is saved next.
      setSave(dirty.current ? { kind: 'editing' } : { kind: 'saved' });
    } catch (error) {
      dirty.current = true;
      setSave({ kind: 'failed', error });
    }
  }, [backend, id]);

  // Save what is left when the editor closes (another document selected, view changed, sign-out).
  useEffect(
    () => () => {
      void flush();
    },
    [flush],
  );

  const edit = (next: { title?: string; content?: string }) => {
    if (next.title !== undefined) setTitle(next.title);
    if (next.content !== undefined) setContent(next.content);
    draft.current = { ...draft.current, ...next };
    dirty.current = true;
    setSave({ kind: 'editing' });
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void flush(), AUTOSAVE_MS);
  };
  const act = (p: Promise<unknown>) => void p.then(() => setActionError(null), setActionError);

  const back = (
    <button type="button" className="back-button phone-only" onClick={props.onBack}>
      ‹ Documents
    </button>
  );
  if (!id) {
    return (
      <section className="editor editor-empty" aria-label="Editor">
        <p className="empty-title">No document selected</p>
        <p>Pick a document in the list, or create a new one.</p>
      </section>
    );
  }
  if (!doc) {
    return (
      <section className="editor editor-empty" aria-label="Editor">
        {back}
        <p>{loading ? 'Opening…' : 'This document no longer exists.'}</p>
      </section>
    );
  }
  const trashed = doc.deletedAt !== null;
  const mayEdit = canEdit(access.document(doc));
  const readOnly = trashed || !mayEdit;
  // Where it can go: projects the user may write (and the one it is in).
  const targets = props.projects.filter((p) => p.id === doc.projectId || canEdit(access.project(p)));
  const saveLabel =
    save.kind === 'saving'
      ? 'Saving…'
      : save.kind === 'editing'
        ? 'Edited'
        : save.kind === 'failed'
          ? 'Not saved'
          : `Saved ${timeAgo(doc.updatedAt, now)}`;

  return (
    <section
      className={`editor${showVersions ? ' with-versions' : ''}`}
      aria-label="Editor"
      onKeyDown={(e) => {
        if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
          e.preventDefault();
          void flush();
        }
      }}
    >
      <div className="editor-main">
        <div className="editor-toolbar">
          {back}
          <select
            aria-label="Project"
            value={doc.projectId ?? ''}
            disabled={readOnly}
            onChange={(e) => act(backend.run('moveDocument', doc.id, e.target.value || null))}
          >
            <option value="">No project</option>
            {targets.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          <span
            className={`save-state save-${save.kind}`}
            role="status"
            aria-live="polite"
            data-testid="save-state"
          >
            {saveLabel}
          </span>
          <span className="toolbar-spacer" />
          <button
            type="button"
            className={showVersions ? 'toggled' : ''}
            aria-pressed={showVersions}
            onClick={() => setShowVersions((v) => !v)}
          >
            Versions
          </button>
          {!mayEdit ? null : trashed ? (
            <button type="button" onClick={() => act(backend.run('restoreDocument', doc.id))}>
              Restore
            </button>
          ) : (
            <button
              type="button"
              className="danger"
              onClick={() => {
                act(flush().then(() => backend.run('trashDocument', doc.id)));
                props.onClose();
              }}
            >
              Move to trash
            </button>
          )}
        </div>
        {save.kind === 'failed' && <ErrorMessage error={save.error} />}
        {actionError !== null && <ErrorMessage error={actionError} />}
        {trashed && mayEdit && <p className="notice">This document is in the trash. Restore it to edit.</p>}
        {!mayEdit && (
          <p className="notice" data-testid="read-only">
            Shared with you as a viewer: you can read this document but not change it.
          </p>
        )}
        <input
          className="title-input"
          aria-label="Title"
          placeholder="Untitled"
          value={title}
          readOnly={readOnly}
          onChange={(e) => edit({ title: e.target.value })}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              (
                e.currentTarget.parentElement?.querySelector('textarea') as HTMLTextAreaElement | null
              )?.focus();
            }
          }}
          // biome-ignore lint/a11y/noAutofocus: a new, empty document starts with its title
          autoFocus={!doc.title && !doc.content}
        />
        <GroupChips documentId={doc.id} groups={props.groups} disabled={trashed} onError={setActionError} />
        <textarea
          className="content-input"
          aria-label="Content"
          placeholder="Start writing…"
          value={content}
          readOnly={readOnly}
          onChange={(e) => edit({ content: e.target.value })}
          onBlur={() => void flush()}
        />
      </div>
      {showVersions && (
        <VersionsPanel
          documentId={doc.id}
          current={{ title, content }}
          onRestore={(v) => {
            if (readOnly) return;
            edit({ title: v.title ?? '', content: v.content });
            void flush();
          }}
          onClose={() => setShowVersions(false)}
        />
      )}
    </section>
  );
}
