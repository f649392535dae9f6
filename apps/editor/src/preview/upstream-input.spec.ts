import { computeUpstreamInput, type UpstreamNode } from './upstream-input';

const node = (id: string, nodeType: string, params = {}): UpstreamNode => ({
  id,
  nodeType,
  isTrigger: nodeType === 'trigger.webhook',
  params,
});
const sample = { message: { amount: 250, customer: 'cus_1' }, trigger: { body: {} } };

describe('computeUpstreamInput (preview against the node’s real input)', () => {
  const nodes = [
    node('hook', 'trigger.webhook'),
    node('map', 'transform', { expression: '{ "cents": amount * 100, "who": customer }' }),
    node('big', 'filter', { condition: 'cents > 1' }),
    node('call', 'http.request', { url: 'https://example.test' }),
    node('after', 'transform', { expression: '$' }),
    node('alone', 'transform', { expression: '$' }),
  ];
  const edges = [
    { source: 'hook', target: 'map' },
    { source: 'map', target: 'big' },
    { source: 'big', target: 'call' },
    { source: 'call', target: 'after' },
  ];

  it('evaluates transforms and passes filters through, with $nodes of the nodes before', async () => {
    const computed = await computeUpstreamInput(nodes, edges, 'big', sample);
    expect(computed.note).toBeUndefined();
    expect(computed.context.message).toEqual({ cents: 25000, who: 'cus_1' });
    const next = await computeUpstreamInput(nodes, edges, 'call', sample);
    expect(next.context.nodes).toEqual({
      hook: sample.message,
      map: { cents: 25000, who: 'cus_1' },
      big: { cents: 25000, who: 'cus_1' },
    });
  });

  it('stops at a node that only runs on the server, and says so', async () => {
    const computed = await computeUpstreamInput(nodes, edges, 'after', sample);
    expect(computed.note).toMatch(/"call" \(http.request\) runs on the server only/);
    expect(computed.context.message).toEqual({ cents: 25000, who: 'cus_1' });
  });

  it('falls back to the trigger sample for a node not connected to the trigger', async () => {
    const computed = await computeUpstreamInput(nodes, edges, 'alone', sample);
    expect(computed.note).toMatch(/Not connected/);
    expect(computed.context).toBe(sample);
  });
});
