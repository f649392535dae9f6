/** The flow documents (format hookflow.flow/v1) and payloads the bench imports and posts. */

export type Respond = 'when-finished' | 'immediately';

interface FlowNode {
  id: string;
  type: string;
  params: Record<string, unknown>;
}

export interface FlowDocument {
  format: 'hookflow.flow/v1';
  name: string;
  nodes: FlowNode[];
  edges: Array<{ from: string; to: string; port?: string }>;
}

const MAP_EXPRESSION = "{ 'type': event, 'cents': amount, 'customer': customer_id }";

/**
 * W1 (`when-finished`) and W2 (`immediately`): webhook -> transform -> filter -> respond.
 * The trigger is node 0, so a refusal of its `respond` value names /nodes/0/params/respond.
 */
export function paymentFlow(respond: Respond): FlowDocument {
  return {
    format: 'hookflow.flow/v1',
    name: `bench ${respond === 'when-finished' ? 'W1 sync' : 'W2 async'}`,
    nodes: [
      { id: 'hook', type: 'trigger.webhook', params: { respond } },
      { id: 'map', type: 'transform', params: { expression: MAP_EXPRESSION } },
      { id: 'big', type: 'filter', params: { condition: 'cents > 1000' } },
      { id: 'answer', type: 'respond', params: { status: 200 } },
    ],
    edges: [
      { from: 'hook', to: 'map' },
      { from: 'map', to: 'big' },
      { from: 'big', port: 'true', to: 'answer' },
    ],
  };
}

/** W3: webhook -> transform -> http.request POSTing the mapped JSON to the local sink. */
export function actionFlow(sinkUrl: string): FlowDocument {
  return {
    format: 'hookflow.flow/v1',
    name: 'bench W3 actions',
    nodes: [
      { id: 'hook', type: 'trigger.webhook', params: { respond: 'immediately' } },
      { id: 'map', type: 'transform', params: { expression: MAP_EXPRESSION } },
      {
        id: 'notify',
        type: 'http.request',
        params: { method: 'POST', url: `${sinkUrl}/payments`, timeoutMs: 10_000 },
      },
    ],
    edges: [
      { from: 'hook', to: 'map' },
      { from: 'map', to: 'notify' },
    ],
  };
}

/** The small delivery every load point posts (passes the filter: 2500 > 1000). */
export const PAYMENT_BODY = JSON.stringify({
  event: 'payment.succeeded',
  amount: 2500,
  customer_id: 'cus_Qh2aLkdIwHu7ix',
});

export const EXPECTED_W1_ANSWER = {
  type: 'payment.succeeded',
  cents: 2500,
  customer: 'cus_Qh2aLkdIwHu7ix',
};

/** A JSON delivery of at least `bytes` bytes: the W1 fields plus a long array of line items. */
export function bigPayload(bytes: number): string {
  const head = '{"event":"payment.succeeded","amount":2500,"customer_id":"cus_big","items":[';
  const note = 'x'.repeat(160);
  const parts: string[] = [head];
  let size = head.length + 2;
  for (let index = 0; size < bytes; index += 1) {
    const item = `${index === 0 ? '' : ','}{"sku":"sku-${index}","qty":${(index % 7) + 1},"note":"${note}"}`;
    parts.push(item);
    size += item.length;
  }
  parts.push(']}');
  return parts.join('');
}
