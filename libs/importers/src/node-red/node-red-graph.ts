import type { NodeRedNode } from './node-red-export';

/** Nodes that only carry wires: they vanish, their wires are followed through. */
export const WIRING_TYPES = new Set(['junction', 'link in', 'link out']);

function keepsPayload(node: NodeRedNode): boolean {
  if (node.type === 'delay' || node.type === 'switch') return true;
  if (node.type !== 'change' || !Array.isArray(node.rules)) return false;
  return (node.rules as Array<Record<string, unknown>>).every((rule) => {
    const touched = [rule.p, rule.t === 'move' ? rule.to : undefined];
    return touched.every((path) => typeof path !== 'string' || !/^(msg\.)?payload\b/.test(path));
  });
}

export interface Wire {
  from: string;
  output: number;
  to: string;
}

/**
 * The imported tab's wiring with junctions and link nodes followed through, so every wire runs
 * from a real node's output to a real node.
 */
export class NodeRedGraph {
  readonly wires: Wire[];
  private readonly byId: Map<string, NodeRedNode>;

  constructor(
    readonly nodes: readonly NodeRedNode[],
    all: Map<string, NodeRedNode>,
  ) {
    this.byId = all;
    const onTab = new Set(nodes.map((node) => node.id));
    this.wires = nodes
      .filter((node) => !WIRING_TYPES.has(node.type))
      .flatMap((node) =>
        (node.wires ?? []).flatMap((targets, output) =>
          this.resolve(targets, new Set())
            .filter((to) => onTab.has(to))
            .map((to) => ({ from: node.id, output, to })),
        ),
      );
  }

  node(id: string): NodeRedNode | undefined {
    return this.byId.get(id);
  }

  /** Targets with junctions and `link out` -> `link in` pairs replaced by where they lead. */
  private resolve(targets: readonly string[], seen: Set<string>): string[] {
    return targets.flatMap((id) => {
      const target = this.byId.get(id);
      if (!target || seen.has(id)) return [];
      if (!WIRING_TYPES.has(target.type)) return [id];
      seen.add(id);
      if (target.type === 'link out') {
        const links = Array.isArray(target.links) ? target.links.map(String) : [];
        return target.mode === 'return' ? [] : this.resolve(links, seen);
      }
      return this.resolve(target.wires?.[0] ?? [], seen);
    });
  }

  parents(id: string): NodeRedNode[] {
    return this.wires
      .filter((wire) => wire.to === id)
      .flatMap((wire) => this.byId.get(wire.from) ?? []);
  }

  /** Every node with a path to `id` (not `id` itself unless on a loop). */
  ancestors(id: string): NodeRedNode[] {
    const seen = new Set<string>();
    const queue = [id];
    while (queue.length > 0) {
      const current = queue.shift() as string;
      for (const parent of this.parents(current)) {
        if (!seen.has(parent.id)) {
          seen.add(parent.id);
          queue.push(parent.id);
        }
      }
    }
    return [...seen].flatMap((ancestor) => this.byId.get(ancestor) ?? []);
  }

  /** Every node reachable from `id`. */
  descendants(id: string): NodeRedNode[] {
    const seen = new Set<string>();
    const queue = [id];
    while (queue.length > 0) {
      const current = queue.shift() as string;
      for (const wire of this.wires.filter((candidate) => candidate.from === current)) {
        if (!seen.has(wire.to)) {
          seen.add(wire.to);
          queue.push(wire.to);
        }
      }
    }
    return [...seen].flatMap((descendant) => this.byId.get(descendant) ?? []);
  }

  /**
   * The nodes that last set msg.payload on the paths into `id`: delays, switches and change
   * nodes that leave msg.payload alone are looked through.
   */
  payloadOrigins(id: string, seen: Set<string> = new Set()): NodeRedNode[] {
    return this.parents(id).flatMap((parent) => {
      if (seen.has(parent.id)) return [];
      seen.add(parent.id);
      return keepsPayload(parent) ? this.payloadOrigins(parent.id, seen) : [parent];
    });
  }

  /** A split upstream with no join between it and `id`: `id` runs once per item. */
  insideSplit(id: string, seen: Set<string> = new Set()): boolean {
    return this.parents(id).some((parent) => {
      if (seen.has(parent.id)) return false;
      seen.add(parent.id);
      if (parent.type === 'join') return false;
      if (parent.type === 'split') return true;
      return this.insideSplit(parent.id, seen);
    });
  }
}
