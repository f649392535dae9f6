import { FLOW_FORMAT, type FlowEdge, type FlowNode } from '@hookflow/engine';
import { summarize, type ImportedNodeReport, type ImportResult } from '../import-report';
import { mapEmail } from './map-email';
import { mapHttpIn, mapHttpRequest, mapHttpResponse } from './map-http';
import { mapChange, mapSwitch, mapTemplate } from './map-logic';
import { DROPPED, mapDropped, mapFunction, mapUnknown } from './map-other';
import { mapDelay, mapJoin, mapSplit } from './map-sequence';
import type { MapContext, MappedNode, Mapper } from './mapped-node';
import { readNodeRedExport, type NodeRedFlowSource, type NodeRedNode } from './node-red-export';
import { NodeRedGraph } from './node-red-graph';

/** One small mapper per Node-RED node family. */
const MAPPERS: Record<string, Mapper> = {
  'http in': mapHttpIn,
  'http request': mapHttpRequest,
  'http response': mapHttpResponse,
  change: mapChange,
  switch: mapSwitch,
  template: mapTemplate,
  delay: mapDelay,
  split: mapSplit,
  join: mapJoin,
  'e-mail': mapEmail,
  function: mapFunction,
  ...Object.fromEntries(Object.entries(DROPPED).map(([type, why]) => [type, mapDropped(why)])),
};

/** Readable, unique Hookflow ids (`set_total`, `http_request_2`). */
function idAllocator(): (base: string) => string {
  const used = new Set<string>();
  return (base) => {
    let slug = base
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 40);
    if (!/^[a-z_]/.test(slug)) slug = `n_${slug}`;
    let id = slug;
    for (let counter = 2; used.has(id); counter += 1) id = `${slug}_${counter}`;
    used.add(id);
    return id;
  };
}

/** The label a user sees: the e-mail node keeps its recipient in `name` and its label in `dname`. */
function nameOf(node: NodeRedNode): string {
  const key = node.type === 'e-mail' ? 'dname' : 'name';
  return typeof node[key] === 'string' ? (node[key] as string) : '';
}

/** Trigger first, then the canvas order of the export. */
function inOrder(nodes: readonly NodeRedNode[], triggerId: string | undefined): NodeRedNode[] {
  return [...nodes].sort((a, b) => Number(b.id === triggerId) - Number(a.id === triggerId));
}

function edgesOf(graph: NodeRedGraph, mapped: Map<string, MappedNode>): FlowEdge[] {
  const seen = new Set<string>();
  const edges: FlowEdge[] = [];
  // A Node-RED node made into several Hookflow nodes is a chain of them.
  for (const made of mapped.values()) {
    made.nodes.slice(1).forEach((node, index) => {
      edges.push({ from: made.nodes[index].id, to: node.id });
    });
  }
  for (const wire of graph.wires) {
    const exit = mapped.get(wire.from)?.exit(wire.output);
    const entry = mapped.get(wire.to)?.nodes[0];
    if (!exit || !entry || entry.type.startsWith('trigger.')) continue;
    const edge: FlowEdge = {
      from: exit.from,
      to: entry.id,
      ...(exit.port ? { port: exit.port } : {}),
    };
    const key = `${edge.from}|${edge.port ?? ''}|${edge.to}`;
    if (!seen.has(key)) {
      seen.add(key);
      edges.push(edge);
    }
  }
  return edges;
}

/** One flow of the export: its nodes mapped, wired, and reported. */
function convertFlow(source: NodeRedFlowSource, byId: Map<string, NodeRedNode>): ImportResult {
  const graph = new NodeRedGraph(source.nodes, byId);
  const trigger = source.nodes.find((node) => node.type === 'http in');
  const warnings = [...source.warnings];
  const mapped = new Map<string, MappedNode>();
  const ctx: MapContext = {
    graph,
    newId: idAllocator(),
    exitOf: (id) => mapped.get(id)?.exit(0)?.from,
    credentials: new Map(),
    ...(trigger ? { triggerSourceId: trigger.id } : {}),
  };
  const nodes: FlowNode[] = [];
  const reports: ImportedNodeReport[] = [];
  if (!trigger) {
    const hook: FlowNode = {
      id: ctx.newId('webhook'),
      type: 'trigger.webhook',
      name: 'Webhook (added)',
      params: {},
    };
    nodes.push(hook);
    warnings.push(
      `the flow has no http in node, so a webhook trigger "${hook.id}" was added; connect it where the flow should start`,
    );
  }
  // Parents before children where the wiring allows it, so `exitOf` finds them mapped.
  const pending = inOrder(source.nodes, trigger?.id);
  const order: NodeRedNode[] = [];
  while (pending.length > 0) {
    const index = pending.findIndex((node) =>
      graph.parents(node.id).every((parent) => !pending.includes(parent) || parent.id === node.id),
    );
    order.push(...pending.splice(index === -1 ? 0 : index, 1));
  }
  for (const node of order) {
    const mapper = MAPPERS[node.type] ?? mapUnknown;
    const result = mapper(node, ctx);
    mapped.set(node.id, result);
    nodes.push(...result.nodes);
    reports.push({
      sourceId: node.id,
      sourceName: nameOf(node),
      sourceType: node.type,
      outcome: result.outcome,
      nodeIds: result.nodes.map((made) => made.id),
      notes: result.notes,
    });
  }
  const byExport = new Map(source.nodes.map((node, index) => [node.id, index]));
  reports.sort((a, b) => (byExport.get(a.sourceId) ?? 0) - (byExport.get(b.sourceId) ?? 0));
  for (const {
    name,
    types: [type],
  } of ctx.credentials.values()) {
    warnings.push(`create the ${type} credential "${name}" before enabling the flow`);
  }
  return {
    document: {
      format: FLOW_FORMAT,
      name: source.name,
      ...(source.description !== undefined ? { description: source.description } : {}),
      nodes,
      edges: edgesOf(graph, mapped),
    },
    report: {
      source: 'node-red',
      nodes: reports,
      credentials: [...ctx.credentials.values()],
      warnings,
      summary: summarize(reports),
    },
  };
}

/**
 * Converts a Node-RED export (a full export, a tab, selected nodes, a clipboard array, a library
 * flow) into Hookflow flow documents, one per connected set of nodes, each with a node-by-node
 * report; the flow answering HTTP comes first. The message model: after the trigger, every
 * Hookflow message is Node-RED's `msg` object (`{ _msgid, payload, req, ... }`), so
 * `msg.payload.x` is `payload.x` in JSONata and `{{payload.x}}` in Handlebars. See
 * docs/importing.md.
 */
export function convertNodeRedFlows(input: unknown): ImportResult[] {
  const source = readNodeRedExport(input);
  return source.flows.map((flow) => convertFlow(flow, source.byId));
}

/** The first flow of {@link convertNodeRedFlows}: the one answering HTTP, when there is one. */
export function convertNodeRedFlow(input: unknown): ImportResult {
  return convertNodeRedFlows(input)[0];
}
