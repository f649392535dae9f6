import { ImportInputError } from '../import-report';
import { flowSets } from './node-red-flow-sets';

/** One object of a Node-RED flow export (`id`, `type`, `z` = its tab, `wires` = outputs). */
export interface NodeRedNode {
  id: string;
  type: string;
  z?: string;
  name?: string;
  x?: number;
  y?: number;
  /** One array of target node ids per output. */
  wires?: string[][];
  [property: string]: unknown;
}

/** One set of nodes that becomes one Hookflow flow. */
export interface NodeRedFlowSource {
  /** The flow's name: the tab's label, else what the flow serves (`GET /hello`). */
  name: string;
  description?: string;
  /** Its nodes (wired nodes, comments, junctions...), in export order. */
  nodes: NodeRedNode[];
  warnings: string[];
}

/** The export, sorted into the flows it holds (those with an `http in` first). */
export interface NodeRedExport {
  flows: NodeRedFlowSource[];
  /** Every node by id (config nodes included), for link and config lookups. */
  byId: Map<string, NodeRedNode>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A flow node sits on a canvas (x, y) or has outputs; config nodes have neither. */
export function isFlowNode(node: NodeRedNode): boolean {
  return (typeof node.x === 'number' && typeof node.y === 'number') || Array.isArray(node.wires);
}

function checkNode(value: unknown, index: number): NodeRedNode {
  if (!isObject(value)) {
    throw new ImportInputError(`item ${index} is not an object`, `/${index}`);
  }
  if (typeof value.id !== 'string' || value.id === '') {
    throw new ImportInputError(`item ${index} has no string "id"`, `/${index}/id`);
  }
  if (typeof value.type !== 'string' || value.type === '') {
    throw new ImportInputError(`item ${index} has no string "type"`, `/${index}/type`);
  }
  if (
    value.wires !== undefined &&
    !(
      Array.isArray(value.wires) &&
      value.wires.every(
        (output) => Array.isArray(output) && output.every((target) => typeof target === 'string'),
      )
    )
  ) {
    throw new ImportInputError(
      `node ${value.id}: "wires" must be an array of arrays of node ids`,
      `/${index}/wires`,
    );
  }
  return value as NodeRedNode;
}

/**
 * The node list and the JSON pointer prefix of its items. Node-RED writes: the editor's export
 * and clipboard (an array), the admin API `GET /flows` (`{ rev, flows: [...] }`) and
 * `GET /flow/:id` (one tab: `{ id, label, nodes, configs, subflows }`).
 */
function itemsOf(input: unknown): { items: unknown[]; prefix: string } {
  if (Array.isArray(input)) return { items: input, prefix: '' };
  if (isObject(input) && Array.isArray(input.flows))
    return { items: input.flows, prefix: '/flows' };
  if (isObject(input) && Array.isArray(input.nodes) && typeof input.id === 'string') {
    const extra = [input.configs, input.subflows].flatMap((list) =>
      Array.isArray(list) ? list : [],
    );
    const tab = { id: input.id, type: 'tab', label: input.label, info: input.info };
    return { items: [tab, ...input.nodes, ...extra], prefix: '' };
  }
  throw new ImportInputError('a Node-RED export is a JSON array of nodes', '');
}

function readNodes(input: unknown): NodeRedNode[] {
  const { items, prefix } = itemsOf(input);
  try {
    return items.map((item, index) => checkNode(item, index));
  } catch (error) {
    if (error instanceof ImportInputError && prefix) {
      throw new ImportInputError(error.message, `${prefix}${error.path}`);
    }
    throw error;
  }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/**
 * Reads a Node-RED export in any shape the editor or the admin API writes: a full export, one
 * tab, selected nodes (their `z` names a tab the file does not hold), a clipboard array, a library
 * or example flow (no `z` at all). Nodes are grouped by `z`; each group is split into its
 * connected sets of nodes, and each set is one flow. Throws ImportInputError when it is not one.
 */
export function readNodeRedExport(input: unknown): NodeRedExport {
  const all = readNodes(input);
  const byId = new Map(all.map((node) => [node.id, node]));
  const tabs = new Map(all.filter((node) => node.type === 'tab').map((tab) => [tab.id, tab]));
  const subflows = all.filter((node) => node.type === 'subflow');
  const subflowIds = new Set(subflows.map((flow) => flow.id));
  const flowNodes = all.filter(
    (node) =>
      !['tab', 'subflow', 'group'].includes(node.type) &&
      isFlowNode(node) &&
      !subflowIds.has(node.z ?? ''),
  );
  if (flowNodes.length === 0) {
    throw new ImportInputError('the export holds no flow nodes (only tabs or config nodes)', '');
  }
  const shared: string[] = [];
  const configTypes = [
    ...new Set(
      all
        .filter((node) => !isFlowNode(node) && !['tab', 'subflow', 'group'].includes(node.type))
        .map((node) => node.type),
    ),
  ];
  if (configTypes.length > 0) {
    shared.push(
      `config nodes (${configTypes.join(', ')}) were not imported: Hookflow keeps servers and secrets in credentials`,
    );
  }
  const flows: NodeRedFlowSource[] = [];
  for (const set of flowSets(flowNodes)) {
    const tab = tabs.get(set.group);
    const label = text(tab?.label);
    const info = text(tab?.info);
    const name = label && !set.split ? label : [label, set.title].filter(Boolean).join(': ');
    const used = new Set(set.nodes.map((node) => node.type));
    const subflowNotes = subflows
      .filter((flow) => used.has(`subflow:${flow.id}`))
      .map(
        (flow) =>
          `subflow "${text(flow.name) || flow.id}" is not expanded: Hookflow has no subflows; its instances are kept as unsupported nodes`,
      );
    flows.push({
      name: (name || 'Imported from Node-RED').slice(0, 200),
      ...(info ? { description: info.slice(0, 5000) } : {}),
      nodes: set.nodes,
      warnings: [...subflowNotes, ...shared],
    });
  }
  // The flow answering HTTP comes first: it is the one an import names as `flow`.
  const serving = (flow: NodeRedFlowSource): number =>
    Number(flow.nodes.some((node) => node.type === 'http in'));
  flows.sort((a, b) => serving(b) - serving(a));
  return { flows, byId };
}
