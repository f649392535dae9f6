import { compareDryRun, type DryRunTrace, type HeldSideEffect } from './dry-run-comparison';

const call = (body: Record<string, string | number>): HeldSideEffect => ({
  nodeId: 'call',
  occurrence: 0,
  kind: 'http',
  request: { method: 'POST', url: 'https://api.test/orders', body },
});

const trace = (partial: Partial<DryRunTrace>): DryRunTrace => ({
  status: 'succeeded',
  steps: [],
  sideEffects: [],
  ...partial,
});

describe('compareDryRun', () => {
  it('calls a delivery unchanged when every node output and every request is equal', () => {
    const steps = [{ nodeId: 'map', status: 'succeeded' as const, output: { b: 1, a: 2 } }];
    const comparison = compareDryRun({
      baselineSteps: steps,
      baselineSideEffects: [call({ order: 'o1' })],
      draft: trace({
        steps: [{ nodeId: 'map', status: 'succeeded', output: { a: 2, b: 1 } }],
        sideEffects: [call({ order: 'o1' })],
      }),
    });
    expect(comparison).toEqual({
      verdict: 'unchanged',
      nodes: [{ nodeId: 'map', verdict: 'equal' }],
      sideEffects: [{ nodeId: 'call', occurrence: 0, kind: 'http', verdict: 'equal' }],
    });
  });

  it('names changed outputs with a JSON diff, and nodes newly or no longer reached', () => {
    const comparison = compareDryRun({
      baselineSteps: [
        { nodeId: 'map', status: 'succeeded', output: { coupon: 'X' } },
        { nodeId: 'call', status: 'succeeded', output: { status: 200 } },
      ],
      baselineSideEffects: [call({ coupon: 'X' })],
      draft: trace({
        steps: [
          { nodeId: 'map', status: 'succeeded', output: { code: 'X' } },
          { nodeId: 'log', status: 'succeeded', output: 'ok' },
        ],
        sideEffects: [{ ...call({}), nodeId: 'audit' }],
      }),
    });
    expect(comparison.verdict).toBe('changed');
    expect(comparison.nodes).toEqual([
      {
        nodeId: 'map',
        verdict: 'changed',
        before: { coupon: 'X' },
        after: { code: 'X' },
        diff: [
          { path: '/code', after: 'X' },
          { path: '/coupon', before: 'X' },
        ],
      },
      { nodeId: 'log', verdict: 'newly_reached', after: 'ok' },
      { nodeId: 'call', verdict: 'no_longer_reached', before: { status: 200 } },
    ]);
    expect(comparison.sideEffects.map((effect) => [effect.nodeId, effect.verdict])).toEqual([
      ['audit', 'new'],
      ['call', 'gone'],
    ]);
  });

  it('calls a delivery failed when the dry run failed, naming the failing node', () => {
    const error = { code: 'jsonata_error', message: 'bad', nodeId: 'map' };
    const comparison = compareDryRun({
      baselineSteps: [{ nodeId: 'map', status: 'succeeded', output: 1 }],
      baselineSideEffects: [],
      draft: trace({
        status: 'failed',
        error,
        steps: [{ nodeId: 'map', status: 'failed', error }],
      }),
    });
    expect(comparison).toMatchObject({
      verdict: 'failed',
      error,
      nodes: [{ nodeId: 'map', verdict: 'failed', error, before: 1 }],
    });
  });

  it('compares a node that ran once per split item by its list of outputs', () => {
    const comparison = compareDryRun({
      baselineSteps: [
        { nodeId: 'each', status: 'succeeded', output: 1 },
        { nodeId: 'each', status: 'succeeded', output: 2 },
      ],
      baselineSideEffects: [],
      draft: trace({
        steps: [
          { nodeId: 'each', status: 'succeeded', output: 1 },
          { nodeId: 'each', status: 'succeeded', output: 3 },
        ],
      }),
    });
    expect(comparison.nodes[0]).toMatchObject({
      verdict: 'changed',
      before: [1, 2],
      after: [1, 3],
      diff: [{ path: '', before: [1, 2], after: [1, 3] }],
    });
  });
});
