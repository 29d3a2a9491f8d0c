import type { WriteContext } from './db.js';
/** Group colours, picked in turn. */
export declare const GROUP_COLORS: string[];
/** The longest project or group name. */
export declare const MAX_NAME = 120;
/** A project or group name, trimmed; `CLIENT_USAGE` with a sentence the UI can show if it is unusable. */
export declare function checkName(name: unknown, what: 'project' | 'group'): string;
export declare function createProject(ctx: WriteContext, name: string): Promise<string>;
export declare function renameProject(ctx: WriteContext, projectId: string, name: string): Promise<void>;
/** Soft-deletes the project and moves its documents to the trash, in one transaction. */
export declare function deleteProject(ctx: WriteContext, projectId: string): Promise<void>;
export declare function createGroup(
  ctx: WriteContext,
  name: string,
  parentId: string | null,
  color: string,
): Promise<string>;
export declare function renameGroup(ctx: WriteContext, groupId: string, name: string): Promise<void>;
export declare function deleteGroup(ctx: WriteContext, groupId: string): Promise<void>;
/** Creates a document (and its version 1) in a project (or none) and, optionally, a group. */
export declare function createDocument(
  ctx: WriteContext,
  input: {
    title: string;
    content?: string;
    projectId: string | null;
    groupId?: string | null;
  },
): Promise<string>;
/** Saves an edit: updates the document and records the next version, in one transaction. */
export declare function saveDocument(
  ctx: WriteContext,
  documentId: string,
  edit: {
    title: string;
    content: string;
  },
): Promise<number>;
export declare function moveDocument(
  ctx: WriteContext,
  documentId: string,
  projectId: string | null,
): Promise<void>;
/** Moves the document to the trash (soft delete: `deleted_at`). */
export declare function trashDocument(ctx: WriteContext, documentId: string): Promise<void>;
export declare function restoreDocument(ctx: WriteContext, documentId: string): Promise<void>;
/**
 * The id of a document ⇄ group link derives from the pair, so two devices adding the same document to the
 * same group while offline write the same row instead of violating the unique index.
 */
export declare function pairId(documentId: string, groupId: string): string;
export declare function addToGroup(ctx: WriteContext, documentId: string, groupId: string): Promise<void>;
export declare function removeFromGroup(
  ctx: WriteContext,
  documentId: string,
  groupId: string,
): Promise<void>;
/** Every write by name: what the Electron renderer may ask the main process to run. */
export declare const ACTIONS: {
  createProject: typeof createProject;
  renameProject: typeof renameProject;
  deleteProject: typeof deleteProject;
  createGroup: typeof createGroup;
  renameGroup: typeof renameGroup;
  deleteGroup: typeof deleteGroup;
  createDocument: typeof createDocument;
  saveDocument: typeof saveDocument;
  moveDocument: typeof moveDocument;
  trashDocument: typeof trashDocument;
  restoreDocument: typeof restoreDocument;
  addToGroup: typeof addToGroup;
  removeFromGroup: typeof removeFromGroup;
};
export type ActionName = keyof typeof ACTIONS;
type Rest<F> = F extends (ctx: WriteContext, ...args: infer A) => unknown ? A : never;
/** The arguments of an action after the context. */
export type ActionArgs<K extends ActionName> = Rest<(typeof ACTIONS)[K]>;
/** What an action resolves to. */
export type ActionResult<K extends ActionName> = Awaited<ReturnType<(typeof ACTIONS)[K]>>;
/**
 * Runs an action named by an untrusted sender (the Electron renderer): `CLIENT_USAGE` for an unknown name;
 * each action checks its own arguments.
 *
 * @example
 * await runAction(ctx, 'createProject', ['Household']);
 */
export declare function runAction(ctx: WriteContext, name: unknown, args: unknown): Promise<unknown>;
