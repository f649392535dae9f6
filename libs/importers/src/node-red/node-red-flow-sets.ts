import type { NodeRedNode } from './node-red-export';

/** Nodes that do nothing at run time: alone they do not make a flow. */
const PASSIVE = new Set(['comment', 'debug', 'junction', 'link in', 'link out']);

/** One connected set of nodes of one `z` group (tab). */
export interface FlowSet {
  /** The `z` the nodes share ('' when they have none). */
  group: string;
  nodes: NodeRedNode[];
  /** Whether the group holds several sets (the tab label alone does not name this one). */
  split: boolean;
  /** What the set does: `GET /hello` for an http in, else its first node's name. */
  title: string;
}

/** Union-find over node ids. */
class Sets {
  private readonly parent = new Map<string, string>();

  root(id: string): string {
    let current = id;
    while ((this.parent.get(current) ?? current) !== current) {
      current = this.parent.get(current) as string;
    }
    this.parent.set(id, current);
    return current;
  }

  join(a: string, b: string): void {
    const rootA = this.root(a);
    const rootB = this.root(b);
    if (rootA !== rootB) this.parent.set(rootB, rootA);
  }
}

/** Wires and link-node pairs: what ties two nodes into one flow. */
function neighbours(node: NodeRedNode): string[] {
  const wired = (node.wires ?? []).flat();
  const links = Array.isArray(node.links) ? node.links.map(String) : [];
  return [...wired, ...links];
}

function titleOf(nodes: readonly NodeRedNode[]): string {
  const httpIn = nodes.find((node) => node.type === 'http in');
  if (httpIn) {
    const method = typeof httpIn.method === 'string' ? httpIn.method.toUpperCase() : 'GET';
    return `${method} ${typeof httpIn.url === 'string' ? httpIn.url : ''}`.trim();
  }
  const named = nodes.find(
    (node) => !PASSIVE.has(node.type) && typeof node.name === 'string' && node.name !== '',
  );
  return named?.name ?? nodes.find((node) => !PASSIVE.has(node.type))?.type ?? '';
}

function connectedSets(group: string, nodes: readonly NodeRedNode[]): FlowSet[] {
  const ids = new Set(nodes.map((node) => node.id));
  const sets = new Sets();
  for (const node of nodes) {
    for (const target of neighbours(node)) if (ids.has(target)) sets.join(node.id, target);
  }
  const byRoot = new Map<string, NodeRedNode[]>();
  for (const node of nodes) {
    const root = sets.root(node.id);
    byRoot.set(root, [...(byRoot.get(root) ?? []), node]);
  }
  const active = [...byRoot.values()].filter((set) => set.some((node) => !PASSIVE.has(node.type)));
  const passive = [...byRoot.values()].filter((set) => !active.includes(set));
  if (active.length === 0) return [{ group, nodes: [...nodes], split: false, title: '' }];
  // Comments and loose debug nodes go with the group's first flow, where the report lists them.
  const order = new Map(nodes.map((node, index) => [node.id, index]));
  const first = [...active[0], ...passive.flat()].sort(
    (a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0),
  );
  return [first, ...active.slice(1)].map((set) => ({
    group,
    nodes: set,
    split: active.length > 1,
    title: titleOf(set),
  }));
}

/**
 * Splits the flow nodes of an export into flows: grouped by `z` (their tab, present in the file
 * or not), each group split into connected sets of nodes. A selected-nodes or clipboard export
 * of a tab thus gives the same flows as the full export.
 */
export function flowSets(nodes: readonly NodeRedNode[]): FlowSet[] {
  const groups = new Map<string, NodeRedNode[]>();
  for (const node of nodes) {
    const group = typeof node.z === 'string' ? node.z : '';
    groups.set(group, [...(groups.get(group) ?? []), node]);
  }
  return [...groups].flatMap(([group, members]) => connectedSets(group, members));
}
