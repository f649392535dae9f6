import { useCallback, useEffect, useRef, useState } from 'react';
import {
  applyEdgeChanges,
  applyNodeChanges,
  type Connection,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import { ApiError, type ApiClient } from '../api/client';
import type { FlowDocument, FlowView, JsonObject, NodeTypeView } from '../api/types';
import { connectionProblem } from './connection-rules';
import {
  documentExtra,
  documentToGraph,
  edgeId,
  graphToDocument,
  makeNode,
  nextNodeId,
  nodePorts,
  problemsByNode,
  type FlowEdge,
  type FlowGraph,
  type FlowNode,
} from './flow-graph';
import { useHistory } from './use-history';
import { COLUMN_GAP, layoutPositions, ROW_GAP } from './auto-layout';

/** Where a node added without a drop point goes: a grid that never overlaps earlier ones. */
function freeSpot(count: number): { x: number; y: number } {
  return { x: 40 + (count % 3) * COLUMN_GAP, y: 40 + Math.floor(count / 3) * ROW_GAP };
}

export interface EditorNotice {
  kind: 'info' | 'error';
  text: string;
}

/** Everything the flow editor page edits: the graph, the name, saving, enabling, history. */
export function useFlowEditor(client: ApiClient, flowId: string | undefined) {
  const [nodeTypes, setNodeTypes] = useState<NodeTypeView[]>([]);
  const [flow, setFlow] = useState<FlowView>();
  const [name, setName] = useState('Untitled flow');
  const [extra, setExtra] = useState<JsonObject>({});
  const [graph, setGraph] = useState<FlowGraph>({ nodes: [], edges: [] });
  const [dirty, setDirty] = useState(false);
  const [notice, setNotice] = useState<EditorNotice>();
  const [otherProblems, setOtherProblems] = useState<string[]>([]);
  const [loading, setLoading] = useState(true);
  const graphRef = useRef(graph);
  graphRef.current = graph;
  /** The flow on the canvas: a first save changes flowId to it, which must not reload. */
  const loadedId = useRef<string | undefined>(undefined);

  const current = useCallback(() => graphRef.current, []);
  const restore = useCallback((next: FlowGraph) => {
    setGraph(next);
    setDirty(true);
  }, []);
  const history = useHistory(current, restore);
  const { record } = history;

  useEffect(() => {
    if (flowId && flowId === loadedId.current) return;
    let live = true;
    void (async () => {
      try {
        const types = await client.request<{ items: NodeTypeView[] }>('GET', '/api/node-types');
        if (!live) return;
        setNodeTypes(types.items);
        if (flowId) {
          const loaded = await client.request<FlowView>('GET', `/api/flows/${flowId}`);
          if (!live) return;
          loadedId.current = loaded.id;
          setFlow(loaded);
          setName(loaded.document.name);
          setExtra(documentExtra(loaded.document));
          setGraph(documentToGraph(loaded.document, types.items));
        }
      } catch (error) {
        if (live)
          setNotice({
            kind: 'error',
            text: error instanceof Error ? error.message : String(error),
          });
      } finally {
        if (live) setLoading(false);
      }
    })();
    return () => {
      live = false;
    };
  }, [client, flowId]);

  const change = useCallback((next: (graph: FlowGraph) => FlowGraph) => {
    setGraph((previous) => next(previous));
    setDirty(true);
  }, []);

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
    [record],
  );
  const onEdgesChange = useCallback(
    (changes: EdgeChange<FlowEdge>[]) => {
      const removes = changes.some((c) => c.type === 'remove');
      if (removes) record();
      setGraph((previous) => ({ ...previous, edges: applyEdgeChanges(changes, previous.edges) }));
      if (removes) setDirty(true);
    },
    [record],
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
        edges: [
          ...previous.edges,
          {
            id: edgeId(connection.source, port, connection.target),
            source: connection.source,
            sourceHandle: port,
            target: connection.target,
            targetHandle: 'in',
            label: port === 'main' ? undefined : port,
          },
        ],
      }));
      setNotice(undefined);
    },
    [change, record],
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
    [change, record, nodeTypes],
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
  }, [change, record]);

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

  const rename = useCallback((next: string) => {
    setName(next);
    setDirty(true);
  }, []);

  const document = useCallback(
    (): FlowDocument => graphToDocument({ name, extra }, graphRef.current),
    [name, extra],
  );

  const showProblems = useCallback((sent: FlowDocument, details: ApiError['details']) => {
    const { byNode, other } = problemsByNode(sent, details);
    setOtherProblems(other);
    setGraph((previous) => ({
      ...previous,
      nodes: previous.nodes.map((node) => ({
        ...node,
        data: { ...node.data, problems: byNode.get(node.id) ?? [] },
      })),
    }));
  }, []);

  /** Saves (creating the flow the first time); returns the saved flow, or undefined on problems. */
  const save = useCallback(async (): Promise<FlowView | undefined> => {
    const sent = document();
    try {
      const saved = flow
        ? await client.request<FlowView>('PUT', `/api/flows/${flow.id}`, sent)
        : await client.request<FlowView>('POST', '/api/flows', { ...sent, enabled: false });
      loadedId.current = saved.id;
      setFlow(saved);
      setDirty(false);
      showProblems(sent, []);
      setNotice({ kind: 'info', text: `Saved version ${saved.version}` });
      return saved;
    } catch (error) {
      if (error instanceof ApiError) {
        showProblems(sent, error.details);
        setNotice({ kind: 'error', text: `Not saved: ${error.message}` });
      } else {
        setNotice({ kind: 'error', text: String(error) });
      }
      return undefined;
    }
  }, [client, document, flow, showProblems]);

  const setEnabled = useCallback(
    async (enabled: boolean) => {
      if (!flow) return;
      // Optimistic: the switch moves at once and goes back if the API refuses.
      setFlow((previous) => (previous ? { ...previous, enabled } : previous));
      try {
        const next = await client.request<FlowView>(
          'POST',
          `/api/flows/${flow.id}/${enabled ? 'enable' : 'disable'}`,
        );
        setFlow((previous) => (previous ? { ...previous, enabled: next.enabled } : previous));
        setNotice({ kind: 'info', text: next.enabled ? 'Flow enabled' : 'Flow disabled' });
      } catch (error) {
        setFlow((previous) => (previous ? { ...previous, enabled: !enabled } : previous));
        setNotice({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
      }
    },
    [client, flow],
  );

  return {
    loading,
    nodeTypes,
    flow,
    name,
    graph,
    setGraph,
    dirty,
    notice,
    setNotice,
    otherProblems,
    history,
    onNodesChange,
    onEdgesChange,
    connect,
    addNode,
    setParams,
    setNodeExtra,
    deleteSelection,
    replaceGraph,
    autoLayout,
    rename,
    document,
    save,
    setEnabled,
  };
}

export type FlowEditorState = ReturnType<typeof useFlowEditor>;
