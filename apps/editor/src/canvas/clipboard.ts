import { isJsonObject, type FlowDocument, type NodeTypeView } from '../api/types';
import { documentToGraph, edgeId, graphToDocument, nextNodeId, type FlowGraph } from './flow-graph';

/** The selected nodes and the edges between them, as a flow document fragment. */
export function copySelection(graph: FlowGraph): FlowDocument | undefined {
  const nodes = graph.nodes.filter((node) => node.selected);
  if (nodes.length === 0) return undefined;
  const ids = new Set(nodes.map((node) => node.id));
  const edges = graph.edges.filter((edge) => ids.has(edge.source) && ids.has(edge.target));
  return graphToDocument({ name: 'clipboard', extra: {} }, { nodes, edges });
}

/** Pasted flow JSON as new nodes (fresh ids, shifted) selected, added to the graph. */
export function pasteDocument(
  graph: FlowGraph,
  text: string,
  types: NodeTypeView[],
): FlowGraph | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isJsonObject(parsed) || !Array.isArray(parsed.nodes) || !Array.isArray(parsed.edges))
    return undefined;
  const fragment = documentToGraph(parsed as unknown as FlowDocument, types);
  const taken = new Set(graph.nodes.map((node) => node.id));
  const renamed = new Map<string, string>();
  for (const node of fragment.nodes) {
    const id = taken.has(node.id) ? nextNodeId(node.id, taken) : node.id;
    taken.add(id);
    renamed.set(node.id, id);
  }
  const rename = (id: string) => renamed.get(id) ?? id;
  const nodes = fragment.nodes.map((node) => ({
    ...node,
    id: rename(node.id),
    selected: true,
    position: { x: node.position.x + 40, y: node.position.y + 40 },
  }));
  const edges = fragment.edges.map((edge) => ({
    ...edge,
    id: edgeId(rename(edge.source), edge.sourceHandle ?? 'main', rename(edge.target)),
    source: rename(edge.source),
    target: rename(edge.target),
  }));
  return {
    nodes: [...graph.nodes.map((node) => ({ ...node, selected: false })), ...nodes],
    edges: [...graph.edges, ...edges],
  };
}
