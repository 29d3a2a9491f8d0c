/** The notes app's live data, as hooks every platform's screens use. */
import { useMemo } from 'react';
import type { Document, Project } from '../../schema.js';
import { type GroupNode, groupTree } from '../data/groups.js';
import { type Access, documentAccess, projectAccess } from '../data/sharing.js';
import type { View } from '../data/view.js';
import { useSession } from './context.js';
import { useLiveQuery } from './live.js';

export const useProjects = () => useLiveQuery('projects', undefined);

/** Who the visible projects are shared with. */
export const useMembers = () => useLiveQuery('members', undefined);

/** What the signed-in user may do with a project or a document (owner, editor, viewer). */
export function useAccess(projects: readonly Project[]): {
  project: (p: Pick<Project, 'id' | 'ownerId'>) => Access;
  document: (d: Pick<Document, 'ownerId' | 'projectId'>) => Access;
} {
  const members = useMembers().rows;
  const userId = useSession()?.userId ?? '';
  return useMemo(
    () => ({
      project: (p) => projectAccess(p, members, userId),
      document: (d) => documentAccess(d, projects, members, userId),
    }),
    [projects, members, userId],
  );
}

/** Live groups, ordered as a tree (children after their parent, with their `depth`). */
export function useGroups(): { groups: GroupNode[]; loading: boolean } {
  const list = useLiveQuery('groups', undefined);
  const links = useLiveQuery('groupLinks', undefined);
  const groups = useMemo(() => groupTree(list.rows, links.rows), [list.rows, links.rows]);
  return { groups, loading: list.loading || links.loading };
}

/** Live counts of documents (not in the trash) per project id (`''` = no project). */
export function useProjectCounts(): Map<string, number> {
  const { rows } = useLiveQuery('projectCounts', undefined);
  return useMemo(() => new Map(rows.map((r) => [r.projectId ?? '', r.n])), [rows]);
}

/** The documents of a view, most recently edited first, filtered by a search text. */
export const useDocuments = (view: View, search: string) =>
  useLiveQuery('documents', { view, search: search.trim() });

/** One document (null while loading or when it does not exist). */
export function useDocument(id: string | null): { document: Document | null; loading: boolean } {
  const r = useLiveQuery('document', id ? { id } : null);
  return { document: r.rows.find((d) => d.id === id) ?? null, loading: r.loading };
}

export const useVersions = (documentId: string | null) =>
  useLiveQuery('versions', documentId ? { documentId } : null);

/** Ids of the groups a document is in. */
export function useDocumentGroupIds(documentId: string | null): string[] {
  const { rows } = useLiveQuery('documentGroupIds', documentId ? { documentId } : null);
  return useMemo(() => rows.map((r) => r.groupId), [rows]);
}

/** Group ids per document, for the list's colour dots. */
export function useGroupLinks(): Map<string, string[]> {
  const { rows } = useLiveQuery('documentGroupLinks', undefined);
  return useMemo(() => {
    const m = new Map<string, string[]>();
    for (const r of rows) m.set(r.documentId, [...(m.get(r.documentId) ?? []), r.groupId]);
    return m;
  }, [rows]);
}
