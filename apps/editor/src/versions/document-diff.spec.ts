import type { FlowDocument } from '../api/types';
import { diffDocuments } from './document-diff';

const base: FlowDocument = {
  format: 'hookflow.flow/v1',
  name: 'payments',
  nodes: [
    { id: 'hook', type: 'trigger.webhook', params: {}, position: [0, 0] },
    { id: 'map', type: 'transform', params: { expression: 'a' }, position: [280, 0] },
  ],
  edges: [{ from: 'hook', to: 'map' }],
};

describe('diffDocuments (a conflicting save against the stored version)', () => {
  it('lists added, removed and changed nodes, edges and the name', () => {
    const mine: FlowDocument = {
      ...base,
      name: 'payments v2',
      nodes: [
        base.nodes[0],
        { id: 'map', type: 'transform', params: { expression: 'b' }, position: [300, 0] },
        { id: 'big', type: 'filter', params: { condition: 'x > 1' } },
      ],
      edges: [
        { from: 'hook', to: 'map' },
        { from: 'map', to: 'big' },
      ],
    };
    const diff = diffDocuments(base, mine);
    expect(diff.identical).toBe(false);
    expect(diff.flow).toEqual([{ path: '/name', before: 'payments', after: 'payments v2' }]);
    expect(diff.nodes.added.map((node) => node.id)).toEqual(['big']);
    expect(diff.nodes.removed).toEqual([]);
    expect(diff.nodes.changed).toEqual([
      {
        id: 'map',
        type: 'transform',
        changes: [
          { path: '/params/expression', before: 'a', after: 'b' },
          { path: '/position', before: [280, 0], after: [300, 0] },
        ],
      },
    ]);
    expect(diff.edges).toEqual({ added: [{ from: 'map', to: 'big' }], removed: [] });
    const withoutPositions = diffDocuments(base, mine, { positions: false });
    expect(withoutPositions.nodes.changed[0].changes).toHaveLength(1);
  });

  it('finds nothing between equal documents, whatever the key order', () => {
    const reordered: FlowDocument = {
      ...base,
      nodes: base.nodes.map((node) => ({
        params: node.params,
        type: node.type,
        id: node.id,
        position: node.position,
      })),
    };
    expect(diffDocuments(base, reordered).identical).toBe(true);
    expect(
      diffDocuments(base, { ...base, nodes: [base.nodes[0]], edges: [] }).nodes.removed,
    ).toEqual([base.nodes[1]]);
  });
});
