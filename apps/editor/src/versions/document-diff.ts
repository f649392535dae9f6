import {
  isJsonObject,
  type FlowDiffView,
  type FlowDocument,
  type FlowDocumentEdge,
  type JsonValue,
  type ValueChange,
} from '../api/types';

/** Deep equality of JSON values; key order does not matter. */
function same(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, i) => same(item, b[i]))
    );
  }
  if (!isJsonObject(a) || !isJsonObject(b)) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length && keys.every((key) => key in b && same(a[key], b[key]))
  );
}

/** Every leaf that differs, objects key by key, arrays and scalars whole (as the API does). */
function diffValues(
  before: JsonValue | undefined,
  after: JsonValue | undefined,
  path: string,
  out: ValueChange[],
): void {
  if (same(before, after)) return;
  if (isJsonObject(before) && isJsonObject(after)) {
    for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
      diffValues(
        before[key],
        after[key],
        `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        out,
      );
    }
    return;
  }
  out.push({
    path,
    ...(before !== undefined ? { before } : {}),
    ...(after !== undefined ? { after } : {}),
  });
}

const NODE_FIELDS = [
  'type',
  'name',
  'disabled',
  'credential',
  'params',
  'retry',
  'onError',
  'position',
];
const edgeKey = (edge: FlowDocumentEdge) =>
  JSON.stringify([edge.from, edge.port ?? 'main', edge.to]);

/**
 * A node-level comparison of two flow documents in the shape of `GET /api/flows/:id/diff`: used
 * where one side is not stored yet (the edits of a conflicting save).
 */
export function diffDocuments(
  before: FlowDocument,
  after: FlowDocument,
  options: { positions?: boolean } = {},
): FlowDiffView {
  const fields =
    options.positions === false ? NODE_FIELDS.filter((f) => f !== 'position') : NODE_FIELDS;
  const flow: ValueChange[] = [];
  diffValues(before.name, after.name, '/name', flow);
  diffValues(
    before.description as JsonValue | undefined,
    after.description as JsonValue | undefined,
    '/description',
    flow,
  );
  const beforeNodes = new Map(before.nodes.map((node) => [node.id, node]));
  const afterIds = new Set(after.nodes.map((node) => node.id));
  const added = after.nodes.filter((node) => !beforeNodes.has(node.id));
  const changed = after.nodes.flatMap((node) => {
    const previous = beforeNodes.get(node.id);
    if (!previous) return [];
    const changes: ValueChange[] = [];
    for (const field of fields) {
      diffValues(
        previous[field] as JsonValue | undefined,
        node[field] as JsonValue | undefined,
        `/${field}`,
        changes,
      );
    }
    return changes.length > 0 ? [{ id: node.id, type: node.type, changes }] : [];
  });
  const removed = before.nodes.filter((node) => !afterIds.has(node.id));
  const beforeEdges = new Set(before.edges.map(edgeKey));
  const afterEdges = new Set(after.edges.map(edgeKey));
  const edges = {
    added: after.edges.filter((edge) => !beforeEdges.has(edgeKey(edge))),
    removed: before.edges.filter((edge) => !afterEdges.has(edgeKey(edge))),
  };
  const identical =
    flow.length +
      added.length +
      removed.length +
      changed.length +
      edges.added.length +
      edges.removed.length ===
    0;
  return { identical, flow, nodes: { added, removed, changed }, edges };
}
