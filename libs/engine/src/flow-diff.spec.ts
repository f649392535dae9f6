import { diffFlowDocuments } from './flow-diff';
import { FLOW_FORMAT, type FlowDocument } from './flow-document';

function base(): FlowDocument {
  return {
    format: FLOW_FORMAT,
    name: 'Payments',
    nodes: [
      { id: 'hook', type: 'trigger.webhook', params: { methods: ['POST'] } },
      { id: 'map', type: 'transform', params: { expression: '{ "a": 1 }' }, position: [0, 0] },
      { id: 'big', type: 'filter', params: { condition: 'a > 0' } },
      { id: 'notify', type: 'http.request', params: { url: 'https://x.test' }, credential: 'api' },
    ],
    edges: [
      { from: 'hook', to: 'map' },
      { from: 'map', to: 'big' },
      { from: 'big', port: 'true', to: 'notify' },
    ],
  };
}

describe('diffFlowDocuments', () => {
  it('finds nothing between a document and a reordered copy of it', () => {
    const before = base();
    const after: FlowDocument = {
      ...base(),
      nodes: [...base().nodes].reverse(),
      edges: [...base().edges]
        .reverse()
        .map(({ from, to, port }) => (port ? { port, to, from } : { to, from })),
    };
    expect(diffFlowDocuments(before, after)).toEqual({
      identical: true,
      flow: [],
      nodes: { added: [], removed: [], changed: [] },
      edges: { added: [], removed: [] },
    });
  });

  it('reports added, removed and changed nodes with the changed parameters', () => {
    const after = base();
    after.name = 'Payments v2';
    after.nodes = [
      after.nodes[0],
      {
        id: 'map',
        type: 'transform',
        params: { expression: '{ "a": 2 }' },
        position: [10, 0],
        retry: { maxAttempts: 3 },
      },
      { id: 'notify', type: 'http.request', params: { url: 'https://x.test', method: 'PUT' } },
      { id: 'log', type: 'transform', params: { expression: '$' } },
    ];
    after.edges = [
      { from: 'hook', to: 'map' },
      { from: 'map', to: 'notify' },
      { from: 'notify', to: 'log' },
    ];

    const diff = diffFlowDocuments(base(), after);

    expect(diff.identical).toBe(false);
    expect(diff.flow).toEqual([{ path: '/name', before: 'Payments', after: 'Payments v2' }]);
    expect(diff.nodes.added.map((node) => node.id)).toEqual(['log']);
    expect(diff.nodes.removed.map((node) => node.id)).toEqual(['big']);
    expect(diff.nodes.changed).toEqual([
      {
        id: 'map',
        type: 'transform',
        changes: [
          { path: '/params/expression', before: '{ "a": 1 }', after: '{ "a": 2 }' },
          { path: '/retry', after: { maxAttempts: 3 } },
          { path: '/position', before: [0, 0], after: [10, 0] },
        ],
      },
      {
        id: 'notify',
        type: 'http.request',
        changes: [
          { path: '/credential', before: 'api' },
          { path: '/params/method', after: 'PUT' },
        ],
      },
    ]);
    expect(diff.edges).toEqual({
      added: [
        { from: 'map', to: 'notify' },
        { from: 'notify', to: 'log' },
      ],
      removed: [
        { from: 'map', to: 'big' },
        { from: 'big', port: 'true', to: 'notify' },
      ],
    });
  });

  it('goes into nested parameters and escapes keys as JSON Pointer tokens', () => {
    const before = base();
    const after = base();
    before.nodes[0].params = { auth: { scheme: 'github', credential: 'gh' }, 'a/b~c': 1 };
    after.nodes[0].params = { auth: { scheme: 'github', credential: 'gh2' }, 'a/b~c': 2 };
    expect(diffFlowDocuments(before, after).nodes.changed).toEqual([
      {
        id: 'hook',
        type: 'trigger.webhook',
        changes: [
          { path: '/params/a~1b~0c', before: 1, after: 2 },
          { path: '/params/auth/credential', before: 'gh', after: 'gh2' },
        ],
      },
    ]);
  });

  it('treats an edge without a port as the main port, and reports settings changes', () => {
    const before = base();
    const after = base();
    after.edges = after.edges.map((edge) => (edge.port ? edge : { ...edge, port: 'main' }));
    after.description = 'now documented';
    after.settings = { maxConcurrency: 2 };
    const diff = diffFlowDocuments(before, after);
    expect(diff.edges).toEqual({ added: [], removed: [] });
    expect(diff.flow).toEqual([
      { path: '/description', after: 'now documented' },
      { path: '/settings', after: { maxConcurrency: 2 } },
    ]);
  });

  it('gives the same answer whatever the key order of the parameters', () => {
    const before = base();
    const after = base();
    before.nodes[3].params = { url: 'https://x.test', method: 'POST', timeoutMs: 1000 };
    after.nodes[3].params = { timeoutMs: 2000, method: 'GET', url: 'https://x.test' };
    expect(diffFlowDocuments(before, after).nodes.changed[0].changes).toEqual([
      { path: '/params/method', before: 'POST', after: 'GET' },
      { path: '/params/timeoutMs', before: 1000, after: 2000 },
    ]);
  });

  it('leaves positions out when asked, and a node only moved is then unchanged', () => {
    const after = base();
    after.nodes[1] = { ...after.nodes[1], position: [40, 80] };
    after.nodes[2] = { ...after.nodes[2], params: { condition: 'a > 1' }, position: [9, 9] };
    expect(diffFlowDocuments(base(), after).nodes.changed.map((node) => node.id)).toEqual([
      'map',
      'big',
    ]);
    expect(diffFlowDocuments(base(), after, { positions: false }).nodes.changed).toEqual([
      {
        id: 'big',
        type: 'filter',
        changes: [{ path: '/params/condition', before: 'a > 0', after: 'a > 1' }],
      },
    ]);
  });
});
