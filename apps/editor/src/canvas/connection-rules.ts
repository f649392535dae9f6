import type { FlowGraph } from './flow-graph';

export interface ProposedConnection {
  source: string | null;
  sourceHandle?: string | null;
  target: string | null;
}

function reaches(graph: FlowGraph, from: string, to: string): boolean {
  const stack = [from];
  const seen = new Set<string>();
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const edge of graph.edges) if (edge.source === id) stack.push(edge.target);
  }
  return false;
}

/** Why a connection is refused, or undefined when it is fine. */
export function connectionProblem(
  graph: FlowGraph,
  connection: ProposedConnection,
): string | undefined {
  const { source, target } = connection;
  if (!source || !target) return 'connect an output port to an input port';
  if (source === target) return 'a node cannot feed itself';
  const sourceNode = graph.nodes.find((node) => node.id === source);
  const targetNode = graph.nodes.find((node) => node.id === target);
  if (!sourceNode || !targetNode) return 'both ends must be nodes on the canvas';
  if (targetNode.data.isTrigger) return 'a trigger starts the flow; nothing can feed it';
  const port = connection.sourceHandle ?? 'main';
  if (!sourceNode.data.outputs.includes(port)) {
    return `${sourceNode.id} has no output "${port}" (it has ${sourceNode.data.outputs.join(', ')})`;
  }
  const duplicate = graph.edges.some(
    (edge) =>
      edge.source === source && (edge.sourceHandle ?? 'main') === port && edge.target === target,
  );
  if (duplicate) return 'these ports are already connected';
  if (reaches(graph, target, source)) return 'a flow cannot loop back (it must stay acyclic)';
  return undefined;
}
