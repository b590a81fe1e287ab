// The registry's orgs as a tree (committees at the roots), for the API and the CLI.
export interface OrgListItem {
  readonly code: string;
  readonly name: string;
  readonly kind: string | null;
  readonly parentCode: string | null;
  readonly category: string | null;
}

export type OrgNode = OrgListItem & { children: OrgNode[] };

/** Orgs whose parent is not registered are roots too, so nothing disappears from the tree. */
export function orgTree(list: readonly OrgListItem[]): OrgNode[] {
  const nodes = new Map(list.map((o) => [o.code, { ...o, children: [] as OrgNode[] }]));
  const roots: OrgNode[] = [];
  for (const n of nodes.values()) {
    const parent = n.parentCode === null ? undefined : nodes.get(n.parentCode);
    if (parent && parent !== n) parent.children.push(n);
    else roots.push(n);
  }
  return roots;
}
