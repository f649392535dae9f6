import type {
  DEFAULT_PORT as FLOW_DEFAULT_PORT,
  FlowDocument,
  FlowEdge,
  FlowNode,
} from './flow-document';

/**
 * The editor bundles this file as is (apps/editor/vite.config.mts), so it imports types only: a
 * value from flow-document would pull in TypeBox, JSONata and Handlebars behind it. The type
 * ties this copy of the port name to the one of the flow format.
 */
const DEFAULT_PORT: typeof FLOW_DEFAULT_PORT = 'main';

/**
 * One value that differs, at a JSON Pointer (relative to the node for node changes, to the
 * document otherwise). `before` is absent when the value was added, `after` when removed.
 */
export interface ValueChange {
  path: string;
  before?: unknown;
  after?: unknown;
}

export interface ChangedNode {
  id: string;
  /** The node's type after the change (its type change, if any, is one of `changes`). */
  type: string;
  name?: string;
  changes: ValueChange[];
}

/** A node-level comparison of two flow documents, as people review a change. */
export interface FlowDiff {
  /** True when nothing at all differs. */
  identical: boolean;
  /** Flow-level fields: `/name`, `/description`, `/settings/...`. */
  flow: ValueChange[];
  nodes: { added: FlowNode[]; removed: FlowNode[]; changed: ChangedNode[] };
  edges: { added: FlowEdge[]; removed: FlowEdge[] };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep equality of JSON values; object key order does not matter. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, index) => sameJson(item, b[index]))
    );
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && sameJson(a[key], b[key]))
  );
}

const pointerToken = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Every leaf that differs. Objects are compared key by key (sorted, so the order is the same
 * whatever order the documents wrote them in); arrays and scalars as whole values, because an
 * index-by-index diff of a list (a position, a header list) reads worse than before/after.
 */
function diffValues(before: unknown, after: unknown, path: string, out: ValueChange[]): void {
  if (sameJson(before, after)) return;
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) {
      diffValues(before[key], after[key], `${path}/${pointerToken(key)}`, out);
    }
    return;
  }
  out.push({
    path,
    ...(before !== undefined ? { before } : {}),
    ...(after !== undefined ? { after } : {}),
  });
}

/** Every leaf that differs between two JSON values, at JSON Pointers below `path` ('' = root). */
export function diffJson(before: unknown, after: unknown, path = ''): ValueChange[] {
  const changes: ValueChange[] = [];
  diffValues(before, after, path, changes);
  return changes;
}

/** The fields of a node compared, in the order people read them. */
const NODE_FIELDS = [
  'type',
  'name',
  'disabled',
  'credential',
  'params',
  'retry',
  'onError',
  'position',
] as const;

export interface FlowDiffOptions {
  /**
   * Compare node positions (default true). The editor's conflict dialog leaves them out: a node
   * dragged aside is not worth a reader's attention when deciding whose save wins.
   */
  positions?: boolean;
}

function diffNode(
  before: FlowNode,
  after: FlowNode,
  fields: ReadonlyArray<(typeof NODE_FIELDS)[number]>,
): ValueChange[] {
  const changes: ValueChange[] = [];
  for (const field of fields) diffValues(before[field], after[field], `/${field}`, changes);
  return changes;
}

const edgeKey = (edge: FlowEdge): string =>
  JSON.stringify([edge.from, edge.port ?? DEFAULT_PORT, edge.to]);

function diffEdges(before: FlowEdge[], after: FlowEdge[]): FlowDiff['edges'] {
  const beforeKeys = new Set(before.map(edgeKey));
  const afterKeys = new Set(after.map(edgeKey));
  return {
    added: after.filter((edge) => !beforeKeys.has(edgeKey(edge))),
    removed: before.filter((edge) => !afterKeys.has(edgeKey(edge))),
  };
}

/**
 * Compares two flow documents node by node (nodes are matched by id). Added and changed nodes
 * come in the order of `after`, removed ones in the order of `before`; the result depends only
 * on the two documents.
 */
export function diffFlowDocuments(
  before: FlowDocument,
  after: FlowDocument,
  options: FlowDiffOptions = {},
): FlowDiff {
  const fields =
    options.positions === false ? NODE_FIELDS.filter((field) => field !== 'position') : NODE_FIELDS;
  const flow: ValueChange[] = [];
  diffValues(before.name, after.name, '/name', flow);
  diffValues(before.description, after.description, '/description', flow);
  diffValues(before.settings, after.settings, '/settings', flow);

  const beforeNodes = new Map(before.nodes.map((node) => [node.id, node]));
  const afterIds = new Set(after.nodes.map((node) => node.id));
  const added: FlowNode[] = [];
  const changed: ChangedNode[] = [];
  for (const node of after.nodes) {
    const previous = beforeNodes.get(node.id);
    if (!previous) {
      added.push(node);
      continue;
    }
    const changes = diffNode(previous, node, fields);
    if (changes.length > 0) {
      changed.push({
        id: node.id,
        type: node.type,
        ...(node.name !== undefined ? { name: node.name } : {}),
        changes,
      });
    }
  }
  const removed = before.nodes.filter((node) => !afterIds.has(node.id));
  const edges = diffEdges(before.edges, after.edges);
  const identical =
    flow.length === 0 &&
    added.length === 0 &&
    removed.length === 0 &&
    changed.length === 0 &&
    edges.added.length === 0 &&
    edges.removed.length === 0;
  return { identical, flow, nodes: { added, removed, changed }, edges };
}
