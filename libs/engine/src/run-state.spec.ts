import { Type } from '@sinclair/typebox';
import { compileFlow, type CompiledFlow } from './compile-flow';
import { FLOW_FORMAT } from './flow-document';
import type { JsonValue } from './json';
import {
  createRegistry,
  defineNodeType,
  Jsonata,
  Template,
  type ExecutionInfo,
  type TriggerData,
} from './node-type';
import {
  OutboundError,
  type OutboundHttp,
  type OutboundRequest,
  type OutboundResponse,
} from './outbound-http';
import { advanceRun } from './advance-run';
import { NodeFailure } from './node-failure';
import {
  attachBody,
  detachBody,
  isFinished,
  RUN_STATE_FORMAT,
  startRun,
  type RunServices,
  type RunState,
  type StepRecord,
} from './run-state';

/*
 * The engine is tested with its own small node types, so these specs do not depend on
 * @hookflow/nodes; each one exercises one part of the NodeContext.
 */
const testTrigger = defineNodeType({
  type: 'test.trigger',
  label: 'Trigger',
  category: 'trigger',
  version: 1,
  icon: 'test',
  description: 'Outputs the request body.',
  isTrigger: true,
  outputs: ['main'],
  params: Type.Object({}),
  async execute(ctx) {
    return { port: 'main', output: ctx.trigger.body };
  },
});

const testMap = defineNodeType({
  type: 'test.map',
  label: 'Map',
  category: 'transform',
  version: 1,
  icon: 'test',
  description: 'Evaluates a JSONata expression.',
  isTrigger: false,
  outputs: ['main'],
  params: Type.Object({ expression: Jsonata() }),
  async execute(ctx, params) {
    return { port: 'main', output: await ctx.evaluate(params.expression) };
  },
});

const testBranch = defineNodeType({
  type: 'test.branch',
  label: 'Branch',
  category: 'flow',
  version: 1,
  icon: 'test',
  description: 'Sends the message to `true` or `false`.',
  isTrigger: false,
  outputs: ['true', 'false'],
  params: Type.Object({ condition: Jsonata() }),
  async execute(ctx, params) {
    const verdict = (await ctx.evaluate(params.condition)) === true;
    return { port: verdict ? 'true' : 'false', output: ctx.input };
  },
});

const testCall = defineNodeType({
  type: 'test.call',
  label: 'Call',
  category: 'action',
  version: 1,
  icon: 'test',
  description: 'Posts the message and outputs the answer.',
  isTrigger: false,
  outputs: ['main'],
  params: Type.Object({ url: Template() }),
  async execute(ctx, params) {
    const response = await ctx.http.request({
      method: 'POST',
      url: ctx.render(params.url),
      headers: { 'idempotency-key': ctx.idempotencyKey },
      body: JSON.stringify(ctx.input),
      timeoutMs: 1000,
      signal: ctx.signal,
    });
    if (response.status >= 400) {
      throw new NodeFailure('http_status', `answered ${response.status}`, '/nodes/x/params/url');
    }
    return { port: 'main', output: { status: response.status, body: response.body } };
  },
});

const testRespond = defineNodeType({
  type: 'test.respond',
  label: 'Respond',
  category: 'flow',
  version: 1,
  icon: 'test',
  description: 'Answers the caller with the message.',
  isTrigger: false,
  outputs: ['main'],
  params: Type.Object({}),
  async execute(ctx) {
    return {
      port: 'main',
      output: ctx.input,
      response: { status: 201, headers: { 'x-run': ctx.execution.id }, body: ctx.input },
    };
  },
});

const testCrash = defineNodeType({
  type: 'test.crash',
  label: 'Crash',
  category: 'action',
  version: 1,
  icon: 'test',
  description: 'Throws a plain error.',
  isTrigger: false,
  outputs: ['main'],
  params: Type.Object({}),
  async execute() {
    throw new TypeError('boom');
  },
});

const registry = createRegistry([
  testTrigger,
  testMap,
  testBranch,
  testCall,
  testRespond,
  testCrash,
]);

type Node = { id: string; type: string; params?: Record<string, unknown> };
type Edge = { from: string; to: string; port?: string };

const hook: Node = { id: 'hook', type: 'test.trigger', params: {} };

function map(id: string, expression: string): Node {
  return { id, type: 'test.map', params: { expression } };
}

function compile(nodes: Node[], edges: Edge[]): CompiledFlow {
  const result = compileFlow(
    {
      format: FLOW_FORMAT,
      name: 'run-state spec',
      nodes: nodes.map((node) => ({ params: {}, ...node })),
      edges,
    },
    registry,
  );
  if (!result.ok) throw new Error(`test flow does not compile: ${JSON.stringify(result.problems)}`);
  return result.flow;
}

const trigger: TriggerData = {
  method: 'POST',
  path: '/hooks/h1',
  headers: { 'content-type': 'application/json' },
  query: {},
  body: { n: 3 },
  receivedAt: '2024-05-01T12:00:00.000Z',
};

const execution: ExecutionInfo = { id: 'exec-1', flowId: 'flow-1', versionId: 'v1', attempt: 1 };

function triggerWith(body: JsonValue): TriggerData {
  return { ...trigger, body };
}

/** Records every request and answers from a script; unknown URLs get 200 `ok`. */
class FakeHttp implements OutboundHttp {
  readonly requests: OutboundRequest[] = [];

  constructor(private readonly answers: Record<string, OutboundResponse | Error> = {}) {}

  async request(request: OutboundRequest): Promise<OutboundResponse> {
    this.requests.push(request);
    const answer = this.answers[request.url] ?? { status: 200, headers: {}, body: 'ok' };
    if (answer instanceof Error) throw answer;
    return answer;
  }
}

/** A clock that starts at a fixed instant and moves one second per reading. */
function steppingClock(start = '2024-05-01T12:00:00.000Z'): () => Date {
  let at = Date.parse(start);
  return () => {
    const now = new Date(at);
    at += 1000;
    return now;
  };
}

function services(http: OutboundHttp = new FakeHttp()): RunServices {
  return { http, now: steppingClock() };
}

async function runToEnd(
  flow: CompiledFlow,
  state: RunState,
  runServices: RunServices = services(),
): Promise<{ state: RunState; steps: StepRecord[] }> {
  const steps: StepRecord[] = [];
  let current = state;
  while (!isFinished(current)) {
    if (steps.length > 50) throw new Error('run did not finish');
    const next = await advanceRun(flow, current, runServices);
    if (!next.step) throw new Error('run suspended unexpectedly');
    steps.push(next.step);
    current = next.state;
  }
  return { state: current, steps };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

describe('startRun', () => {
  it('queues the trigger with the request body and nothing else', () => {
    const flow = compile([hook, map('a', '$')], [{ from: 'hook', to: 'a' }]);
    expect(startRun(flow, trigger, execution)).toEqual({
      format: RUN_STATE_FORMAT,
      trigger,
      execution,
      queue: [{ nodeId: 'hook', input: { n: 3 } }],
      outputs: {},
      nextSeq: 0,
    });
  });
});

describe('advanceRun', () => {
  it('records input, output, port, status and times for every step of a linear flow', async () => {
    const http = new FakeHttp({
      'https://api.test/orders/3': { status: 201, headers: {}, body: 'created' },
    });
    const flow = compile(
      [
        hook,
        map('double', '{ "n": n * 2, "id": n }'),
        { id: 'call', type: 'test.call', params: { url: 'https://api.test/orders/{{id}}' } },
      ],
      [
        { from: 'hook', to: 'double' },
        { from: 'double', to: 'call' },
      ],
    );
    const { state, steps } = await runToEnd(
      flow,
      startRun(flow, trigger, execution),
      services(http),
    );
    expect(steps).toEqual([
      {
        seq: 0,
        attempt: 1,
        nodeId: 'hook',
        nodeType: 'test.trigger',
        input: { n: 3 },
        startedAt: '2024-05-01T12:00:00.000Z',
        finishedAt: '2024-05-01T12:00:01.000Z',
        status: 'succeeded',
        port: 'main',
        output: { n: 3 },
      },
      {
        seq: 1,
        attempt: 1,
        nodeId: 'double',
        nodeType: 'test.map',
        input: { n: 3 },
        startedAt: '2024-05-01T12:00:02.000Z',
        finishedAt: '2024-05-01T12:00:03.000Z',
        status: 'succeeded',
        port: 'main',
        output: { n: 6, id: 3 },
      },
      {
        seq: 2,
        attempt: 1,
        nodeId: 'call',
        nodeType: 'test.call',
        input: { n: 6, id: 3 },
        startedAt: '2024-05-01T12:00:04.000Z',
        finishedAt: '2024-05-01T12:00:05.000Z',
        status: 'succeeded',
        port: 'main',
        output: { status: 201, body: 'created' },
      },
    ]);
    expect(state.outcome).toEqual({ status: 'succeeded' });
    expect(state.queue).toEqual([]);
    expect(state.nextSeq).toBe(3);
    expect(http.requests.map((request) => request.url)).toEqual(['https://api.test/orders/3']);
  });

  it('gives nodes the idempotency key <executionId>:<nodeId>', async () => {
    const http = new FakeHttp();
    const flow = compile(
      [hook, { id: 'call', type: 'test.call', params: { url: 'https://x.test' } }],
      [{ from: 'hook', to: 'call' }],
    );
    await runToEnd(flow, startRun(flow, trigger, execution), services(http));
    expect(http.requests[0].headers['idempotency-key']).toBe('exec-1:call');
  });

  describe('a branch node', () => {
    const flow = compile(
      [
        hook,
        { id: 'check', type: 'test.branch', params: { condition: 'n > 10' } },
        map('big', '"big"'),
        map('big2', '"big2"'),
        map('small', '"small"'),
      ],
      [
        { from: 'hook', to: 'check' },
        { from: 'check', to: 'big', port: 'true' },
        { from: 'check', to: 'big2', port: 'true' },
        { from: 'check', to: 'small', port: 'false' },
      ],
    );

    it('on false runs the child on `false` and none of the children on `true`', async () => {
      const { state, steps } = await runToEnd(
        flow,
        startRun(flow, triggerWith({ n: 3 }), execution),
      );
      expect(steps.map((step) => step.nodeId)).toEqual(['hook', 'check', 'small']);
      expect(steps[1]).toMatchObject({ status: 'succeeded', port: 'false', output: { n: 3 } });
      expect(Object.keys(state.outputs)).toEqual(['hook', 'check', 'small']);
      expect(state.outcome).toEqual({ status: 'succeeded' });
    });

    it('on true runs the children on `true` and not the child on `false`', async () => {
      const { steps } = await runToEnd(flow, startRun(flow, triggerWith({ n: 30 }), execution));
      expect(steps.map((step) => step.nodeId)).toEqual(['hook', 'check', 'big', 'big2']);
      expect(steps[1]).toMatchObject({ port: 'true' });
    });
  });

  it('ends a path whose port has no edges and finishes the run when nothing is queued', async () => {
    const flow = compile(
      [
        hook,
        { id: 'check', type: 'test.branch', params: { condition: 'n > 10' } },
        map('big', '"big"'),
      ],
      [
        { from: 'hook', to: 'check' },
        { from: 'check', to: 'big', port: 'true' },
      ],
    );
    const { state, steps } = await runToEnd(flow, startRun(flow, trigger, execution));
    expect(steps.map((step) => step.nodeId)).toEqual(['hook', 'check']);
    expect(state.outcome).toEqual({ status: 'succeeded' });
  });

  it('fans out to every child in edge order, each getting the same message', async () => {
    const flow = compile(
      [hook, map('a', '"a"'), map('b', '"b"')],
      [
        { from: 'hook', to: 'b' },
        { from: 'hook', to: 'a' },
      ],
    );
    const first = await advanceRun(flow, startRun(flow, trigger, execution), services());
    expect(first.state.queue).toEqual([
      { nodeId: 'b', input: { n: 3 }, from: 'hook' },
      { nodeId: 'a', input: { n: 3 }, from: 'hook' },
    ]);
    expect(first.state.outcome).toBeUndefined();
    const { steps } = await runToEnd(flow, first.state);
    expect(steps.map((step) => [step.nodeId, step.input])).toEqual([
      ['b', { n: 3 }],
      ['a', { n: 3 }],
    ]);
  });

  it('lets expressions see earlier outputs as $nodes.<id>, plus $trigger and $execution', async () => {
    const flow = compile(
      [
        hook,
        map('price', '{ "amount": n * 10 }'),
        map(
          'summary',
          '{ "total": $nodes.price.amount + $nodes.hook.n, "from": $trigger.path, "run": $execution.id, "input": $ }',
        ),
      ],
      [
        { from: 'hook', to: 'price' },
        { from: 'price', to: 'summary' },
      ],
    );
    const { state } = await runToEnd(flow, startRun(flow, trigger, execution));
    expect(state.outputs.summary).toEqual({
      total: 33,
      from: '/hooks/h1',
      run: 'exec-1',
      input: { amount: 30 },
    });
  });

  it('keeps the response a node set in the run state', async () => {
    const flow = compile(
      [hook, { id: 'answer', type: 'test.respond' }, map('after', '"done"')],
      [
        { from: 'hook', to: 'answer' },
        { from: 'answer', to: 'after' },
      ],
    );
    const start = startRun(flow, trigger, execution);
    expect(start.response).toBeUndefined();
    const { state } = await runToEnd(flow, start);
    expect(state.response).toEqual({ status: 201, headers: { 'x-run': 'exec-1' }, body: { n: 3 } });
  });

  describe('a failing node', () => {
    const flow = compile(
      [
        hook,
        { id: 'call', type: 'test.call', params: { url: 'https://down.test' } },
        map('after', '"after"'),
        map('sibling', '"sibling"'),
      ],
      [
        { from: 'hook', to: 'call' },
        { from: 'hook', to: 'sibling' },
        { from: 'call', to: 'after' },
      ],
    );

    it('fails the run with the node id and error code and leaves the rest unrun', async () => {
      const http = new FakeHttp({ 'https://down.test': { status: 503, headers: {}, body: '' } });
      const { state, steps } = await runToEnd(
        flow,
        startRun(flow, trigger, execution),
        services(http),
      );
      const error = {
        code: 'http_status',
        message: 'answered 503',
        nodeId: 'call',
        path: '/nodes/x/params/url',
        attempt: 1,
      };
      expect(steps.map((step) => step.nodeId)).toEqual(['hook', 'call']);
      expect(steps[1]).toEqual({
        seq: 1,
        attempt: 1,
        nodeId: 'call',
        nodeType: 'test.call',
        input: { n: 3 },
        startedAt: '2024-05-01T12:00:02.000Z',
        finishedAt: '2024-05-01T12:00:03.000Z',
        status: 'failed',
        error,
      });
      expect(state.outcome).toEqual({ status: 'failed', error });
      expect(Object.keys(state.outputs)).toEqual(['hook']);
      await expect(advanceRun(flow, state, services(http))).rejects.toThrow(
        'advanceRun called on a finished run',
      );
    });

    it('reports an OutboundError by its own code', async () => {
      const http = new FakeHttp({
        'https://down.test': new OutboundError('timeout', 'no answer in 1000 ms'),
      });
      const { state } = await runToEnd(flow, startRun(flow, trigger, execution), services(http));
      expect(state.outcome).toEqual({
        status: 'failed',
        error: { code: 'timeout', message: 'no answer in 1000 ms', nodeId: 'call', attempt: 1 },
      });
    });

    it('reports an expression error by its code', async () => {
      const broken = compile([hook, map('bad', 'n + "x"')], [{ from: 'hook', to: 'bad' }]);
      const { state } = await runToEnd(broken, startRun(broken, trigger, execution));
      expect(state.outcome).toMatchObject({
        status: 'failed',
        error: { code: 'expression_failed', nodeId: 'bad' },
      });
    });

    it('reports an unexpected exception as node_failed with its message', async () => {
      const crashing = compile(
        [hook, { id: 'crash', type: 'test.crash' }],
        [{ from: 'hook', to: 'crash' }],
      );
      const { state } = await runToEnd(crashing, startRun(crashing, trigger, execution));
      expect(state.outcome).toEqual({
        status: 'failed',
        error: { code: 'node_failed', message: 'boom', nodeId: 'crash', attempt: 1 },
      });
    });
  });

  it('refuses a queued node that is not in this flow version', async () => {
    const flow = compile([hook], []);
    const state: RunState = {
      ...startRun(flow, trigger, execution),
      queue: [{ nodeId: 'gone', input: null }],
    };
    await expect(advanceRun(flow, state, services())).rejects.toThrow(
      'node gone is not in this flow version',
    );
  });

  describe('run state', () => {
    const flow = compile(
      [
        hook,
        map('a', '{ "a": n }'),
        { id: 'check', type: 'test.branch', params: { condition: '$nodes.a.a = 3' } },
        { id: 'answer', type: 'test.respond' },
        map('b', '$nodes.a.a + 1'),
      ],
      [
        { from: 'hook', to: 'a' },
        { from: 'a', to: 'check' },
        { from: 'check', to: 'answer', port: 'true' },
        { from: 'check', to: 'b', port: 'true' },
      ],
    );

    it('survives a JSON round trip at every step and resumes identically from it', async () => {
      let state = startRun(flow, trigger, execution);
      const nodeIds: string[] = [];
      while (!isFinished(state)) {
        const revived = JSON.parse(JSON.stringify(state)) as RunState;
        expect(revived).toEqual(state);
        const fromOriginal = await advanceRun(flow, state, services());
        const fromRevived = await advanceRun(flow, revived, services());
        expect(fromRevived).toEqual(fromOriginal);
        nodeIds.push(fromRevived.step?.nodeId ?? 'suspended');
        state = fromRevived.state;
      }
      expect(nodeIds).toEqual(['hook', 'a', 'check', 'answer', 'b']);
      expect(state.outputs.b).toBe(4);
      expect(JSON.parse(JSON.stringify(state))).toEqual(state);
    });

    it('is never mutated by advanceRun', async () => {
      let state = startRun(flow, structuredClone(trigger), structuredClone(execution));
      while (!isFinished(state)) {
        const before = structuredClone(state);
        deepFreeze(state);
        const next = await advanceRun(flow, state, services());
        expect(state).toEqual(before);
        expect(next.state).not.toBe(state);
        state = next.state;
      }
    });
  });
});

describe('detachBody and attachBody', () => {
  const body = { items: [{ sku: 'a', qty: 2 }], note: 'x'.repeat(100) };
  const flow = compile(
    [hook, map('copy', '$'), map('count', '$count(items)')],
    [
      { from: 'hook', to: 'copy' },
      { from: 'hook', to: 'count' },
    ],
  );

  it('stores a state with no copy of the trigger body and restores it exactly', async () => {
    const started = { ...startRun(flow, triggerWith(body), execution), bodyStored: true as const };
    const afterHook = (await advanceRun(flow, started, services())).state;
    const stored = JSON.parse(JSON.stringify(detachBody(afterHook))) as RunState;

    expect(JSON.stringify(stored)).not.toContain('x'.repeat(100));
    expect(stored.bodyRefs).toEqual({ outputs: ['hook'], queue: [0, 1] });
    expect(stored.bodyStored).toBeUndefined();
    const restored = attachBody(stored, structuredClone(body));
    const { bodyRefs: _refs, ...withoutRefs } = restored;
    expect(withoutRefs).toEqual(afterHook);
    expect(restored.bodyRefs).toBeUndefined();
  });

  it('keeps the store flag through advanceRun and runs the same from a restored state', async () => {
    const started = { ...startRun(flow, triggerWith(body), execution), bodyStored: true as const };
    let original: RunState = started;
    let restored: RunState = started;
    while (!isFinished(original)) {
      const stored = JSON.parse(JSON.stringify(detachBody(restored))) as RunState;
      restored = attachBody(stored, structuredClone(body));
      const fromOriginal = await advanceRun(flow, original, services());
      const fromRestored = await advanceRun(flow, restored, services());
      expect(fromRestored).toEqual(fromOriginal);
      expect(fromRestored.state.bodyStored).toBe(true);
      original = fromOriginal.state;
      restored = fromRestored.state;
    }
    // `copy` output equals the body but is its own value: it stays inline, as computed.
    expect(original.outputs.copy).toEqual(body);
    expect(detachBody(original).bodyRefs).toEqual({ outputs: ['hook'], queue: [] });
    expect(original.outputs.count).toBe(1);
  });
});
