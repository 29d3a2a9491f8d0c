/**
 * Every query the notes app watches, by name. Names and plain-data arguments (not query objects) are what
 * cross a process boundary: the Electron renderer asks the main process to watch `documents` with
 * `{ view, search }`; the web and mobile apps run the same builders on their own database.
 */
import { and, asc, count, desc, eq, inArray, isNotNull, isNull, like, or } from 'drizzle-orm';
import {
  documentGroups,
  documents,
  documentVersions,
  groupHierarchy,
  groups,
  projectMembers,
  projects,
} from '../../schema.js';
import type { NotesDb } from './db.js';
import { NotesError } from './errors.js';
import type { View } from './view.js';

const D = documents.sqlite;

function documentsOf(db: NotesDb, a: { view: View; search: string }) {
  const q = a.search.trim();
  const text = q ? or(like(D.title, `%${q}%`), like(D.content, `%${q}%`)) : undefined;
  const live = a.view.kind === 'trash' ? isNotNull(D.deletedAt) : isNull(D.deletedAt);
  if (a.view.kind === 'group') {
    const inGroup = db
      .select({ id: documentGroups.sqlite.documentId })
      .from(documentGroups.sqlite)
      .where(eq(documentGroups.sqlite.groupId, a.view.id));
    return db
      .select()
      .from(D)
      .where(and(live, inArray(D.id, inGroup), text))
      .orderBy(desc(D.updatedAt));
  }
  const scope = a.view.kind === 'project' ? eq(D.projectId, a.view.id) : undefined;
  return db
    .select()
    .from(D)
    .where(and(live, scope, text))
    .orderBy(desc(D.updatedAt));
}

/** The queries, each `(db, args) => Drizzle select`. */
export const QUERIES = {
  /** Live projects by name. */
  projects: (db: NotesDb) =>
    db
      .select()
      .from(projects.sqlite)
      .where(isNull(projects.sqlite.deletedAt))
      .orderBy(asc(projects.sqlite.name)),
  /** Who each visible project is shared with (the owner's shares, and the user's own memberships). */
  members: (db: NotesDb) =>
    db
      .select()
      .from(projectMembers.sqlite)
      .orderBy(asc(projectMembers.sqlite.email), asc(projectMembers.sqlite.id)),
  /** Live groups by name (arranged as a tree by `groupTree`). */
  groups: (db: NotesDb) =>
    db.select().from(groups.sqlite).where(isNull(groups.sqlite.deletedAt)).orderBy(asc(groups.sqlite.name)),
  /** Parent → child links between groups. */
  groupLinks: (db: NotesDb) => db.select().from(groupHierarchy.sqlite),
  /** Documents not in the trash, counted per project id (null = none). */
  projectCounts: (db: NotesDb) =>
    db.select({ projectId: D.projectId, n: count() }).from(D).where(isNull(D.deletedAt)).groupBy(D.projectId),
  /** The documents of a view, most recently edited first, optionally filtered by a search text. */
  documents: documentsOf,
  /** One document (trashed or not). */
  document: (db: NotesDb, a: { id: string }) => db.select().from(D).where(eq(D.id, a.id)),
  /** A document's saved versions, newest first. */
  versions: (db: NotesDb, a: { documentId: string }) =>
    db
      .select()
      .from(documentVersions.sqlite)
      .where(eq(documentVersions.sqlite.documentId, a.documentId))
      .orderBy(desc(documentVersions.sqlite.version), desc(documentVersions.sqlite.createdAt)),
  /** The group ids of one document. */
  documentGroupIds: (db: NotesDb, a: { documentId: string }) =>
    db
      .select({ groupId: documentGroups.sqlite.groupId })
      .from(documentGroups.sqlite)
      .where(eq(documentGroups.sqlite.documentId, a.documentId)),
  /** Every document ⇄ group link (the list's colour dots). */
  documentGroupLinks: (db: NotesDb) =>
    db
      .select({ documentId: documentGroups.sqlite.documentId, groupId: documentGroups.sqlite.groupId })
      .from(documentGroups.sqlite),
  /** Saved versions per document (the mobile list shows "3 versions"). */
  versionCounts: (db: NotesDb) =>
    db
      .select({ documentId: documentVersions.sqlite.documentId, n: count() })
      .from(documentVersions.sqlite)
      .groupBy(documentVersions.sqlite.documentId),
};

export type QueryName = keyof typeof QUERIES;
/** The arguments of a query (`undefined` for those without). */
export type QueryArgs<K extends QueryName> = Parameters<(typeof QUERIES)[K]>[1];
/** One row of a query's result. */
export type QueryRow<K extends QueryName> = Awaited<ReturnType<(typeof QUERIES)[K]>>[number];

/**
 * Checks a query name and its arguments from an untrusted sender (the Electron renderer) and builds the
 * query: `CLIENT_USAGE` for anything else.
 *
 * @example
 * const query = buildQuery(db, 'documents', { view: { kind: 'all' }, search: '' });
 */
export function buildQuery(db: NotesDb, name: unknown, args: unknown) {
  if (typeof name !== 'string' || !Object.hasOwn(QUERIES, name)) {
    throw new NotesError('CLIENT_USAGE', `Unknown query ${JSON.stringify(name)}.`);
  }
  const a = (args ?? {}) as Record<string, unknown>;
  if (typeof a !== 'object' || Array.isArray(a))
    throw new NotesError('CLIENT_USAGE', `${name}: bad arguments.`);
  switch (name as QueryName) {
    case 'documents':
      return QUERIES.documents(db, { view: parseView(a.view), search: str(a.search, 'search', true) });
    case 'document':
      return QUERIES.document(db, { id: str(a.id, 'id') });
    case 'versions':
      return QUERIES.versions(db, { documentId: str(a.documentId, 'documentId') });
    case 'documentGroupIds':
      return QUERIES.documentGroupIds(db, { documentId: str(a.documentId, 'documentId') });
    default:
      return (QUERIES[name as QueryName] as (db: NotesDb) => ReturnType<(typeof QUERIES)['projects']>)(db);
  }
}

function str(v: unknown, name: string, allowEmpty = false): string {
  if (typeof v !== 'string' || (!allowEmpty && v === '')) {
    throw new NotesError('CLIENT_USAGE', `"${name}" must be a ${allowEmpty ? '' : 'non-empty '}string.`);
  }
  return v;
}

function parseView(v: unknown): View {
  const o = (v ?? {}) as { kind?: unknown; id?: unknown };
  if (o.kind === 'all' || o.kind === 'trash') return { kind: o.kind };
  if (o.kind === 'project' || o.kind === 'group') return { kind: o.kind, id: str(o.id, 'view.id') };
  throw new NotesError('CLIENT_USAGE', '"view" must be all, trash, a project or a group.');
}
