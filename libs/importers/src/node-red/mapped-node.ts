import type { FlowNode } from '@hookflow/engine';
import type { CredentialToCreate, NodeOutcome } from '../import-report';
import type { NodeRedNode } from './node-red-export';
import type { NodeRedGraph } from './node-red-graph';

/** Where one Node-RED output leaves in Hookflow: a node and its port. */
export interface Exit {
  from: string;
  port?: string;
}

/** What one Node-RED node became. */
export interface MappedNode {
  outcome: NodeOutcome;
  notes: string[];
  /** The Hookflow nodes made (in order: the first receives the input). */
  nodes: FlowNode[];
  /** Where Node-RED output `index` leaves; undefined when it has no Hookflow counterpart. */
  exit(index: number): Exit | undefined;
}

/** What mappers may ask about the flow being converted. */
export interface MapContext {
  graph: NodeRedGraph;
  /** A fresh Hookflow node id from a readable base (`change`, `Set total`). */
  newId(base: string): string;
  /** The Hookflow node that Node-RED node `id`'s first output leaves from (once mapped). */
  exitOf(id: string): string | undefined;
  /** The Node-RED `http in` chosen as the flow's trigger. */
  triggerSourceId?: string;
  /** Credentials the imported flow names and the user must create. */
  credentials: Map<string, CredentialToCreate>;
}

export type Mapper = (node: NodeRedNode, ctx: MapContext) => MappedNode;

/** Where a Node-RED node sat on its canvas; helper nodes go below it. */
export function positionOf(node: NodeRedNode, offset = 0): [number, number] | undefined {
  if (typeof node.x !== 'number' || typeof node.y !== 'number') return undefined;
  return [node.x, node.y + offset * 60];
}

/** A Hookflow node named after its Node-RED original. */
export function flowNode(
  node: NodeRedNode,
  ctx: MapContext,
  spec: {
    type: string;
    params: Record<string, unknown>;
    base?: string;
    offset?: number;
    name?: string;
  },
): FlowNode {
  const name =
    spec.name ?? (typeof node.name === 'string' && node.name !== '' ? node.name : undefined);
  const position = positionOf(node, spec.offset ?? 0);
  return {
    id: ctx.newId(spec.base ?? name ?? node.type),
    type: spec.type,
    ...(name !== undefined ? { name: name.slice(0, 200) } : {}),
    params: spec.params,
    ...(position ? { position } : {}),
  };
}

/** One Hookflow node for one Node-RED node, every output leaving from `port(index)`. */
export function single(
  made: FlowNode,
  outcome: NodeOutcome,
  notes: string[],
  port: (index: number) => string | undefined = () => undefined,
): MappedNode {
  return {
    outcome,
    notes,
    nodes: [made],
    exit: (index) => {
      const name = port(index);
      return name === undefined ? { from: made.id } : { from: made.id, port: name };
    },
  };
}

/** `converted` unless some note says otherwise. */
export function outcomeOf(notes: readonly string[]): NodeOutcome {
  return notes.length > 0 ? 'approximated' : 'converted';
}

export function stringProp(node: NodeRedNode, key: string, fallback = ''): string {
  const value = node[key];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : fallback;
}
