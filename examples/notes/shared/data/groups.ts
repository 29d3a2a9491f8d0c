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
export function groupTree(
  groups: readonly Group[],
  links: readonly { parentGroupId: string; childGroupId: string }[],
): GroupNode[] {
  const byId = new Map(groups.map((g) => [g.id, g]));
  const parentOf = new Map<string, string>();
  for (const l of links) {
    if (byId.has(l.parentGroupId) && byId.has(l.childGroupId) && !parentOf.has(l.childGroupId)) {
      parentOf.set(l.childGroupId, l.parentGroupId);
    }
  }
  const out: GroupNode[] = [];
  const seen = new Set<string>();
  const visit = (g: Group, depth: number) => {
    if (seen.has(g.id)) return;
    seen.add(g.id);
    out.push({ ...g, depth, parentId: parentOf.get(g.id) ?? null });
    for (const c of groups) if (parentOf.get(c.id) === g.id) visit(c, depth + 1);
  };
  for (const g of groups) if (!parentOf.has(g.id)) visit(g, 0);
  for (const g of groups) visit(g, 0); // groups only reachable through a cycle
  return out;
}
