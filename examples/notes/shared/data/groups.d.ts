/** Groups as a tree (pure: no database, no UI). */
import type { Group } from '../../schema.js';
/** A group and its place in the tree. */
export interface GroupNode extends Group {
  depth: number;
  parentId: string | null;
}
/**
 * Orders groups as a tree: children after their parent, with their `depth`. A link to a missing group is
 * ignored, a group with two parents keeps the first, and a cycle (made on two devices) shows each group once.
 *
 * @example
 * groupTree(groups, links); // [{ name: 'Work', depth: 0 }, { name: 'Urgent', depth: 1, parentId: … }]
 */
export declare function groupTree(
  groups: readonly Group[],
  links: readonly {
    parentGroupId: string;
    childGroupId: string;
  }[],
): GroupNode[];
