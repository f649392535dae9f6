import { useCallback, type Dispatch, type MutableRefObject, type SetStateAction } from 'react';
import {
  applyEdgeChanges,
  applyNodeChanges,
  type Connection,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import type { JsonObject, NodeTypeView } from '../api/types';
import { COLUMN_GAP, layoutPositions, ROW_GAP } from './auto-layout';
import { connectionProblem } from './connection-rules';
import {
  makeEdge,
  makeNode,
  nextNodeId,
  nodePorts,
  type FlowEdge,
  type FlowGraph,
  type FlowNode,
} from './flow-graph';
import type { EditorNotice } from './use-flow-editor';

/** Where a node added without a drop point goes: a grid that never overlaps earlier ones. */
function freeSpot(count: number): { x: number; y: number } {
  return { x: 40 + (count % 3) * COLUMN_GAP, y: 40 + Math.floor(count / 3) * ROW_GAP };
}

interface GraphEditsOptions {
  graphRef: MutableRefObject<FlowGraph>;
  setGraph: Dispatch<SetStateAction<FlowGraph>>;
  setDirty: (dirty: boolean) => void;
  setNotice: (notice: EditorNotice | undefined) => void;
  /** Records an undo step (calls with the same key coalesce). */
  record: (key?: string) => void;
  nodeTypes: NodeTypeView[];
}

/** Every edit of the canvas graph: React Flow changes, connections, nodes, params, layout. */
export function useGraphEdits(options: GraphEditsOptions) {
  const { graphRef, setGraph, setDirty, setNotice, record, nodeTypes } = options;

  const change = useCallback(
    (next: (graph: FlowGraph) => FlowGraph) => {
      setGraph((previous) => next(previous));
      setDirty(true);
    },
    [setGraph, setDirty],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      const edits = changes.some(
        (c) =>
          c.type === 'remove' ||
          c.type === 'add' ||
          (c.type === 'position' && c.dragging === false),
      );
      if (changes.some((c) => c.type === 'remove')) record();
      setGraph((previous) => {
        const nodes = applyNodeChanges(changes, previous.nodes);
        const ids = new Set(nodes.map((node) => node.id));
        const edges = previous.edges.filter((edge) => ids.has(edge.source) && ids.has(edge.target));
        return { nodes, edges };
      });
      if (edits) setDirty(true);
    },
    [record, setGraph, setDirty],
  );
  const onEdgesChange = useCallback(
    (changes: EdgeChange<FlowEdge>[]) => {
      const removes = changes.some((c) => c.type === 'remove');
      if (removes) record();
      setGraph((previous) => ({ ...previous, edges: applyEdgeChanges(changes, previous.edges) }));
      if (removes) setDirty(true);
    },
    [record, setGraph, setDirty],
  );

  const connect = useCallback(
    (connection: Connection) => {
      const problem = connectionProblem(graphRef.current, connection);
      if (problem) {
        setNotice({ kind: 'error', text: `Connection refused: ${problem}` });
        return;
      }
      record();
      const port = connection.sourceHandle ?? 'main';
      change((previous) => ({
        ...previous,
        edges: [...previous.edges, makeEdge(connection.source, port, connection.target)],
      }));
      setNotice(undefined);
    },
    [change, record, graphRef, setNotice],
  );

  const addNode = useCallback(
    (type: string, position?: { x: number; y: number }) => {
      const nodeType = nodeTypes.find((candidate) => candidate.type === type);
      if (nodeType?.isTrigger && graphRef.current.nodes.some((node) => node.data.isTrigger)) {
        setNotice({ kind: 'error', text: 'A flow has exactly one trigger' });
        return;
      }
      record();
      change((previous) => {
        const id = nextNodeId(type, new Set(previous.nodes.map((node) => node.id)));
        const at = position ?? freeSpot(previous.nodes.length);
        const node = { ...makeNode(id, nodeType, type, at), selected: true };
        return {
          ...previous,
          nodes: [...previous.nodes.map((n) => ({ ...n, selected: false })), node],
        };
      });
    },
    [change, record, nodeTypes, graphRef, setNotice],
  );

  /**
   * Adds a node fed by `from`'s output `port` (the "+" picker), to the right of it unless a point
   * is given, selected so its panel opens.
   */
  const addConnectedNode = useCallback(
    (type: string, from: string, port: string, position?: { x: number; y: number }) => {
      const nodeType = nodeTypes.find((candidate) => candidate.type === type);
      const source = graphRef.current.nodes.find((node) => node.id === from);
      if (!source || nodeType?.isTrigger) return;
      record();
      change((previous) => {
        const id = nextNodeId(type, new Set(previous.nodes.map((node) => node.id)));
        const siblings = previous.edges.filter((edge) => edge.source === from).length;
        const at = position ?? {
          x: source.position.x + COLUMN_GAP,
          y: source.position.y + siblings * ROW_GAP,
        };
        const node = { ...makeNode(id, nodeType, type, at), selected: true };
        return {
          nodes: [...previous.nodes.map((n) => ({ ...n, selected: false })), node],
          edges: [
            ...previous.edges.map((e) => ({ ...e, selected: false })),
            makeEdge(from, port, id),
          ],
        };
      });
    },
    [change, record, nodeTypes, graphRef],
  );

  /** Replaces a node's params or its other fields (onError, disabled, ...); ports follow. */
  const updateNode = useCallback(
    (nodeId: string, update: { params?: JsonObject; extra?: JsonObject }) => {
      record(`${update.params ? 'params' : 'extra'}:${nodeId}`);
      change((previous) => ({
        ...previous,
        nodes: previous.nodes.map((node) => {
          if (node.id !== nodeId) return node;
          const params = update.params ?? node.data.params;
          const extra = update.extra ?? node.data.extra;
          const nodeType = nodeTypes.find((type) => type.type === node.data.nodeType);
          const outputs = nodePorts(nodeType, params, extra);
          return { ...node, data: { ...node.data, params, extra, outputs } };
        }),
      }));
    },
    [change, record, nodeTypes],
  );
  const setParams = useCallback(
    (nodeId: string, params: JsonObject) => updateNode(nodeId, { params }),
    [updateNode],
  );
  const setNodeExtra = useCallback(
    (nodeId: string, extra: JsonObject) => updateNode(nodeId, { extra }),
    [updateNode],
  );

  const replaceGraph = useCallback(
    (next: FlowGraph) => {
      record();
      change(() => next);
    },
    [change, record],
  );

  /** Deletes the selected nodes (with their edges) and the selected edges. */
  const deleteSelection = useCallback(() => {
    const { nodes, edges } = graphRef.current;
    if (!nodes.some((node) => node.selected) && !edges.some((edge) => edge.selected)) return;
    record();
    change((previous) => {
      const kept = previous.nodes.filter((node) => !node.selected);
      const ids = new Set(kept.map((node) => node.id));
      return {
        nodes: kept,
        edges: previous.edges.filter(
          (edge) => !edge.selected && ids.has(edge.source) && ids.has(edge.target),
        ),
      };
    });
  }, [change, record, graphRef]);

  const autoLayout = useCallback(() => {
    record();
    change((previous) => {
      const positions = layoutPositions(
        previous.nodes.map((node) => node.id),
        previous.edges.map((edge) => ({ from: edge.source, to: edge.target })),
      );
      return {
        ...previous,
        nodes: previous.nodes.map((node, i) => ({ ...node, position: positions[i] })),
      };
    });
  }, [change, record]);

  return {
    onNodesChange,
    onEdgesChange,
    connect,
    addNode,
    addConnectedNode,
    setParams,
    setNodeExtra,
    replaceGraph,
    deleteSelection,
    autoLayout,
  };
}
