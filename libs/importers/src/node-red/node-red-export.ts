import { ImportInputError } from '../import-report';

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

/** The export, sorted: the one tab that becomes the Hookflow flow, and what is left out. */
export interface NodeRedExport {
  /** The flow's name: the tab's label. */
  name: string;
  description?: string;
  /** Nodes of the imported tab (wired nodes, comments, junctions...), in export order. */
  nodes: NodeRedNode[];
  /** Every node by id (config nodes included), for link and config lookups. */
  byId: Map<string, NodeRedNode>;
  warnings: string[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A flow node sits on a canvas (x, y) or has outputs; config nodes have neither. */
function isFlowNode(node: NodeRedNode): boolean {
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

/** The tab to import: the one with the first `http in` node, else the first tab with nodes. */
function pickTab(nodes: readonly NodeRedNode[], tabs: readonly NodeRedNode[]): string | undefined {
  const onTabs = nodes.filter(
    (node) => node.z === undefined || tabs.some((tab) => tab.id === node.z),
  );
  const httpIn = onTabs.find((node) => node.type === 'http in');
  return (httpIn ?? onTabs[0])?.z;
}

/**
 * Reads a Node-RED export: the array the editor's Export dialog writes (or `{ flows: [...] }`
 * from the admin API). Throws ImportInputError when it is not one.
 */
export function readNodeRedExport(input: unknown): NodeRedExport {
  const items = isObject(input) && Array.isArray(input.flows) ? input.flows : input;
  const prefix = items === input ? '' : '/flows';
  if (!Array.isArray(items)) {
    throw new ImportInputError('a Node-RED export is a JSON array of nodes', prefix || '');
  }
  let all: NodeRedNode[];
  try {
    all = items.map((item, index) => checkNode(item, index));
  } catch (error) {
    if (error instanceof ImportInputError && prefix) {
      throw new ImportInputError(error.message, `${prefix}${error.path}`);
    }
    throw error;
  }
  const byId = new Map(all.map((node) => [node.id, node]));
  const tabs = all.filter((node) => node.type === 'tab');
  const subflows = all.filter((node) => node.type === 'subflow');
  const inSubflow = (node: NodeRedNode): boolean => subflows.some((flow) => flow.id === node.z);
  const flowNodes = all.filter(
    (node) =>
      node.type !== 'tab' &&
      node.type !== 'subflow' &&
      node.type !== 'group' &&
      isFlowNode(node) &&
      !inSubflow(node),
  );
  if (flowNodes.length === 0) {
    throw new ImportInputError(
      'the export holds no flow nodes (only tabs or config nodes)',
      prefix,
    );
  }
  const tabId = pickTab(flowNodes, tabs);
  const nodes = flowNodes.filter((node) => node.z === tabId);
  const tab = tabs.find((candidate) => candidate.id === tabId);
  const warnings: string[] = [];
  for (const other of tabs.filter((candidate) => candidate.id !== tabId)) {
    const count = flowNodes.filter((node) => node.z === other.id).length;
    warnings.push(
      `tab "${String(other.label ?? other.id)}" (${count} nodes) was not imported: a Hookflow flow is one tab; import it separately`,
    );
  }
  for (const subflow of subflows) {
    warnings.push(
      `subflow "${String(subflow.name ?? subflow.id)}" was not imported: Hookflow has no subflows; its instances are kept as unsupported nodes`,
    );
  }
  const configTypes = [
    ...new Set(
      all
        .filter((node) => !isFlowNode(node) && node.type !== 'tab' && node.type !== 'subflow')
        .map((node) => node.type),
    ),
  ];
  if (configTypes.length > 0) {
    warnings.push(
      `config nodes (${configTypes.join(', ')}) were not imported: Hookflow keeps servers and secrets in credentials`,
    );
  }
  const label = typeof tab?.label === 'string' && tab.label.trim() !== '' ? tab.label.trim() : '';
  const info =
    typeof tab?.info === 'string' && tab.info.trim() !== '' ? tab.info.trim() : undefined;
  return {
    name: (label || 'Imported from Node-RED').slice(0, 200),
    ...(info !== undefined ? { description: info.slice(0, 5000) } : {}),
    nodes,
    byId,
    warnings,
  };
}
