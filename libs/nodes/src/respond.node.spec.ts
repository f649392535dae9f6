import {
  advanceRun,
  compileFlow,
  FLOW_FORMAT,
  isFinished,
  startRun,
  type JsonValue,
  type OutboundHttp,
  type RunState,
} from '@hookflow/engine';
import { nodeRegistry } from './index';

const noHttp: OutboundHttp = {
  request: () => Promise.reject(new Error('respond must not call out')),
};

async function run(
  respondParams: Record<string, unknown>,
  body: JsonValue = { id: 7, name: 'Ada' },
): Promise<RunState> {
  const result = compileFlow(
    {
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
    },
    nodeRegistry,
  );
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  const trigger = {
    method: 'POST',
    path: '/hooks/h',
    headers: {},
    query: {},
    body,
    receivedAt: '2024-05-01T12:00:00.000Z',
  };
  const execution = { id: 'exec-9', flowId: 'f', versionId: 'v', attempt: 1 };
  let state = startRun(result.flow, trigger, execution);
  while (!isFinished(state)) {
    state = (await advanceRun(result.flow, state, { http: noHttp, now: () => new Date(0) })).state;
  }
  return state;
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
