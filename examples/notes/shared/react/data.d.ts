import type { Document } from '../../schema.js';
import { type GroupNode } from '../data/groups.js';
import type { View } from '../data/view.js';
export declare const useProjects: () => import('./live.js').LiveQuery<{
  id: string;
  name: string;
  ownerId: string | null;
  isDefault: boolean;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}>;
/** Live groups, ordered as a tree (children after their parent, with their `depth`). */
export declare function useGroups(): {
  groups: GroupNode[];
  loading: boolean;
};
/** Live counts of documents (not in the trash) per project id (`''` = no project). */
export declare function useProjectCounts(): Map<string, number>;
/** The documents of a view, most recently edited first, filtered by a search text. */
export declare const useDocuments: (
  view: View,
  search: string,
) => import('./live.js').LiveQuery<{
  id: string;
  title: string | null;
  content: string;
  ownerId: string | null;
  projectId: string | null;
  deviceId: string;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}>;
/** One document (null while loading or when it does not exist). */
export declare function useDocument(id: string | null): {
  document: Document | null;
  loading: boolean;
};
export declare const useVersions: (documentId: string | null) => import('./live.js').LiveQuery<{
  id: string;
  documentId: string;
  ownerId: string | null;
  title: string | null;
  content: string;
  version: number;
  deviceId: string | null;
  createdAt: string;
}>;
/** Ids of the groups a document is in. */
export declare function useDocumentGroupIds(documentId: string | null): string[];
/** Group ids per document, for the list's colour dots. */
export declare function useGroupLinks(): Map<string, string[]>;
