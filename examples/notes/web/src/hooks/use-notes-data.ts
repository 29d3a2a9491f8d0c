/** The app's live queries. */
import {
  type Document,
  type DocumentVersion,
  documentGroups,
  documents,
  documentVersions,
  type Group,
  groupHierarchy,
  groups,
  type Project,
  projects,
} from '@syncline/example-notes/schema';
import { and, asc, count, desc, eq, inArray, isNotNull, isNull, like, or } from 'drizzle-orm';
import type { View } from '../components/view.js';
import { useLiveQuery } from './use-live-query.js';

const D = documents.sqlite;

export function useProjects() {
  return useLiveQuery<Project>(
    (db) =>
      db
        .select()
        .from(projects.sqlite)
        .where(isNull(projects.sqlite.deletedAt))
        .orderBy(asc(projects.sqlite.name)),
    [],
  );
}

/** A group and its place in the tree. */
export interface GroupNode extends Group {
  depth: number;
  parentId: string | null;
}

/** Live groups, ordered as a tree (children after their parent, indented by `depth`). */
export function useGroups(): { groups: GroupNode[]; loading: boolean } {
  const list = useLiveQuery<Group>(
    (db) =>
      db.select().from(groups.sqlite).where(isNull(groups.sqlite.deletedAt)).orderBy(asc(groups.sqlite.name)),
    [],
  );
  const links = useLiveQuery((db) => db.select().from(groupHierarchy.sqlite), []);
  const byId = new Map(list.rows.map((g) => [g.id, g]));
  const parentOf = new Map<string, string>();
  for (const l of links.rows) {
    if (byId.has(l.parentGroupId) && byId.has(l.childGroupId) && !parentOf.has(l.childGroupId)) {
      parentOf.set(l.childGroupId, l.parentGroupId);
    }
  }
  const out: GroupNode[] = [];
  const seen = new Set<string>();
  const visit = (g: Group, depth: number) => {
    if (seen.has(g.id)) return; // a cycle made on two devices: show each group once
    seen.add(g.id);
    out.push({ ...g, depth, parentId: parentOf.get(g.id) ?? null });
    for (const c of list.rows) if (parentOf.get(c.id) === g.id) visit(c, depth + 1);
  };
  for (const g of list.rows) if (!parentOf.has(g.id)) visit(g, 0);
  for (const g of list.rows) visit(g, 0);
  return { groups: out, loading: list.loading || links.loading };
}

/** Live counts of documents (not in the trash) per project id (`''` = no project). */
export function useProjectCounts(): Map<string, number> {
  const { rows } = useLiveQuery(
    (db) =>
      db
        .select({ projectId: D.projectId, n: count() })
        .from(D)
        .where(isNull(D.deletedAt))
        .groupBy(D.projectId),
    [],
  );
  return new Map(rows.map((r) => [r.projectId ?? '', r.n]));
}

/** The documents of a view, most recently edited first, optionally filtered by a search text. */
export function useDocuments(view: View, search: string) {
  const key = view.kind === 'project' || view.kind === 'group' ? view.id : view.kind;
  const q = search.trim();
  return useLiveQuery<Document>(
    (db) => {
      const text = q ? or(like(D.title, `%${q}%`), like(D.content, `%${q}%`)) : undefined;
      const live = view.kind === 'trash' ? isNotNull(D.deletedAt) : isNull(D.deletedAt);
      if (view.kind === 'group') {
        const inGroup = db
          .select({ id: documentGroups.sqlite.documentId })
          .from(documentGroups.sqlite)
          .where(eq(documentGroups.sqlite.groupId, view.id));
        return db
          .select()
          .from(D)
          .where(and(live, inArray(D.id, inGroup), text))
          .orderBy(desc(D.updatedAt));
      }
      const scope = view.kind === 'project' ? eq(D.projectId, view.id) : undefined;
      return db
        .select()
        .from(D)
        .where(and(live, scope, text))
        .orderBy(desc(D.updatedAt));
    },
    [view.kind, key, q],
  );
}

export function useDocument(id: string | null) {
  const r = useLiveQuery<Document>((db) => (id ? db.select().from(D).where(eq(D.id, id)) : null), [id]);
  return { document: r.rows.find((d) => d.id === id) ?? null, loading: r.loading };
}

export function useVersions(documentId: string | null) {
  return useLiveQuery<DocumentVersion>(
    (db) =>
      documentId
        ? db
            .select()
            .from(documentVersions.sqlite)
            .where(eq(documentVersions.sqlite.documentId, documentId))
            .orderBy(desc(documentVersions.sqlite.version), desc(documentVersions.sqlite.createdAt))
        : null,
    [documentId],
  );
}

/** Ids of the groups a document is in. */
export function useDocumentGroupIds(documentId: string | null): string[] {
  const { rows } = useLiveQuery(
    (db) =>
      documentId
        ? db
            .select({ groupId: documentGroups.sqlite.groupId })
            .from(documentGroups.sqlite)
            .where(eq(documentGroups.sqlite.documentId, documentId))
        : null,
    [documentId],
  );
  return rows.map((r) => r.groupId);
}

/** Group ids per document, for the list's colour dots. */
export function useGroupLinks(): Map<string, string[]> {
  const { rows } = useLiveQuery(
    (db) =>
      db
        .select({ documentId: documentGroups.sqlite.documentId, groupId: documentGroups.sqlite.groupId })
        .from(documentGroups.sqlite),
    [],
  );
  const m = new Map<string, string[]>();
  for (const r of rows) m.set(r.documentId, [...(m.get(r.documentId) ?? []), r.groupId]);
  return m;
}
