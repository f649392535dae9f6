import { randomUUID } from 'node:crypto';
import type { DeliveryEntity } from '@hookflow/store';
import { linearFlow } from './flows';

/** Answers of the delivery log API, as the e2e suites read them. */
export interface DeliverySummary {
  id: string;
  hookId: string;
  flowId: string | null;
  receivedAt: string;
  method: string;
  contentType: string | null;
  sizeBytes: number;
  status: number;
  reason: string | null;
  executionId: string | null;
  replayOf: string | null;
}

export interface DeliveryView extends DeliverySummary {
  headers: Record<string, string>;
  query: Record<string, string>;
  body: string | null;
  bodyTruncated: boolean;
}

export interface DeliveryPage {
  items: DeliverySummary[];
  total: number;
  limit: number;
  offset: number;
}

export interface ExecutionView {
  id: string;
  status: string;
  flowVersionId: string;
  deliveryId: string | null;
  trigger: { headers: Record<string, string>; query: Record<string, string>; body: unknown };
  steps: Array<{ nodeId: string; output: unknown }>;
}
export interface FlowView {
  id: string;
  versionId: string;
  triggers: Array<{ path: string; hookId: string }>;
}
export interface ErrorView {
  error: { code: string; message: string };
}

/** v2 of `linearFlow`: the mapping adds `revision: 2`, so a run shows which version it used. */
export function linearFlowV2(sinkUrl: string) {
  const document = linearFlow(sinkUrl);
  return {
    ...document,
    nodes: document.nodes.map((node) =>
      node.id === 'map'
        ? {
            ...node,
            params: {
              expression:
                "{ 'customer': data.object.customer, 'cents': data.object.amount, 'revision': 2 }",
            },
          }
        : node,
    ),
  };
}

/** A flow whose trigger also takes GET (its query becomes the body) and greets `who`. */
export function queryEchoFlow() {
  return {
    format: 'hookflow.flow/v1',
    name: 'Greets whoever pings it',
    nodes: [
      { id: 'hook', type: 'trigger.webhook', params: { methods: ['GET', 'POST'] } },
      { id: 'echo', type: 'transform', params: { expression: "{ 'greeting': 'hi ' & who }" } },
    ],
    edges: [{ from: 'hook', to: 'echo' }],
  };
}

/** A refused delivery row, for states the hook route cannot produce on demand. */
export function refusedDeliveryRow(
  target: { hookId: string; flowId: string },
  overrides: Partial<DeliveryEntity>,
): DeliveryEntity {
  return {
    id: randomUUID(),
    hookId: target.hookId,
    flowId: target.flowId,
    receivedAt: new Date(),
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    query: {},
    contentType: 'application/json',
    sizeBytes: 2,
    body: '{}',
    status: 400,
    reason: 'refused in a test',
    executionId: null,
    ...overrides,
  };
}
