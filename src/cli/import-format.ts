/** The tools whose exports `flows import` takes. */
export type ImportFormat = 'hookflow' | 'n8n' | 'node-red';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An n8n workflow: `nodes` of `n8n-nodes-base.*` (or `@n8n/...`) types, `connections` by name. */
function isN8nWorkflow(value: unknown): boolean {
  if (!isRecord(value) || !Array.isArray(value.nodes)) return false;
  const typed = value.nodes.some(
    (node) =>
      isRecord(node) && typeof node.type === 'string' && /^(n8n-nodes-|@n8n\/)/.test(node.type),
  );
  return typed || (isRecord(value.connections) && value.format === undefined);
}

/** Node-RED: objects with an id and a type, wired by `wires` or placed on a tab by `z`. */
function isNodeRedNodes(items: readonly unknown[]): boolean {
  return (
    items.length > 0 &&
    items.every(
      (item) => isRecord(item) && typeof item.id === 'string' && typeof item.type === 'string',
    ) &&
    items.some((item) => isRecord(item) && (Array.isArray(item.wires) || item.type === 'tab'))
  );
}

/**
 * Which tool wrote `document`, when it is recognisable: used to suggest `--from` when an import
 * with another `--from` fails. undefined: none of them.
 */
export function detectImportFormat(document: unknown): ImportFormat | undefined {
  if (
    isRecord(document) &&
    typeof document.format === 'string' &&
    document.format.startsWith('hookflow.')
  ) {
    return 'hookflow';
  }
  if (isN8nWorkflow(document)) return 'n8n';
  if (Array.isArray(document)) {
    if (document.length > 0 && document.every(isN8nWorkflow)) return 'n8n';
    if (isNodeRedNodes(document)) return 'node-red';
  }
  if (isRecord(document) && Array.isArray(document.flows) && isNodeRedNodes(document.flows)) {
    return 'node-red';
  }
  if (isRecord(document) && Array.isArray(document.nodes) && isNodeRedNodes(document.nodes)) {
    return 'node-red';
  }
  return undefined;
}
