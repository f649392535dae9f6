import type { NodeTypeView } from '../api/types';
import { copySelection, pasteDocument } from './clipboard';
import { documentToGraph } from './flow-graph';

const TYPES: NodeTypeView[] = [
  {
    type: 'transform',
    label: 'Transform',
    category: 'transform',
    description: '',
    isTrigger: false,
    outputs: ['main'],
    params: {},
  },
];

const graph = documentToGraph(
  {
    format: 'hookflow.flow/v1',
    name: 'f',
    nodes: [
      { id: 'a', type: 'transform', params: { expression: '1' }, position: [0, 0] },
      { id: 'b', type: 'transform', params: { expression: '2' }, position: [300, 0] },
      { id: 'c', type: 'transform', params: { expression: '3' }, position: [600, 0] },
    ],
    edges: [
      { from: 'a', to: 'b' },
      { from: 'b', to: 'c' },
    ],
  },
  TYPES,
);

describe('copy and paste as flow JSON', () => {
  const selected = {
    ...graph,
    nodes: graph.nodes.map((node) => ({ ...node, selected: node.id !== 'c' })),
  };

  it('copies the selected nodes and only the edges between them', () => {
    const fragment = copySelection(selected);
    expect(fragment?.nodes.map((node) => node.id)).toEqual(['a', 'b']);
    expect(fragment?.edges).toEqual([{ from: 'a', to: 'b' }]);
  });

  it('pastes with fresh ids, shifted, selected, edges renamed', () => {
    const text = JSON.stringify(copySelection(selected));
    const pasted = pasteDocument(selected, text, TYPES);
    const added = pasted?.nodes.slice(3) ?? [];
    expect(added.map((node) => [node.id, node.selected, node.position.x])).toEqual([
      ['a-2', true, 40],
      ['b-2', true, 340],
    ]);
    expect(pasted?.edges.map((edge) => `${edge.source}->${edge.target}`)).toContain('a-2->b-2');
    expect(pasted?.nodes.slice(0, 3).every((node) => !node.selected)).toBe(true);
  });

  it('ignores text that is not flow JSON', () => {
    expect(pasteDocument(graph, 'hello', TYPES)).toBeUndefined();
    expect(pasteDocument(graph, '{"a":1}', TYPES)).toBeUndefined();
  });
});
