import { ImportInputError } from '../import-report';

/** One node of an n8n workflow export, as far as the importer reads it. */
export interface N8nNode {
  /** Position in the export's `nodes` array (for JSON pointers). */
  index: number;
  id: string;
  name: string;
  type: string;
  typeVersion: number;
  parameters: Record<string, unknown>;
  /** Credential references by n8n credential type: `{ slackApi: { id, name } }`. */
  credentials: Record<string, { id?: string; name: string }>;
  disabled: boolean;
  position?: [number, number];
  onError?: string;
  retryOnFail: boolean;
  maxTries?: number;
  waitBetweenTries?: number;
}

/** `connections[from].main[output][k] = { node: to, index: input }`, flattened. */
export interface N8nConnection {
  from: string;
  output: number;
  to: string;
  input: number;
}

export interface N8nWorkflow {
  name: string;
  nodes: N8nNode[];
  connections: N8nConnection[];
  warnings: string[];
}

type JsonRecord = Record<string, unknown>;

const isRecord = (value: unknown): value is JsonRecord =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** RFC 6901 escaping of one pointer segment. */
export const pointerSegment = (segment: string | number): string =>
  String(segment).replace(/~/g, '~0').replace(/\//g, '~1');

const fail = (message: string, ...segments: Array<string | number>): never => {
  throw new ImportInputError(message, segments.map((s) => `/${pointerSegment(s)}`).join(''));
};

function readCredentials(raw: unknown, index: number): N8nNode['credentials'] {
  if (raw === undefined) return {};
  if (!isRecord(raw)) return fail('credentials must be an object', 'nodes', index, 'credentials');
  const credentials: N8nNode['credentials'] = {};
  for (const [type, reference] of Object.entries(raw)) {
    if (isRecord(reference) && typeof reference.name === 'string' && reference.name !== '') {
      credentials[type] = {
        name: reference.name,
        ...(typeof reference.id === 'string' ? { id: reference.id } : {}),
      };
    }
  }
  return credentials;
}

function readNode(raw: unknown, index: number): N8nNode {
  if (!isRecord(raw)) return fail('a node must be an object', 'nodes', index);
  if (typeof raw.name !== 'string' || raw.name.trim() === '') {
    return fail('a node needs a name', 'nodes', index, 'name');
  }
  if (typeof raw.type !== 'string' || raw.type === '') {
    return fail('a node needs a type', 'nodes', index, 'type');
  }
  if (raw.parameters !== undefined && !isRecord(raw.parameters)) {
    return fail('parameters must be an object', 'nodes', index, 'parameters');
  }
  const position =
    Array.isArray(raw.position) &&
    raw.position.length === 2 &&
    raw.position.every((value) => typeof value === 'number' && Number.isFinite(value))
      ? (raw.position as [number, number])
      : undefined;
  return {
    index,
    id: typeof raw.id === 'string' && raw.id !== '' ? raw.id : raw.name,
    name: raw.name,
    type: raw.type,
    typeVersion: typeof raw.typeVersion === 'number' ? raw.typeVersion : 1,
    parameters: raw.parameters ?? {},
    credentials: readCredentials(raw.credentials, index),
    disabled: raw.disabled === true,
    ...(position ? { position } : {}),
    ...(typeof raw.onError === 'string' ? { onError: raw.onError } : {}),
    retryOnFail: raw.retryOnFail === true,
    ...(typeof raw.maxTries === 'number' ? { maxTries: raw.maxTries } : {}),
    ...(typeof raw.waitBetweenTries === 'number' ? { waitBetweenTries: raw.waitBetweenTries } : {}),
  };
}

function readConnections(raw: unknown, names: Set<string>, warnings: string[]): N8nConnection[] {
  if (raw === undefined) return [];
  if (!isRecord(raw)) return fail('connections must be an object', 'connections');
  const connections: N8nConnection[] = [];
  for (const [from, byType] of Object.entries(raw)) {
    if (!names.has(from)) {
      return fail(`connections start at "${from}", which is not a node`, 'connections', from);
    }
    if (!isRecord(byType)) return fail('must be an object', 'connections', from);
    for (const [type, outputs] of Object.entries(byType)) {
      if (type !== 'main') {
        warnings.push(`"${from}": ${type} connections (sub-nodes) are not imported`);
        continue;
      }
      if (!Array.isArray(outputs)) return fail('must be an array', 'connections', from, type);
      outputs.forEach((targets: unknown, output) => {
        if (targets === null) return;
        if (!Array.isArray(targets)) {
          return fail('must be an array', 'connections', from, type, output);
        }
        targets.forEach((target: unknown, k) => {
          const at = ['connections', from, type, output, k] as const;
          if (!isRecord(target) || typeof target.node !== 'string') {
            return fail('a connection needs a target node name', ...at, 'node');
          }
          if (!names.has(target.node)) {
            return fail(`connection to "${target.node}", which is not a node`, ...at, 'node');
          }
          const input = typeof target.index === 'number' ? target.index : 0;
          connections.push({ from, output, to: target.node, input });
        });
      });
    }
  }
  return connections;
}

/**
 * Reads an n8n export: one workflow object (editor "Download", `n8n export:workflow --id`), or an
 * array of them (`n8n export:workflow --all`), of which the first is imported.
 */
export function readN8nWorkflow(input: unknown): N8nWorkflow {
  const warnings: string[] = [];
  let workflow = input;
  let prefix: Array<string | number> = [];
  if (Array.isArray(input)) {
    if (input.length === 0) return fail('the export holds no workflow');
    workflow = input[0];
    prefix = [0];
    if (input.length > 1) {
      const skipped = input
        .slice(1)
        .map((item, i) =>
          isRecord(item) && typeof item.name === 'string' ? `"${item.name}"` : `#${i + 1}`,
        );
      warnings.push(
        `the export holds ${input.length} workflows; only the first was imported ` +
          `(post the others one at a time): ${skipped.join(', ')}`,
      );
    }
  }
  try {
    if (!isRecord(workflow)) {
      return fail('expected an n8n workflow: an object with nodes and connections');
    }
    if (!Array.isArray(workflow.nodes)) return fail('nodes must be an array', 'nodes');
    if (workflow.nodes.length === 0) return fail('the workflow has no nodes', 'nodes');
    const nodes = workflow.nodes.map(readNode);
    const names = new Set<string>();
    for (const node of nodes) {
      if (names.has(node.name)) {
        return fail(`two nodes are named "${node.name}"`, 'nodes', node.index, 'name');
      }
      names.add(node.name);
    }
    const connections = readConnections(workflow.connections, names, warnings);
    const name =
      typeof workflow.name === 'string' && workflow.name.trim() !== ''
        ? workflow.name.trim().slice(0, 200)
        : 'Imported from n8n';
    return { name, nodes, connections, warnings };
  } catch (error) {
    if (error instanceof ImportInputError && prefix.length > 0) {
      throw new ImportInputError(error.message, `/${prefix.join('/')}${error.path}`);
    }
    throw error;
  }
}
