import {
  useCallback,
  useEffect,
  useRef,
  useState,
  type Dispatch,
  type SetStateAction,
} from 'react';
import type { ApiClient } from '../api/client';
import type { FlowView, JsonObject, NodeTypeView } from '../api/types';
import { documentExtra, documentToGraph, type FlowGraph } from './flow-graph';
import type { EditorNotice } from './use-flow-editor';

interface FlowLoaderOptions {
  client: ApiClient;
  flowId: string | undefined;
  setGraph: Dispatch<SetStateAction<FlowGraph>>;
  setDirty: (dirty: boolean) => void;
  setNotice: (notice: EditorNotice | undefined) => void;
}

/** The node types and the opened flow: loading it, and putting another version on the canvas. */
export function useFlowLoader({
  client,
  flowId,
  setGraph,
  setDirty,
  setNotice,
}: FlowLoaderOptions) {
  const [nodeTypes, setNodeTypes] = useState<NodeTypeView[]>([]);
  const [flow, setFlow] = useState<FlowView>();
  const [name, setName] = useState('Untitled flow');
  const [extra, setExtra] = useState<JsonObject>({});
  const [loading, setLoading] = useState(true);
  /** Counts the flows put on the canvas: the canvas fits its view to each one once. */
  const [openCount, setOpenCount] = useState(0);
  const typesRef = useRef(nodeTypes);
  typesRef.current = nodeTypes;
  /** The flow on the canvas: a first save changes flowId to it, which must not reload. */
  const loadedId = useRef<string | undefined>(undefined);

  /** Shows a flow (as loaded, or another version of it) on the canvas, replacing the edits. */
  const applyFlow = useCallback(
    (loaded: FlowView, types: NodeTypeView[] = typesRef.current) => {
      loadedId.current = loaded.id;
      setFlow(loaded);
      setName(loaded.document.name);
      setExtra(documentExtra(loaded.document));
      setGraph(documentToGraph(loaded.document, types));
      setDirty(false);
      setOpenCount((count) => count + 1);
    },
    [setGraph, setDirty],
  );

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
          if (live) applyFlow(loaded, types.items);
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
  }, [client, flowId, applyFlow, setNotice]);

  return {
    nodeTypes,
    flow,
    setFlow,
    name,
    setName,
    extra,
    loading,
    loadedId,
    applyFlow,
    openCount,
  };
}
