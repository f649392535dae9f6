import { flowNode, stringProp, type MappedNode, type MapContext, type Mapper } from './mapped-node';
import type { NodeRedNode } from './node-red-export';

/** Properties that are layout or wiring, not behaviour: left out of `original`. */
const LAYOUT = new Set(['x', 'y', 'z', 'wires', 'g', 'credentials']);

function originalOf(node: NodeRedNode): Record<string, unknown> {
  return Object.fromEntries(Object.entries(node).filter(([key]) => !LAYOUT.has(key)));
}

/**
 * An `unsupported` node keeping the original (and its code): it fails when a run reaches it.
 * Every output of the original leaves from its one port.
 */
export function unsupportedNodeFor(
  node: NodeRedNode,
  ctx: MapContext,
  reason: string,
  code?: string,
): MappedNode {
  const made = flowNode(node, ctx, {
    type: 'unsupported',
    params: {
      source: 'node-red',
      sourceType: node.type,
      reason,
      ...(code !== undefined ? { code } : {}),
      original: originalOf(node),
    },
  });
  const outputs = node.wires?.length ?? 0;
  const notes = [reason];
  if (outputs > 1)
    notes.push(`its ${outputs} outputs all leave from the one output of the placeholder`);
  return { outcome: 'unsupported', notes, nodes: [made], exit: () => ({ from: made.id }) };
}

/** `function` -> unsupported, with its JavaScript shown (setup and close code included). */
export const mapFunction: Mapper = (node, ctx) => {
  const parts = [
    ['// On start', stringProp(node, 'initialize')],
    ['', stringProp(node, 'func')],
    ['// On stop', stringProp(node, 'finalize')],
  ].filter(([, code]) => code.trim() !== '');
  const code = parts.map(([title, body]) => (title ? `${title}\n${body}` : body)).join('\n\n');
  const libs = Array.isArray(node.libs) && node.libs.length > 0 ? ' (it also loads modules)' : '';
  return unsupportedNodeFor(
    node,
    ctx,
    `a Node-RED function runs JavaScript${libs}; rewrite it as a transform (JSONata) or set node`,
    code,
  );
};

/** Nodes with no job in Hookflow: they are dropped, wires through them too. */
export const mapDropped =
  (why: string): Mapper =>
  () => ({ outcome: 'converted', notes: [why], nodes: [], exit: () => undefined });

export const DROPPED: Record<string, string> = {
  debug: 'dropped: Hookflow records what every node received and produced in the run',
  comment: 'dropped: a canvas comment',
  junction: 'wiring only: its wires were connected through',
  'link in': 'wiring only: its wires were connected through',
  'link out': 'wiring only: its wires were connected through',
};

/** Anything else: kept as an unsupported node saying what it was. */
export const mapUnknown: Mapper = (node, ctx) => {
  const subflow = node.type.startsWith('subflow:')
    ? ctx.graph.node(node.type.slice('subflow:'.length))
    : undefined;
  const subflowName = typeof subflow?.name === 'string' && subflow.name !== '' ? subflow.name : '';
  const reason = node.type.startsWith('subflow:')
    ? `an instance of the subflow "${subflowName || node.type.slice(8)}"; Hookflow has no subflows: rebuild its nodes in this flow`
    : ['inject', 'catch', 'status', 'complete', 'link call'].includes(node.type)
      ? `the ${node.type} node has no Hookflow equivalent`
      : `no Hookflow node type converts Node-RED's "${node.type}"`;
  return unsupportedNodeFor(node, ctx, reason);
};
