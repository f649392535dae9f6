import { FLOW_FORMAT, HOOK_ID_PATTERN, type FlowDocument } from '@hookflow/engine';
import type { ErrorDetail } from '@hookflow/common';

/** A place in a flow document that names a credential. */
export interface CredentialReference {
  /** JSON Pointer into the document, e.g. `/nodes/2/credential`, `/nodes/0/params/auth/credential`. */
  path: string;
  name: string;
}

/** An id of the exported flow this installation already has, and what it became. */
export interface RemappedId {
  kind: 'flow' | 'hook';
  /** `/id`, or `/hooks/<triggerNodeId>`. */
  path: string;
  from: string;
  to: string;
}

const pointerToken = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

function collectCredentialParams(value: unknown, path: string, out: CredentialReference[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => collectCredentialParams(item, `${path}/${index}`, out));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, item] of Object.entries(value)) {
    const itemPath = `${path}/${pointerToken(key)}`;
    if (key === 'credential' && typeof item === 'string') out.push({ path: itemPath, name: item });
    else collectCredentialParams(item, itemPath, out);
  }
}

/**
 * Every credential the flow names: a node's `credential`, and any `credential` string inside its
 * params (the trigger's `params.auth.credential`, and whatever a node type adds later).
 */
export function credentialReferences(document: FlowDocument): CredentialReference[] {
  const references: CredentialReference[] = [];
  document.nodes.forEach((node, index) => {
    if (node.credential !== undefined) {
      references.push({ path: `/nodes/${index}/credential`, name: node.credential });
    }
    collectCredentialParams(node.params, `/nodes/${index}/params`, references);
  });
  return references;
}

/**
 * The export of one version: the document with the `$schema` editors validate against, the flow
 * id and the trigger hook ids (so another installation can keep the URLs). Key order is fixed and
 * the text is what import reads back, so export -> import -> export gives the same bytes.
 */
export function exportDocument(input: {
  document: FlowDocument;
  flowId: string;
  hooks: ReadonlyArray<{ nodeId: string; id: string }>;
  schemaUrl: string;
}): string {
  const { document } = input;
  const hooks: Record<string, string> = {};
  for (const node of document.nodes) {
    const hook = input.hooks.find((candidate) => candidate.nodeId === node.id);
    if (hook) hooks[node.id] = hook.id;
  }
  const exported = {
    $schema: input.schemaUrl,
    format: FLOW_FORMAT,
    id: input.flowId,
    name: document.name,
    ...(document.description !== undefined ? { description: document.description } : {}),
    nodes: document.nodes,
    edges: document.edges,
    ...(document.settings !== undefined ? { settings: document.settings } : {}),
    ...(Object.keys(hooks).length > 0 ? { hooks } : {}),
  };
  return `${JSON.stringify(exported, null, 2)}\n`;
}

/** The `hooks` of an imported document, checked: trigger node id -> hook id. */
export function requestedHookIds(
  hooks: Record<string, unknown> | undefined,
  triggerNodeIds: readonly string[],
): { hookIds: Record<string, string>; problems: ErrorDetail[] } {
  const hookIds: Record<string, string> = {};
  const problems: ErrorDetail[] = [];
  const pattern = new RegExp(HOOK_ID_PATTERN);
  for (const [nodeId, hookId] of Object.entries(hooks ?? {})) {
    const path = `/hooks/${pointerToken(nodeId)}`;
    if (typeof hookId !== 'string' || !pattern.test(hookId)) {
      problems.push({ path, message: 'must be a hook id (16-64 letters, digits, - or _)' });
    } else if (!triggerNodeIds.includes(nodeId)) {
      problems.push({ path, message: `"${nodeId}" is not a trigger node of this flow` });
    } else if (Object.values(hookIds).includes(hookId)) {
      problems.push({ path, message: 'the same hook id is given to two triggers' });
    } else {
      hookIds[nodeId] = hookId;
    }
  }
  return { hookIds, problems };
}
