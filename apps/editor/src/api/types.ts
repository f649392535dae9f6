export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The subset of JSON Schema (draft-07, from TypeBox) the params form understands. */
export interface JsonSchema {
  type?: string;
  /** The form label (published for every node-type param). */
  title?: string;
  description?: string;
  examples?: JsonValue[];
  pattern?: string;
  default?: JsonValue;
  const?: JsonValue;
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  patternProperties?: Record<string, JsonSchema>;
  required?: string[];
  minimum?: number;
  maximum?: number;
  'x-hookflow-expression'?: 'jsonata' | 'handlebars';
  /** What a number counts: `ms`, `s`, `h`, `bytes`, `items`, `requests`. */
  'x-hookflow-unit'?: string;
}

export interface NodeTypeView {
  type: string;
  label: string;
  category: string;
  /** An icon name (NodeIcon draws it). */
  icon?: string;
  description: string;
  isTrigger: boolean;
  outputs: string[];
  /** More ports come from the params: each `<array param>[].port` (a switch's rules). */
  dynamicOutputs?: boolean;
  params: JsonSchema;
}

export interface FlowDocumentNode {
  id: string;
  type: string;
  params: JsonObject;
  position?: [number, number];
  [key: string]: JsonValue | undefined;
}

export interface FlowDocumentEdge {
  from: string;
  to: string;
  port?: string;
}

export interface FlowDocument {
  format: 'hookflow.flow/v1';
  name: string;
  nodes: FlowDocumentNode[];
  edges: FlowDocumentEdge[];
  [key: string]: JsonValue | undefined | FlowDocumentNode[] | FlowDocumentEdge[];
}

export interface TriggerView {
  nodeId: string;
  hookId: string;
  path: string;
  url: string;
  testPath: string;
  testUrl: string;
}

export interface FlowSummary {
  id: string;
  name: string;
  enabled: boolean;
  version: number;
  updatedAt: string;
  triggers: TriggerView[];
}

export interface FlowView extends FlowSummary {
  /** The latest version's document (a draft when it is not published). */
  document: FlowDocument;
  /** The version deliveries run (absent from APIs without versions: every save publishes). */
  publishedVersion?: number;
}

/** One stored version of a flow (`GET /api/flows/:id/versions`). */
export interface FlowVersionSummary {
  version: number;
  author?: string | null;
  message?: string | null;
  createdAt: string;
  published?: boolean;
}

export interface FlowVersionView extends FlowVersionSummary {
  document: FlowDocument;
}

/** One value that differs, at a JSON Pointer; `before` absent when added, `after` when removed. */
export interface ValueChange {
  path: string;
  before?: JsonValue;
  after?: JsonValue;
}

/** A node-level comparison of two flow documents (`GET /api/flows/:id/diff`). */
export interface FlowDiffView {
  identical: boolean;
  flow: ValueChange[];
  nodes: {
    added: FlowDocumentNode[];
    removed: FlowDocumentNode[];
    changed: Array<{ id: string; type: string; changes: ValueChange[] }>;
  };
  edges: { added: FlowDocumentEdge[]; removed: FlowDocumentEdge[] };
}

export interface Page<T> {
  items: T[];
  total: number;
}

export type ExecutionStatus =
  'pending' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';

export interface ExecutionSummary {
  id: string;
  flowId: string;
  status: ExecutionStatus;
  createdAt: string | null;
  finishedAt: string | null;
}

export interface ExecutionStep {
  seq: number;
  nodeId: string;
  nodeType: string;
  status: string;
  port: string | null;
  input: JsonValue;
  output: JsonValue;
  error: JsonValue;
  durationMs: number;
}

export interface ExecutionDetail extends ExecutionSummary {
  /** The delivery that started the run (null for runs not started by a request). */
  deliveryId?: string | null;
  /** The request that started the run (`$trigger`): method, headers, query, body. */
  trigger?: JsonValue;
  error: JsonValue;
  steps: ExecutionStep[];
}

export interface SampleItem {
  nodeId: string;
  capturedAt: string;
  request: { method: string; headers: JsonObject; query: JsonObject; body: JsonValue };
}

export interface ProblemDetail {
  path: string;
  message: string;
}

export interface CredentialView {
  id: string;
  name: string;
  type: string;
  fields: JsonValue;
}

export type ReplayVersion = 'current' | 'original';

export interface ReplayAccepted {
  executionId: string;
  deliveryId: string;
}

/** An id of an imported Hookflow document this installation already had, and what it became. */
export interface RemappedIdView {
  kind: 'flow' | 'hook';
  path: string;
  from: string;
  to: string;
}

/** A credential the imported flow names that this installation does not have (JSON Pointer). */
export interface MissingCredentialView {
  path: string;
  name: string;
}

/** `POST /api/flows/import`: the flow view plus what the import changed. */
export interface FlowImportAnswer extends FlowView {
  report: {
    remapped: RemappedIdView[];
    missingCredentials: MissingCredentialView[];
    enabled: boolean;
  };
}

/** The tools `POST /api/flows/import/<source>` converts from. */
export type ForeignImportSource = 'n8n' | 'node-red';

export type ImportedNodeOutcome = 'converted' | 'approximated' | 'unsupported';

export interface ImportedNodeView {
  sourceId: string;
  sourceName: string;
  sourceType: string;
  outcome: ImportedNodeOutcome;
  nodeIds: string[];
  notes: string[];
}

export interface ConversionReportView {
  source: ForeignImportSource;
  nodes: ImportedNodeView[];
  warnings: string[];
  summary: Record<ImportedNodeOutcome, number>;
}

/** `POST /api/flows/import/n8n` and `/node-red`: the saved (disabled) flow and the report. */
export interface ConversionAnswer {
  flow: FlowView;
  report: ConversionReportView;
}
