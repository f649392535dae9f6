import jsonata from 'jsonata';
import { FLOW_FORMAT, type JsonValue, type StepRecord } from '@hookflow/engine';
import { isTruthy } from './filter.node';
import { compileTestFlow, NO_HTTP, runFlow } from './testing/run-action';

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
  async function filterStep(condition: string, body: JsonValue): Promise<StepRecord> {
    const flow = compileTestFlow({
      format: FLOW_FORMAT,
      name: 'filter spec',
      nodes: [
        { id: 'hook', type: 'trigger.webhook', params: {} },
        { id: 'check', type: 'filter', params: { condition } },
      ],
      edges: [{ from: 'hook', to: 'check' }],
    });
    const { steps } = await runFlow(flow, { body, http: NO_HTTP });
    const last = steps.at(-1);
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
