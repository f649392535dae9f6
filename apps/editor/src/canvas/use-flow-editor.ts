import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient, ApiError } from '../api/client';
import type { FlowDocument } from '../api/types';
import { graphToDocument, problemsByNode, type FlowGraph } from './flow-graph';
import { useFlowLoader } from './use-flow-loader';
import { useFlowSave } from './use-flow-save';
import { useGraphEdits } from './use-graph-edits';
import { useHistory } from './use-history';

export interface EditorNotice {
  kind: 'info' | 'error';
  text: string;
}

/** How long a notice stays: errors longer, so there is time to read them. */
const NOTICE_MS = { info: 5000, error: 12000 } as const;

/**
 * Everything the flow editor page edits, composed from its concerns: loading (use-flow-loader),
 * canvas edits (use-graph-edits), undo/redo (use-history), saving with version conflicts
 * (use-flow-save).
 */
export function useFlowEditor(client: ApiClient, flowId: string | undefined) {
  const [graph, setGraph] = useState<FlowGraph>({ nodes: [], edges: [] });
  const [dirty, setDirty] = useState(false);
  const [notice, setNotice] = useState<EditorNotice>();
  const [otherProblems, setOtherProblems] = useState<string[]>([]);
  const graphRef = useRef(graph);
  graphRef.current = graph;

  useEffect(() => {
    if (!notice) return undefined;
    const timer = setTimeout(() => setNotice(undefined), NOTICE_MS[notice.kind]);
    return () => clearTimeout(timer);
  }, [notice]);

  const loader = useFlowLoader({ client, flowId, setGraph, setDirty, setNotice });
  const { nodeTypes, flow, setFlow, name, setName, extra, loadedId } = loader;

  const current = useCallback(() => graphRef.current, []);
  const restore = useCallback((next: FlowGraph) => {
    setGraph(next);
    setDirty(true);
  }, []);
  const history = useHistory(current, restore);
  const edits = useGraphEdits({
    graphRef,
    setGraph,
    setDirty,
    setNotice,
    record: history.record,
    nodeTypes,
  });

  const rename = useCallback(
    (next: string) => {
      setName(next);
      setDirty(true);
    },
    [setName],
  );

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

  const saving = useFlowSave({
    client,
    flow,
    setFlow,
    document,
    loadedId,
    setDirty,
    setNotice,
    showProblems,
  });

  return {
    loading: loader.loading,
    nodeTypes,
    flow,
    setFlow,
    applyFlow: loader.applyFlow,
    openCount: loader.openCount,
    name,
    graph,
    setGraph,
    dirty,
    notice,
    setNotice,
    otherProblems,
    history,
    ...edits,
    rename,
    document,
    ...saving,
  };
}

export type FlowEditorState = ReturnType<typeof useFlowEditor>;
