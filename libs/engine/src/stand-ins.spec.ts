import { Type } from '@sinclair/typebox';
import { advanceRun } from './advance-run';
import { compileFlow, type CompiledFlow } from './compile-flow';
import { FLOW_FORMAT } from './flow-document';
import type { JsonValue } from './json';
import { createRegistry, defineNodeType, type NodeType } from './node-type';
import type { OutboundHttp } from './outbound-http';
import { startRun, type RunServices, type RunState } from './run-state';

/** A node type that only says what it got; `pure` as given. */
function echo(type: string, pure: boolean): NodeType {
  return defineNodeType({
    type,
    label: type,
    category: pure ? 'transform' : 'action',
    version: 1,
    icon: 'test',
    description: 'Outputs its input with its own mark.',
    isTrigger: type === 'test.trigger',
    outputs: ['main'],
    params: Type.Object({}),
    ...(pure ? { pure: true } : {}),
    async execute(ctx) {
      return { port: 'main', output: { mark: type, input: ctx.input } };
    },
  });
}

const registry = createRegistry([
  echo('test.trigger', true),
  echo('test.pure', true),
  echo('test.action', false),
]);

function flow(): CompiledFlow {
  const result = compileFlow(
    {
      format: FLOW_FORMAT,
      name: 'stand-ins',
      nodes: [
        { id: 'hook', type: 'test.trigger', params: {} },
        { id: 'act', type: 'test.action', params: {} },
        { id: 'after', type: 'test.pure', params: {} },
      ],
      edges: [
        { from: 'hook', to: 'act' },
        { from: 'act', to: 'after' },
      ],
    },
    registry,
  );
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.flow;
}

const NO_HTTP: OutboundHttp = { request: () => Promise.reject(new Error('no network here')) };

async function outputs(services: RunServices): Promise<Record<string, JsonValue>> {
  const compiled = flow();
  let state: RunState = startRun(
    compiled,
    { method: 'POST', path: '/', headers: {}, query: {}, body: 1, receivedAt: '' },
    { id: 'e1', flowId: 'f', versionId: 'v', attempt: 1 },
  );
  while (!state.outcome) state = (await advanceRun(compiled, state, services)).state;
  return state.outputs;
}

describe('advanceRun with stand-ins (dry runs)', () => {
  it('gives an impure node the recorded answer, so its children see it; pure nodes run as usual', async () => {
    const asked: string[] = [];
    const result = await outputs({
      http: NO_HTTP,
      now: () => new Date(0),
      standIns: {
        recorded: (nodeId) => {
          asked.push(nodeId);
          return { recorded: nodeId };
        },
      },
    });
    expect(asked).toEqual(['act']);
    expect(result.act).toEqual({ recorded: 'act' });
    expect(result.after).toEqual({ mark: 'test.pure', input: { recorded: 'act' } });
  });

  it("keeps the node's own answer when the recorded run has none", async () => {
    const result = await outputs({
      http: NO_HTTP,
      now: () => new Date(0),
      standIns: { recorded: () => undefined },
    });
    expect(result.act).toEqual({ mark: 'test.action', input: { mark: 'test.trigger', input: 1 } });
  });

  it('leaves real runs alone: without stand-ins every node answers for itself', async () => {
    const result = await outputs({ http: NO_HTTP, now: () => new Date(0) });
    expect(result.after).toEqual({
      mark: 'test.pure',
      input: { mark: 'test.action', input: { mark: 'test.trigger', input: 1 } },
    });
  });
});
