import type { FlowDocument, JsonObject, NodeTypeView } from '../api/types';
import { connectionProblem } from './connection-rules';
import {
  documentToGraph,
  makeEdge,
  graphToDocument,
  nextNodeId,
  nodePorts,
  NODE_HEIGHT,
  NODE_WIDTH,
  problemsByNode,
  runPath,
} from './flow-graph';

const type = (name: string, outputs: string[], isTrigger = false): NodeTypeView => ({
  type: name,
  label: name,
  category: 'x',
  description: '',
  isTrigger,
  outputs,
  params: {},
});
const TYPES = [
  type('trigger.webhook', ['main'], true),
  type('transform', ['main']),
  type('filter', ['true', 'false']),
];

const flow = (withPositions: boolean): FlowDocument => ({
  format: 'hookflow.flow/v1',
  name: 'f',
  description: 'kept',
  nodes: [
    {
      id: 'hook',
      type: 'trigger.webhook',
      params: {},
      ...(withPositions ? { position: [0, 0] } : {}),
    },
    {
      id: 'map',
      type: 'transform',
      params: { expression: 'a' },
      ...(withPositions ? { position: [300, 0] } : {}),
    },
    {
      id: 'big',
      type: 'filter',
      params: { condition: 'b' },
      credential: 'c',
      ...(withPositions ? { position: [600, 0] } : {}),
    },
  ],
  edges: [
    { from: 'hook', to: 'map' },
    { from: 'map', to: 'big' },
  ],
});

describe('flow document <-> canvas graph', () => {
  it('round-trips a document with its extra fields, ports and positions', () => {
    const document = flow(true);
    const graph = documentToGraph(document, TYPES);
    expect(graph.nodes.find((node) => node.id === 'big')?.data.outputs).toEqual(['true', 'false']);
    const back = graphToDocument({ name: 'f', extra: { description: 'kept' } }, graph);
    expect(back).toEqual({ ...document, nodes: document.nodes.map((n) => ({ ...n })) });
  });

  it('lays out documents without positions so that no two nodes overlap', () => {
    const { nodes } = documentToGraph(flow(false), TYPES);
    for (const a of nodes) {
      for (const b of nodes) {
        if (a === b) continue;
        const apart =
          Math.abs(a.position.x - b.position.x) >= NODE_WIDTH ||
          Math.abs(a.position.y - b.position.y) >= NODE_HEIGHT;
        expect(apart).toBe(true);
      }
    }
  });

  it('finds the next free node id', () => {
    expect(nextNodeId('trigger.webhook', new Set())).toBe('trigger-webhook');
    expect(nextNodeId('transform', new Set(['transform', 'transform-2']))).toBe('transform-3');
  });

  it('maps API problem paths to the nodes they concern', () => {
    const { byNode, other } = problemsByNode(flow(true), [
      { path: '/nodes/1/params/expression', message: 'bad JSONata at position 3' },
      { path: '/edges/0/to', message: 'no such node' },
    ]);
    expect(byNode.get('map')).toEqual(['params/expression: bad JSONata at position 3']);
    expect(other).toEqual(['/edges/0/to: no such node']);
  });
});

describe('connectionProblem', () => {
  const graph = documentToGraph(flow(true), TYPES);
  it('accepts a new edge from a filter port', () => {
    const extra = documentToGraph(
      { ...flow(true), nodes: [...flow(true).nodes, { id: 'x', type: 'transform', params: {} }] },
      TYPES,
    );
    expect(
      connectionProblem(extra, { source: 'big', sourceHandle: 'true', target: 'x' }),
    ).toBeUndefined();
  });
  it.each([
    [{ source: 'map', sourceHandle: 'main', target: 'map' }, /itself/],
    [{ source: 'map', sourceHandle: 'main', target: 'hook' }, /trigger/],
    [{ source: 'big', sourceHandle: 'true', target: 'map' }, /acyclic/],
    [{ source: 'hook', sourceHandle: 'main', target: 'map' }, /already/],
    [{ source: 'big', sourceHandle: 'main', target: 'map' }, /no output "main"/],
  ])('refuses %o with a reason', (connection, reason) => {
    expect(connectionProblem(graph, connection)).toMatch(reason);
  });
});

describe('nodePorts', () => {
  const switchType: NodeTypeView = {
    ...type('switch', ['default']),
    dynamicOutputs: true,
    params: {
      type: 'object',
      properties: {
        rules: {
          type: 'array',
          items: { type: 'object', properties: { port: { type: 'string' } } },
        },
      },
    },
  };
  it('adds the ports named in the params and `error` for onError: route', () => {
    const params: JsonObject = {
      rules: [{ port: 'eu', condition: 'a' }, { port: 'us' }, { port: 'eu' }],
    };
    expect(nodePorts(switchType, params, {})).toEqual(['default', 'eu', 'us']);
    expect(nodePorts(TYPES[1], {}, { onError: 'route' })).toEqual(['main', 'error']);
    expect(nodePorts(TYPES[1], { rules: [{ port: 'x' }] }, {})).toEqual(['main']);
  });
});

describe('runPath', () => {
  const edge = (source: string, port: string, target: string) => makeEdge(source, port, target);
  const step = (nodeId: string, port: string | null = 'main', status = 'succeeded') => ({
    nodeId,
    port,
    status,
  });

  it('counts the items along each edge the run took, and leaves out the others', () => {
    const edges = [
      edge('hook', 'main', 'split'),
      edge('split', 'main', 'check'),
      edge('check', 'true', 'post'),
      edge('check', 'false', 'log'),
    ];
    const steps = [
      step('hook'),
      step('split'),
      step('split'),
      step('check', 'true'),
      step('check', 'false'),
      step('post'),
      step('post', null, 'failed'),
    ];
    // Two items came out of the split, one left the filter by true; log never ran.
    expect([...runPath(edges, steps)]).toEqual([
      [edges[0].id, 1],
      [edges[1].id, 2],
      [edges[2].id, 1],
    ]);
  });
});
