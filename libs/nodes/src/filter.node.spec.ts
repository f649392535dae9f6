import jsonata from 'jsonata';
import {
  advanceRun,
  compileFlow,
  FLOW_FORMAT,
  isFinished,
  startRun,
  type JsonValue,
  type OutboundHttp,
  type StepRecord,
} from '@hookflow/engine';
import { isTruthy } from './filter.node';
import { nodeRegistry } from './index';

const cases: Array<[string, JsonValue, boolean]> = [
  ['null', null, false],
  ['false', false, false],
  ['true', true, true],
  ['0', 0, false],
  ['a non-zero number', -2.5, true],
  ['the empty string', '', false],
  ['a non-empty string', 'no', true],
  ['the string "false"', 'false', true],
  ['the empty object', {}, false],
  ['a non-empty object', { a: null }, true],
  ['the empty array', [], false],
  ['an array of falsy items', [0, '', null, false, {}, []], false],
  ['an array with one truthy item', [0, 'x'], true],
  ['a nested array with a truthy item deep down', [[], [[0], [1]]], true],
];

describe('isTruthy', () => {
  it.each(cases)('%s is %s', (_label, value, expected) => {
    expect(isTruthy(value)).toBe(expected);
  });

  it.each(cases)("agrees with JSONata's $boolean for %s", async (_label, value) => {
    const verdict: unknown = await jsonata('$boolean($)').evaluate(value);
    expect(isTruthy(value)).toBe(verdict === true);
  });
});

describe('filter node', () => {
  const noHttp: OutboundHttp = {
    request: () => Promise.reject(new Error('filter must not call out')),
  };

  async function filterStep(condition: string, body: JsonValue): Promise<StepRecord> {
    const result = compileFlow(
      {
        format: FLOW_FORMAT,
        name: 'filter spec',
        nodes: [
          { id: 'hook', type: 'trigger.webhook', params: {} },
          { id: 'check', type: 'filter', params: { condition } },
        ],
        edges: [{ from: 'hook', to: 'check' }],
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
    const execution = { id: 'e', flowId: 'f', versionId: 'v', attempt: 1 };
    let state = startRun(result.flow, trigger, execution);
    let last: StepRecord | undefined;
    while (!isFinished(state)) {
      const next = await advanceRun(result.flow, state, { http: noHttp, now: () => new Date(0) });
      last = next.step;
      state = next.state;
    }
    if (!last) throw new Error('no step ran');
    return last;
  }

  it('passes the message unchanged to `true` when the condition holds', async () => {
    expect(await filterStep('amount > 100', { amount: 150 })).toMatchObject({
      status: 'succeeded',
      port: 'true',
      output: { amount: 150 },
    });
  });

  it('passes the message unchanged to `false` when it does not', async () => {
    expect(await filterStep('amount > 100', { amount: 50 })).toMatchObject({
      status: 'succeeded',
      port: 'false',
      output: { amount: 50 },
    });
  });

  it('treats a missing field as false and a non-empty list as true', async () => {
    expect(await filterStep('missing', { amount: 1 })).toMatchObject({ port: 'false' });
    expect(await filterStep('tags', { tags: ['vip'] })).toMatchObject({ port: 'true' });
  });
});
