/** What the document list shows. */
export type View =
  | { kind: 'all' }
  | { kind: 'project'; id: string }
  | { kind: 'group'; id: string }
  | { kind: 'trash' };

export const sameView = (a: View, b: View): boolean =>
  a.kind === b.kind && ('id' in a ? a.id : null) === ('id' in b ? b.id : null);
