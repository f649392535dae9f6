import type { JsonObject, JsonValue, ValueChange } from '../api/types';

/** GET /api/flows/:id/dry-runs/:runId, as the editor reads it (docs/dry-runs.md). */
export interface NodeComparisonView {
  nodeId: string;
  verdict: 'equal' | 'changed' | 'newly_reached' | 'no_longer_reached' | 'failed';
  before?: JsonValue;
  after?: JsonValue;
  diff?: ValueChange[];
  error?: { code: string; message: string };
}

export interface SideEffectComparisonView {
  nodeId: string;
  occurrence: number;
  kind: 'http' | 'mail';
  verdict: 'equal' | 'changed' | 'new' | 'gone';
  before?: JsonObject;
  after?: JsonObject;
  diff?: ValueChange[];
  blocked?: string;
}

export interface DryRunDeliveryView {
  position: number;
  deliveryId: string | null;
  receivedAt: string | null;
  verdict: 'unchanged' | 'changed' | 'failed';
  error?: { code: string; message: string };
  nodes: NodeComparisonView[];
  sideEffects: SideEffectComparisonView[];
}

export interface DryRunView {
  id: string;
  status: 'running' | 'finished' | 'failed';
  version: number;
  baselineVersion: number;
  progress: { done: number; total: number };
  summary: { unchanged: number; changed: number; failed: number };
  error: string | null;
  deliveries?: DryRunDeliveryView[];
}
