/** What the document list shows. */
export type View =
  | {
      kind: 'all';
    }
  | {
      kind: 'project';
      id: string;
    }
  | {
      kind: 'group';
      id: string;
    }
  | {
      kind: 'trash';
    };
export declare const sameView: (a: View, b: View) => boolean;
