import type { FlowDocument } from '@hookflow/engine';

/** The tool a flow was exported from. */
export type ImportSource = 'n8n' | 'node-red';

/**
 * What became of one source node:
 * - `converted`: same behaviour in Hookflow;
 * - `approximated`: runs, but differs in a way `notes` explains (an expression left untranslated,
 *   an option Hookflow lacks);
 * - `unsupported`: kept as an `unsupported` node (its original shown) that fails when reached.
 */
export type NodeOutcome = 'converted' | 'approximated' | 'unsupported';

export interface ImportedNodeReport {
  /** The node's id in the source (n8n `id`, or its name when the export has none; Node-RED `id`). */
  sourceId: string;
  sourceName: string;
  /** n8n `type` (`n8n-nodes-base.webhook`) or Node-RED `type` (`http in`). */
  sourceType: string;
  outcome: NodeOutcome;
  /** Ids of the Hookflow nodes made from it (none when the node was dropped, e.g. a No-Op). */
  nodeIds: string[];
  /** Why it was approximated or unsupported; expressions left in place are named here. */
  notes: string[];
  /** For a source trigger, once saved: the path Hookflow serves it at (`/hooks/<hookId>`). */
  hookPath?: string;
}

/** A credential the imported flow names and the user must create before enabling it. */
export interface CredentialToCreate {
  /** The Hookflow credential name the flow refers to. */
  name: string;
  /** Hookflow credential types that fit, best first. */
  types: string[];
  /** The source tool's credential type (n8n `oAuth2Api`, Node-RED `bearer`), when it has one. */
  sourceType?: string;
  /** The name the export gave it; absent when the export stripped it. */
  exportedName?: string;
  /** Source ids of the nodes that need it. */
  usedBy?: string[];
}

export interface ImportReport {
  source: ImportSource;
  nodes: ImportedNodeReport[];
  /** Every credential the source flow needs, whether or not the export kept its name. */
  credentials: CredentialToCreate[];
  /** Flow-level remarks: ignored tabs, dangling wires, several triggers, ... */
  warnings: string[];
  summary: { converted: number; approximated: number; unsupported: number };
}

export interface ImportResult {
  document: FlowDocument;
  report: ImportReport;
}

/** The input is not an export of the tool at all (not a flow array, no nodes, ...). */
export class ImportInputError extends Error {
  constructor(
    message: string,
    /** JSON Pointer into the input, e.g. `/nodes/3/parameters`. */
    readonly path: string,
  ) {
    super(message);
    this.name = 'ImportInputError';
  }
}

export function summarize(nodes: readonly ImportedNodeReport[]): ImportReport['summary'] {
  const summary = { converted: 0, approximated: 0, unsupported: 0 };
  for (const node of nodes) summary[node.outcome] += 1;
  return summary;
}
