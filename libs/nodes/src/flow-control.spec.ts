import {
  compileFlow,
  FLOW_FORMAT,
  type CompiledFlow,
  type FlowEdge,
  type JsonValue,
  type OutboundHttp,
  type OutboundResponse,
  type StepRecord,
} from '@hookflow/engine';
import { nodeRegistry } from './index';
import { compileTestFlow, FakeHttp, runFlow } from './testing/run-action';

/** Answers each call with `{ sku, ok: true }`, or 503 for the SKUs listed as failing. */
class FakeInventory extends FakeHttp {
  constructor(failing: string[] = []) {
    super((request): OutboundResponse => {
      const sku = request.url.split('/').pop() ?? '';
      if (failing.includes(sku)) return { status: 503, headers: {}, body: 'down' };
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sku, ok: true }),
      };
    });
  }
}

type NodeSpec = { id: string; type: string; params?: Record<string, unknown>; onError?: string };

function compile(nodes: NodeSpec[], edges: FlowEdge[]): CompiledFlow {
  return compileTestFlow({
    format: FLOW_FORMAT,
    name: 'flow control',
    nodes: [{ id: 'hook', type: 'trigger.webhook', params: {} }, ...nodes].map((node) => ({
      params: {},
      ...node,
    })),
    edges,
  });
}

function run(flow: CompiledFlow, body: JsonValue, http: OutboundHttp = new FakeInventory()) {
  const execution = { id: 'exec-1', flowId: 'f', versionId: 'v', attempt: 1 };
  return runFlow(flow, { body, http, execution });
}

const order = {
  id: 1001,
  line_items: [
    { sku: 'A-1', qty: 1 },
    { sku: 'B-2', qty: 2 },
    { sku: 'C-3', qty: 3 },
  ],
};

describe('split and merge', () => {
  const flow = compile(
    [
      { id: 'items', type: 'split', params: { items: 'line_items' } },
      {
        id: 'reserve',
        type: 'http.request',
        params: { url: 'https://inventory.test/reserve/{{sku}}' },
      },
      { id: 'all', type: 'merge', params: {} },
    ],
    [
      { from: 'hook', to: 'items' },
      { from: 'items', to: 'reserve' },
      { from: 'reserve', to: 'all' },
    ],
  );

  it('runs the node after a split once per element, with a per-item idempotency key', async () => {
    const http = new FakeInventory();
    await run(flow, order, http);
    expect(http.requests.map((request) => request.url)).toEqual([
      'https://inventory.test/reserve/A-1',
      'https://inventory.test/reserve/B-2',
      'https://inventory.test/reserve/C-3',
    ]);
    expect(http.requests.map((request) => request.headers['idempotency-key'])).toEqual([
      'exec-1:reserve:0',
      'exec-1:reserve:1',
      'exec-1:reserve:2',
    ]);
  });

  it('merges the items back into one message, in their original order, and runs once', async () => {
    const { state, steps } = await run(flow, order);
    expect(steps.filter((step) => step.nodeId === 'all')).toHaveLength(1);
    const merged = state.outputs.all as Array<{ body: { sku: string } }>;
    expect(merged.map((response) => response.body.sku)).toEqual(['A-1', 'B-2', 'C-3']);
    expect(state.outcome).toEqual({ status: 'succeeded' });
  });

  it('a merge of an empty split does not hang the run', async () => {
    const { state } = await run(flow, { line_items: [] });
    expect(state.outcome).toEqual({ status: 'succeeded' });
  });
});

describe('merge of branches', () => {
  it('waits for both branches and keys their outputs by node id', async () => {
    const flow = compile(
      [
        { id: 'left', type: 'transform', params: { expression: '{ "l": id }' } },
        { id: 'right', type: 'transform', params: { expression: '{ "r": id }' } },
        { id: 'both', type: 'merge' },
      ],
      [
        { from: 'hook', to: 'left' },
        { from: 'hook', to: 'right' },
        { from: 'left', to: 'both' },
        { from: 'right', to: 'both' },
      ],
    );
    const { state, steps } = await run(flow, { id: 7 });
    expect(state.outputs.both).toEqual({ left: { l: 7 }, right: { r: 7 } });
    expect(steps.filter((step) => step.nodeId === 'both')).toHaveLength(1);
  });

  it('goes ahead with what arrived when a branch was filtered out', async () => {
    const flow = compile(
      [
        { id: 'gate', type: 'filter', params: { condition: 'false' } },
        { id: 'other', type: 'transform', params: { expression: '{ "o": 1 }' } },
        { id: 'both', type: 'merge' },
      ],
      [
        { from: 'hook', to: 'gate' },
        { from: 'hook', to: 'other' },
        { from: 'gate', port: 'true', to: 'both' },
        { from: 'other', to: 'both' },
      ],
    );
    const { state } = await run(flow, {});
    expect(state.outputs.both).toEqual({ other: { o: 1 } });
    expect(state.outcome).toEqual({ status: 'succeeded' });
  });
});

describe('switch', () => {
  const rules = [
    { port: 'eu', condition: "country in ['DE', 'FR']" },
    { port: 'big', condition: 'amount > 100' },
  ];
  const flowFor = (mode: string) =>
    compile(
      [
        { id: 'route', type: 'switch', params: { rules, mode } },
        { id: 'eu', type: 'transform', params: { expression: '"eu"' } },
        { id: 'big', type: 'transform', params: { expression: '"big"' } },
        { id: 'rest', type: 'transform', params: { expression: '"default"' } },
      ],
      [
        { from: 'hook', to: 'route' },
        { from: 'route', port: 'eu', to: 'eu' },
        { from: 'route', port: 'big', to: 'big' },
        { from: 'route', port: 'default', to: 'rest' },
      ],
    );
  const ran = (steps: StepRecord[]) =>
    steps.map((step) => step.nodeId).filter((id) => id !== 'hook' && id !== 'route');

  it('takes the first matching rule in first mode', async () => {
    expect(ran((await run(flowFor('first'), { country: 'DE', amount: 500 })).steps)).toEqual([
      'eu',
    ]);
  });

  it('takes every matching rule in all mode', async () => {
    expect(ran((await run(flowFor('all'), { country: 'DE', amount: 500 })).steps)).toEqual([
      'eu',
      'big',
    ]);
  });

  it('takes the default port when nothing matches', async () => {
    expect(ran((await run(flowFor('first'), { country: 'US', amount: 5 })).steps)).toEqual([
      'rest',
    ]);
  });

  it('refuses an edge from a port no rule declares, at validation', () => {
    const result = compileFlow(
      {
        format: FLOW_FORMAT,
        name: 'bad switch',
        nodes: [
          { id: 'hook', type: 'trigger.webhook', params: {} },
          { id: 'route', type: 'switch', params: { rules } },
          { id: 'x', type: 'transform', params: { expression: '$' } },
        ],
        edges: [
          { from: 'hook', to: 'route' },
          { from: 'route', port: 'asia', to: 'x' },
        ],
      },
      nodeRegistry,
    );
    expect(result.problems).toContainEqual(
      expect.objectContaining({
        path: '/edges/1/port',
        message: expect.stringContaining('default, eu, big'),
      }),
    );
  });
});

describe('set', () => {
  it('sets literal and computed fields by dot path, keeping the others', async () => {
    const flow = compile(
      [
        {
          id: 'tag',
          type: 'set',
          params: {
            fields: [
              { name: 'customer.tier', value: 'gold' },
              { name: 'total', expression: '$sum(items.price)' },
            ],
          },
        },
      ],
      [{ from: 'hook', to: 'tag' }],
    );
    const { state } = await run(flow, {
      customer: { id: 'c1' },
      items: [{ price: 2 }, { price: 3 }],
    });
    expect(state.outputs.tag).toEqual({
      customer: { id: 'c1', tier: 'gold' },
      items: [{ price: 2 }, { price: 3 }],
      total: 5,
    });
  });

  it('refuses prototype keys in field names', async () => {
    const flow = compile(
      [{ id: 'tag', type: 'set', params: { fields: [{ name: 'a.__proto__', value: 1 }] } }],
      [{ from: 'hook', to: 'tag' }],
    );
    const { state } = await run(flow, {});
    expect(state.outcome).toMatchObject({ status: 'failed', error: { code: 'invalid_field' } });
    expect(({} as Record<string, unknown>).a).toBeUndefined();
  });
});

describe('onError', () => {
  const flowWith = (onError: string, edges: FlowEdge[] = []) =>
    compile(
      [
        {
          id: 'call',
          type: 'http.request',
          params: { url: 'https://inventory.test/reserve/X-9' },
          onError,
        },
        { id: 'after', type: 'transform', params: { expression: '{ "saw": error.code }' } },
      ],
      [{ from: 'hook', to: 'call' }, ...edges],
    );

  it('stop (default) fails the run at the node', async () => {
    const { state } = await run(
      flowWith('stop', [{ from: 'call', to: 'after' }]),
      {},
      new FakeInventory(['X-9']),
    );
    expect(state.outcome).toMatchObject({ status: 'failed', error: { nodeId: 'call' } });
  });

  it('continue passes { error, input } on and the run succeeds', async () => {
    const { state, steps } = await run(
      flowWith('continue', [{ from: 'call', to: 'after' }]),
      {},
      new FakeInventory(['X-9']),
    );
    expect(state.outcome).toEqual({ status: 'succeeded' });
    expect(steps.find((step) => step.nodeId === 'call')?.status).toBe('failed');
    expect(state.outputs.after).toEqual({ saw: 'http_status' });
  });

  it('route sends the error out of the error port only', async () => {
    const flow = compile(
      [
        {
          id: 'call',
          type: 'http.request',
          params: { url: 'https://inventory.test/reserve/X-9' },
          onError: 'route',
        },
        { id: 'ok', type: 'transform', params: { expression: '"ok"' } },
        { id: 'alert', type: 'transform', params: { expression: '{ "alert": error.message }' } },
      ],
      [
        { from: 'hook', to: 'call' },
        { from: 'call', to: 'ok' },
        { from: 'call', port: 'error', to: 'alert' },
      ],
    );
    const { state } = await run(flow, {}, new FakeInventory(['X-9']));
    expect(state.outputs.ok).toBeUndefined();
    expect(state.outputs.alert).toEqual({ alert: expect.stringContaining('503') });
  });
});
