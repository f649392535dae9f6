import { compileFlow, FLOW_FORMAT, type JsonValue, type RunState } from '@hookflow/engine';
import { nodeRegistry } from './index';
import { compileTestFlow, NO_HTTP, runFlow } from './testing/run-action';

async function run(
  respondParams: Record<string, unknown>,
  body: JsonValue = { id: 7, name: 'Ada' },
): Promise<RunState> {
  const flow = compileTestFlow({
    format: FLOW_FORMAT,
    name: 'respond spec',
    nodes: [
      { id: 'hook', type: 'trigger.webhook', params: {} },
      { id: 'answer', type: 'respond', params: respondParams },
      { id: 'after', type: 'transform', params: { expression: '"after"' } },
    ],
    edges: [
      { from: 'hook', to: 'answer' },
      { from: 'answer', to: 'after' },
    ],
  });
  const execution = { id: 'exec-9', flowId: 'f', versionId: 'v', attempt: 1 };
  return (await runFlow(flow, { body, http: NO_HTTP, execution })).state;
}

describe('respond node', () => {
  it('answers 200 with the message as body and no headers by default', async () => {
    const state = await run({});
    expect(state.response).toEqual({ status: 200, headers: {}, body: { id: 7, name: 'Ada' } });
  });

  it('sets the status, a JSONata body and rendered headers in the run state', async () => {
    const state = await run({
      status: 201,
      body: '{ "created": id, "run": $execution.id }',
      headers: { Location: '/orders/{{id}}', 'X-Run': '{{@execution.id}}' },
    });
    expect(state.response).toEqual({
      status: 201,
      headers: { Location: '/orders/7', 'X-Run': 'exec-9' },
      body: { created: 7, run: 'exec-9' },
    });
  });

  it('passes its body on as output, and the response survives later nodes', async () => {
    const state = await run({ body: '{ "ok": true }' });
    expect(state.outputs.answer).toEqual({ ok: true });
    expect(state.outputs.after).toBe('after');
    expect(state.outcome).toEqual({ status: 'succeeded' });
    expect(state.response?.body).toEqual({ ok: true });
  });

  it('rejects a status outside 100-599 when the flow is compiled', () => {
    const result = compileFlow(
      {
        format: FLOW_FORMAT,
        name: 'bad status',
        nodes: [
          { id: 'hook', type: 'trigger.webhook', params: {} },
          { id: 'answer', type: 'respond', params: { status: 700 } },
        ],
        edges: [{ from: 'hook', to: 'answer' }],
      },
      nodeRegistry,
    );
    expect(result.problems).toEqual([
      {
        path: '/nodes/1/params/status',
        message: 'Expected integer to be less or equal to 599',
        code: 'invalid_params',
      },
    ]);
  });
});
