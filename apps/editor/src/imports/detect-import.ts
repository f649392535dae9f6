import { isJsonObject, type JsonObject } from '../api/types';

/** What a file or pasted text holds, as far as the import endpoints are concerned. */
export type ImportKind = 'hookflow' | 'n8n' | 'node-red';

/** The source select: detect from the content, or the user's explicit choice. */
export type ImportChoice = 'auto' | ImportKind;

export const IMPORT_KIND_LABELS: Record<ImportKind, string> = {
  hookflow: 'Hookflow flow',
  n8n: 'n8n workflow',
  'node-red': 'Node-RED flow',
};

/** What to post, and where: the JSON is sent as given (the API checks the shape in depth). */
export interface PreparedImport {
  kind: ImportKind;
  /** True when the content was recognised; false when the user chose the source by hand. */
  detected: boolean;
  body: unknown;
}

/** The text cannot be imported: not JSON, or (with "auto") no known export shape. */
export class ImportInputProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportInputProblem';
  }
}

export const EXPECTED_SHAPES =
  'Expected a Hookflow flow document ("format": "hookflow.flow/v1"), an n8n workflow export ' +
  '(an object with "nodes" of type "n8n-nodes-base.…" and "connections", or the array ' +
  '"n8n export:workflow --all" writes) or a Node-RED export (an array of nodes with "id", ' +
  '"type" and "wires", or { "flows": [...] }).';

// n8n's own nodes and its packaged families (@n8n/n8n-nodes-langchain.*).
const N8N_TYPE = /^(n8n-nodes-base\.|@n8n\/n8n-nodes-)/;

function isN8nWorkflow(value: unknown): boolean {
  if (!isJsonObject(value) || !Array.isArray(value.nodes) || !isJsonObject(value.connections)) {
    return false;
  }
  const types = value.nodes.map((node) => (isJsonObject(node) ? node.type : undefined));
  return (
    types.every((type) => typeof type === 'string') && types.some((t) => N8N_TYPE.test(t as string))
  );
}

const isNodeRedObject = (value: unknown): value is JsonObject =>
  isJsonObject(value) && typeof value.id === 'string' && typeof value.type === 'string';

/** A Node-RED export: tabs, config nodes and nodes; at least one node wired (`wires`) to a tab. */
function isNodeRedArray(value: unknown): boolean {
  if (!Array.isArray(value) || value.length === 0 || !value.every(isNodeRedObject)) return false;
  return value.some(
    (node) => isNodeRedObject(node) && Array.isArray(node.wires) && typeof node.z === 'string',
  );
}

/** Recognises the export a parsed JSON value is, or undefined. Pure: no I/O. */
export function detectImportKind(value: unknown): ImportKind | undefined {
  if (isJsonObject(value) && value.format === 'hookflow.flow/v1') return 'hookflow';
  // `format` is optional in the API: a hand-written document may only have nodes and edges.
  if (isJsonObject(value) && Array.isArray(value.nodes) && Array.isArray(value.edges)) {
    return 'hookflow';
  }
  if (isN8nWorkflow(value)) return 'n8n';
  if (Array.isArray(value) && value.length > 0 && value.every(isN8nWorkflow)) return 'n8n';
  if (isNodeRedArray(value)) return 'node-red';
  if (isJsonObject(value) && isNodeRedArray(value.flows)) return 'node-red';
  return undefined;
}

/** A short description of what was found instead, for the "not an export" message. */
function describe(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : 'an array';
  if (isJsonObject(value)) {
    const keys = Object.keys(value).slice(0, 5);
    if (keys.length === 0) return 'an empty object';
    const more = Object.keys(value).length > keys.length ? ', …' : '';
    return `an object with ${keys.map((key) => `"${key}"`).join(', ')}${more}`;
  }
  return value === null ? 'null' : `a ${typeof value}`;
}

/**
 * Parses the text and decides the endpoint. With `auto` the content must be recognised; with an
 * explicit choice it is posted as that source, so the API's answer (with a JSON pointer) says
 * what is wrong with it.
 */
export function prepareImport(text: string, choice: ImportChoice): PreparedImport {
  if (text.trim() === '') throw new ImportInputProblem('Nothing to import: the content is empty.');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ImportInputProblem(`This is not JSON (${reason}). ${EXPECTED_SHAPES}`);
  }
  const detected = detectImportKind(body);
  if (choice !== 'auto') return { kind: choice, detected: detected === choice, body };
  if (!detected) {
    throw new ImportInputProblem(
      `Not a flow export: found ${describe(body)}. ${EXPECTED_SHAPES} ` +
        'If you know the source, choose it in "Source".',
    );
  }
  return { kind: detected, detected: true, body };
}
