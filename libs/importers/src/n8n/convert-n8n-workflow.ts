import { FLOW_FORMAT, type FlowEdge, type FlowNode } from '@hookflow/engine';
import {
  ImportInputError,
  summarize,
  type ImportedNodeReport,
  type ImportResult,
} from '../import-report';
import { wire } from './n8n-connections';
import { MappingContext, type MappedNode, type NeededCredential } from './n8n-mapping';
import {
  isTriggerType,
  mapNode,
  NOTE_TYPES,
  outputSuffixOf,
  PASS_THROUGH,
} from './n8n-node-mappers';
import { readN8nWorkflow, type N8nNode, type N8nWorkflow } from './n8n-workflow';

const WEBHOOK = 'n8n-nodes-base.webhook';

/** Identifier-like ids from n8n names (`Stripe Webhook` → `stripe_webhook`), unique, suffix-safe. */
function allocateIds(nodes: readonly N8nNode[]): Map<string, string> {
  const taken = new Set<string>();
  const ids = new Map<string, string>();
  for (const node of nodes) {
    let slug = node.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 40);
    if (!/^[a-z_]/.test(slug)) slug = `n_${slug}`.slice(0, 40);
    let id = slug;
    for (let n = 2; taken.has(id) || taken.has(`${id}_item`); n += 1) id = `${slug}_${n}`;
    taken.add(id);
    taken.add(`${id}_item`);
    ids.set(node.name, id);
  }
  return ids;
}

function chooseTrigger(workflow: N8nWorkflow): N8nNode {
  const active = workflow.nodes.filter((node) => !node.disabled);
  const trigger =
    active.find((node) => node.type === WEBHOOK) ?? active.find((node) => isTriggerType(node.type));
  if (!trigger) {
    throw new ImportInputError(
      'the workflow has no (enabled) trigger node; Hookflow flows start from a webhook',
      '/nodes',
    );
  }
  return trigger;
}

const dropped = (notes: string[]): MappedNode => ({
  outcome: 'converted',
  notes,
  nodes: [],
  ports: () => [],
});

/** n8n's per-node error handling and retries, on the node doing the work. */
function applyNodeSettings(node: N8nNode, mapped: MappedNode): void {
  const work = mapped.nodes.find((item) => item.id === mapped.entryId);
  if (!work || work.type === 'trigger.webhook') return;
  mapped.workId = work.id;
  if (node.onError === 'continueRegularOutput') work.onError = 'continue';
  if (node.onError === 'continueErrorOutput') {
    work.onError = 'route';
    let index = 1;
    while (mapped.ports(index).length > 0) index += 1;
    mapped.errorOutput = index;
  }
  if (node.retryOnFail) {
    const tries = Math.min(Math.max(Math.round(node.maxTries ?? 3), 1), 20);
    const wait = Math.min(Math.max(Math.round(node.waitBetweenTries ?? 1000), 10), 3_600_000);
    work.retry = { maxAttempts: tries, initialDelayMs: wait, factor: 1 };
  }
}

/** Converts a n8n export into a Hookflow flow document plus a per-node report. */
export function convertN8nWorkflow(input: unknown): ImportResult {
  const workflow = readN8nWorkflow(input);
  const trigger = chooseTrigger(workflow);
  const ids = allocateIds(workflow.nodes);
  const byName = new Map(workflow.nodes.map((node) => [node.name, node]));
  const isDropped = (node: N8nNode) =>
    node.disabled || PASS_THROUGH.has(node.type) || NOTE_TYPES.has(node.type);

  /** The Hookflow node whose output is what n8n's `$('Name')` reads. */
  const lookup = (name: string, visiting = new Set<string>()): string | undefined => {
    const node = byName.get(name);
    if (!node || visiting.has(name)) return undefined;
    if (isDropped(node)) {
      const feeder = workflow.connections.find((connection) => connection.to === name);
      return feeder ? lookup(feeder.from, new Set(visiting).add(name)) : undefined;
    }
    return `${ids.get(name) ?? ''}${outputSuffixOf(node.type, node === trigger)}`;
  };
  const facts = {
    usesRespondNode: workflow.nodes.some(
      (node) => !node.disabled && node.type === 'n8n-nodes-base.respondToWebhook',
    ),
  };

  const mapped = new Map<string, MappedNode>();
  for (const node of workflow.nodes) {
    const ctx = new MappingContext(node, ids.get(node.name) ?? node.name, (name) => lookup(name));
    if (NOTE_TYPES.has(node.type)) {
      mapped.set(node.name, dropped(['dropped: a sticky note on the canvas (note)']));
    } else if (node.disabled) {
      mapped.set(node.name, dropped(['disabled in n8n, where items pass through it: left out']));
    } else if (PASS_THROUGH.has(node.type)) {
      mapped.set(
        node.name,
        dropped(['passes items on unchanged: left out, its connections joined']),
      );
    } else {
      const result = mapNode(ctx, facts, node === trigger);
      applyNodeSettings(node, result);
      mapped.set(node.name, result);
    }
  }

  const wiring = wire(workflow.connections, mapped);
  for (const [name, result] of mapped) result.finalize?.(wiring.inputs.get(name) ?? []);

  const nodes: FlowNode[] = [];
  const edges: FlowEdge[] = [];
  const reports: ImportedNodeReport[] = [];
  const credentials = new Map<string, NeededCredential>();
  for (const node of workflow.nodes) {
    const result = mapped.get(node.name) as MappedNode;
    nodes.push(...result.nodes);
    edges.push(...(result.edges ?? []));
    for (const credential of result.credentials ?? []) {
      const usedBy = credentials.get(credential.name)?.usedBy ?? [];
      credentials.set(credential.name, { ...credential, usedBy: [...usedBy, node.id] });
    }
    reports.push({
      sourceId: node.id,
      sourceName: node.name,
      sourceType: node.type,
      outcome: result.outcome,
      nodeIds: result.nodes.map((item) => item.id),
      notes: result.notes,
    });
  }

  const warnings = [...workflow.warnings, ...wiring.warnings];
  if (credentials.size > 0) {
    const list = [...credentials.values()].map(
      ({ name, types }) => `${name} (${types.join(' or ')})`,
    );
    warnings.push(`create these credentials before enabling the flow: ${list.join(', ')}`);
  }
  warnings.push('the flow is saved disabled: review it, then enable it');
  return {
    document: {
      format: FLOW_FORMAT,
      name: workflow.name,
      description: `Imported from n8n (${workflow.nodes.length} nodes)`,
      nodes,
      edges: [...edges, ...wiring.edges],
    },
    report: {
      source: 'n8n',
      nodes: reports,
      credentials: [...credentials.values()],
      warnings,
      summary: summarize(reports),
    },
  };
}
