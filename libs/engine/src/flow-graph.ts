import type { FlowEdge } from './flow-document';
import { DEFAULT_PORT } from './flow-document';

/** Children of each node by output port: `children.get(nodeId)?.get(port)`. */
export type ChildMap = Map<string, Map<string, string[]>>;

export function buildChildMap(edges: readonly FlowEdge[]): ChildMap {
  const children: ChildMap = new Map();
  for (const edge of edges) {
    const port = edge.port ?? DEFAULT_PORT;
    let byPort = children.get(edge.from);
    if (!byPort) {
      byPort = new Map();
      children.set(edge.from, byPort);
    }
    const targets = byPort.get(port) ?? [];
    if (!targets.includes(edge.to)) targets.push(edge.to);
    byPort.set(port, targets);
  }
  return children;
}

/**
 * Finds the edges that close a cycle (depth-first, back edges), returning each with the loop
 * of node ids it closes, so the message can name the whole loop.
 */
export function findCycles(
  nodeIds: readonly string[],
  edges: readonly FlowEdge[],
): Array<{ edgeIndex: number; loop: string[] }> {
  const outgoing = new Map<string, Array<{ to: string; edgeIndex: number }>>();
  edges.forEach((edge, edgeIndex) => {
    // compileFlow runs this on documents that failed the schema too; skip non-object edges.
    if (typeof edge !== 'object' || edge === null) return;
    const list = outgoing.get(edge.from) ?? [];
    list.push({ to: edge.to, edgeIndex });
    outgoing.set(edge.from, list);
  });
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const found: Array<{ edgeIndex: number; loop: string[] }> = [];

  const visit = (nodeId: string): void => {
    state.set(nodeId, 'visiting');
    stack.push(nodeId);
    for (const { to, edgeIndex } of outgoing.get(nodeId) ?? []) {
      const seen = state.get(to);
      if (seen === 'visiting') {
        found.push({ edgeIndex, loop: [...stack.slice(stack.indexOf(to)), to] });
      } else if (seen === undefined) {
        visit(to);
      }
    }
    stack.pop();
    state.set(nodeId, 'done');
  };

  for (const nodeId of nodeIds) if (!state.has(nodeId)) visit(nodeId);
  return found;
}
