import type { JsonObject, JsonValue } from '../api/types';
import { previewJsonata, type PreviewContext } from '../panel/jsonata-preview';

/** The part of a canvas node the computation reads. */
export interface UpstreamNode {
  id: string;
  nodeType: string;
  isTrigger: boolean;
  params: JsonObject;
}

export interface UpstreamEdge {
  source: string;
  target: string;
}

export interface ComputedInput {
  context: PreviewContext;
  /** Why the input is not the real upstream output, when it is not. */
  note?: string;
}

/** Node types whose output is their input (they only route or wait). */
const PASS_THROUGH = new Set(['filter', 'switch', 'delay']);

/** The chain of nodes from the trigger down to (not including) `nodeId`, first edge first. */
function chainTo(nodes: UpstreamNode[], edges: UpstreamEdge[], nodeId: string): UpstreamNode[] {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const chain: UpstreamNode[] = [];
  const seen = new Set([nodeId]);
  let current = nodeId;
  for (;;) {
    const edge = edges.find((candidate) => candidate.target === current);
    const source = edge ? byId.get(edge.source) : undefined;
    if (!source || seen.has(source.id)) return chain;
    seen.add(source.id);
    chain.unshift(source);
    current = source.id;
  }
}

/**
 * The input a node would receive for the trigger sample, computed in the browser along the
 * first incoming edge of each node: the trigger emits the sample, transforms are evaluated,
 * filters/switches/delays pass their input on. Any other node type runs on the server only: the
 * computation stops there and says so.
 */
export async function computeUpstreamInput(
  nodes: UpstreamNode[],
  edges: UpstreamEdge[],
  nodeId: string,
  sample: PreviewContext,
): Promise<ComputedInput> {
  const chain = chainTo(nodes, edges, nodeId);
  if (chain.length === 0 || !chain[0].isTrigger) {
    return {
      context: sample,
      note: 'Not connected to the trigger: previewing against the trigger sample.',
    };
  }
  const outputs: JsonObject = {};
  let message: JsonValue = sample.message;
  for (const node of chain) {
    if (node.isTrigger || PASS_THROUGH.has(node.nodeType)) {
      outputs[node.id] = message;
      continue;
    }
    const expression = node.params.expression;
    if (node.nodeType === 'transform' && typeof expression === 'string') {
      const result = await previewJsonata(expression, { ...sample, message, nodes: outputs });
      if (result.kind === 'error') {
        return {
          context: { ...sample, message, nodes: outputs },
          note: `"${node.id}" fails on the sample (${result.message}): previewing against its input.`,
        };
      }
      message = result.value ?? null;
      outputs[node.id] = message;
      continue;
    }
    return {
      context: { ...sample, message, nodes: outputs },
      note: `"${node.id}" (${node.nodeType}) runs on the server only: previewing against its input. Use "Last run" for its real output.`,
    };
  }
  return { context: { ...sample, message, nodes: outputs } };
}
