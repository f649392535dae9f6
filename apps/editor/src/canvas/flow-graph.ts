import type { Edge, Node } from '@xyflow/react';
import {
  isJsonObject,
  type FlowDocument,
  type FlowDocumentNode,
  type JsonObject,
  type JsonValue,
  type NodeTypeView,
} from '../api/types';
import { layoutPositions, type Point } from './auto-layout';

export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 84;

export type RunStatus = 'succeeded' | 'failed' | 'running' | 'skipped';

export interface FlowNodeData extends Record<string, unknown> {
  nodeType: string;
  label: string;
  /** The type's category (trigger, transform, flow, action) and icon: the node's colour and mark. */
  category: string;
  icon?: string;
  outputs: string[];
  isTrigger: boolean;
  params: JsonObject;
  /** Node fields the editor does not edit (credential, ...): kept as they were. */
  extra: JsonObject;
  problems: string[];
  runStatus?: RunStatus;
  /** Output ports with an edge: their "+" shows only on hover or selection. */
  linkedPorts?: string[];
}

export type FlowNode = Node<FlowNodeData, 'hookflow'>;
export type FlowEdge = Edge;

export interface FlowGraph {
  nodes: FlowNode[];
  edges: FlowEdge[];
}

/** The edge from `source`'s output `port` to `target`'s input; non-main ports are labelled. */
export function makeEdge(source: string, port: string, target: string): FlowEdge {
  return {
    id: edgeId(source, port, target),
    source,
    sourceHandle: port,
    target,
    targetHandle: 'in',
    label: port === 'main' ? undefined : port,
  };
}

export function edgeId(from: string, port: string, to: string): string {
  return `${from}:${port}->${to}`;
}

function extraFields(node: FlowDocumentNode): JsonObject {
  const extra: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (!['id', 'type', 'params', 'position'].includes(key) && value !== undefined) {
      extra[key] = value;
    }
  }
  return extra;
}

/** Where a node with `onError: route` sends its failures. */
export const ERROR_PORT = 'error';

/**
 * Every output port of a node: its type's ports, ports named in its params (each item of an
 * array param with a `port` property, e.g. a switch's rules) and `error` with `onError: route`.
 */
export function nodePorts(
  nodeType: NodeTypeView | undefined,
  params: JsonObject,
  extra: JsonObject,
): string[] {
  const ports = [...(nodeType?.outputs ?? ['main'])];
  if (nodeType?.dynamicOutputs) {
    for (const [name, schema] of Object.entries(nodeType.params.properties ?? {})) {
      const value = params[name];
      if (!schema.items?.properties?.port || !Array.isArray(value)) continue;
      for (const item of value) {
        if (isJsonObject(item) && typeof item.port === 'string' && item.port !== '') {
          ports.push(item.port);
        }
      }
    }
  }
  if (extra.onError === 'route') ports.push(ERROR_PORT);
  return [...new Set(ports)];
}

export function makeNode(
  id: string,
  nodeType: NodeTypeView | undefined,
  typeName: string,
  position: Point,
  params: JsonObject = {},
  extra: JsonObject = {},
): FlowNode {
  return {
    id,
    type: 'hookflow',
    position,
    data: {
      nodeType: typeName,
      label: nodeType?.label ?? typeName,
      category: nodeType?.category ?? 'unknown',
      icon: nodeType?.icon,
      outputs: nodePorts(nodeType, params, extra),
      isTrigger: nodeType?.isTrigger ?? false,
      params,
      extra,
      problems: [],
    },
  };
}

function overlaps(points: Point[]): boolean {
  return points.some((a, i) =>
    points.some(
      (b, j) =>
        j > i && Math.abs(a.x - b.x) < NODE_WIDTH + 10 && Math.abs(a.y - b.y) < NODE_HEIGHT + 10,
    ),
  );
}

/** A document as canvas nodes and edges; missing or overlapping positions get an auto-layout. */
export function documentToGraph(document: FlowDocument, types: NodeTypeView[]): FlowGraph {
  const byType = new Map(types.map((type) => [type.type, type]));
  const given = document.nodes.map((node) =>
    node.position ? { x: node.position[0], y: node.position[1] } : undefined,
  );
  const complete = given.every((point): point is Point => point !== undefined);
  const positions =
    complete && !overlaps(given)
      ? given
      : layoutPositions(
          document.nodes.map((node) => node.id),
          document.edges,
        );
  const nodes = document.nodes.map((node, index) =>
    makeNode(
      node.id,
      byType.get(node.type),
      node.type,
      positions[index],
      node.params ?? {},
      extraFields(node),
    ),
  );
  const edges = document.edges.map((edge) => {
    const port = edge.port ?? 'main';
    return {
      id: edgeId(edge.from, port, edge.to),
      source: edge.from,
      sourceHandle: port,
      target: edge.to,
      targetHandle: 'in',
      label: port === 'main' ? undefined : port,
    };
  });
  return { nodes, edges };
}

/** The canvas as a flow document (positions rounded; `main` ports left implicit). */
export function graphToDocument(
  base: { name: string; extra: JsonObject },
  graph: FlowGraph,
): FlowDocument {
  return {
    ...base.extra,
    format: 'hookflow.flow/v1',
    name: base.name,
    nodes: graph.nodes.map((node) => ({
      id: node.id,
      type: node.data.nodeType,
      ...node.data.extra,
      params: node.data.params,
      position: [Math.round(node.position.x), Math.round(node.position.y)],
    })),
    edges: graph.edges.map((edge) => {
      const port = edge.sourceHandle ?? 'main';
      return port === 'main'
        ? { from: edge.source, to: edge.target }
        : { from: edge.source, port, to: edge.target };
    }),
  };
}

/** Fields of a document other than format, name, nodes and edges (description, ...). */
export function documentExtra(document: FlowDocument): JsonObject {
  const extra: JsonObject = {};
  for (const [key, value] of Object.entries(document)) {
    if (['format', 'name', 'nodes', 'edges'].includes(key)) continue;
    if (value !== undefined) extra[key] = value as JsonValue;
  }
  return extra;
}

/** `transform`, `transform-2`, ...: the first id of that type not taken yet. */
export function nextNodeId(type: string, taken: ReadonlySet<string>): string {
  const base = type.replace(/[^A-Za-z0-9_-]+/g, '-');
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) {
    if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
  }
}

/** Problems from a 400 (`/nodes/2/params/expression`) by the id of the node they concern. */
export function problemsByNode(
  document: FlowDocument,
  details: Array<{ path: string; message: string }>,
): { byNode: Map<string, string[]>; other: string[] } {
  const byNode = new Map<string, string[]>();
  const other: string[] = [];
  for (const detail of details) {
    const match = /^\/nodes\/(\d+)(\/.*)?$/.exec(detail.path);
    const node = match ? document.nodes[Number(match[1])] : undefined;
    if (node) {
      const where = match?.[2] ? `${match[2].slice(1)}: ` : '';
      byNode.set(node.id, [...(byNode.get(node.id) ?? []), `${where}${detail.message}`]);
    } else {
      other.push(`${detail.path || '/'}: ${detail.message}`);
    }
  }
  return { byNode, other };
}

/** A step as the run path needs it: where it ran, how it ended, and the port it left by. */
interface PathStep {
  nodeId: string;
  status: string;
  port: string | null;
}

/**
 * The edges a run took, each with the number of items that went along it: an edge is on the path
 * when its source left by the edge's port and its target ran. Edges not taken are absent.
 */
export function runPath(
  edges: readonly FlowEdge[],
  steps: readonly PathStep[],
): Map<string, number> {
  const leftBy = new Map<string, Map<string, number>>();
  const ran = new Map<string, number>();
  for (const step of steps) {
    ran.set(step.nodeId, (ran.get(step.nodeId) ?? 0) + 1);
    if (step.status !== 'succeeded') continue;
    const ports = leftBy.get(step.nodeId) ?? new Map<string, number>();
    const port = step.port ?? 'main';
    ports.set(port, (ports.get(port) ?? 0) + 1);
    leftBy.set(step.nodeId, ports);
  }
  const path = new Map<string, number>();
  for (const edge of edges) {
    const items = leftBy.get(edge.source)?.get(edge.sourceHandle ?? 'main') ?? 0;
    if (items > 0 && ran.has(edge.target)) path.set(edge.id, items);
  }
  return path;
}
