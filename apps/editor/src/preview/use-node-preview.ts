import { useEffect, useMemo, useState } from 'react';
import type { ApiClient } from '../api/client';
import type { JsonValue } from '../api/types';
import type { FlowGraph, FlowNode } from '../canvas/flow-graph';
import type { PreviewContext } from '../panel/jsonata-preview';
import { lastRunInput } from './last-run-input';
import { computeUpstreamInput, type UpstreamEdge, type UpstreamNode } from './upstream-input';

/** What expressions of the selected node are previewed against. */
export type PreviewSource = 'sample' | 'last-run' | 'pasted';

export interface NodePreview {
  source: PreviewSource;
  setSource: (source: PreviewSource) => void;
  pasted: string;
  setPasted: (text: string) => void;
  /** The context, or undefined while loading or when there is none. */
  context: PreviewContext | undefined;
  /** Where the input comes from or why there is none. */
  status: string | undefined;
}

interface NodePreviewOptions {
  client: ApiClient;
  flowId: string | undefined;
  node: FlowNode | undefined;
  graph: FlowGraph;
  /** The trigger sample (pasted or captured request). */
  sample: PreviewContext | undefined;
  /** Changes when a run starts or finishes: "Last run" looks again. */
  runsKey: string;
}

/** The selected node's preview input: the sample through its upstream nodes, a run's, or pasted. */
export function useNodePreview(options: NodePreviewOptions): NodePreview {
  const { client, flowId, node, graph, sample, runsKey } = options;
  const [source, setSource] = useState<PreviewSource>('sample');
  const [pasted, setPasted] = useState('{}');
  const [found, setFound] = useState<{ context?: PreviewContext; status?: string }>({});
  const nodeId = node?.id;
  const isTrigger = node?.data.isTrigger ?? false;

  // Only what the upstream computation reads: moving nodes does not recompute it.
  const upstreamKey = JSON.stringify([
    graph.nodes.map((n) => [n.id, n.data.nodeType, n.data.isTrigger, n.data.params]),
    graph.edges.map((e) => [e.source, e.target]),
  ]);

  useEffect(() => {
    if (!nodeId || source !== 'sample') return;
    if (!sample) {
      setFound({ status: 'The sample message is not JSON.' });
      return;
    }
    if (isTrigger) {
      setFound({ context: sample });
      return;
    }
    const [nodes, edges] = JSON.parse(upstreamKey) as [
      Array<[string, string, boolean, UpstreamNode['params']]>,
      Array<[string, string]>,
    ];
    let live = true;
    void computeUpstreamInput(
      nodes.map(([id, nodeType, trigger, params]) => ({
        id,
        nodeType,
        isTrigger: trigger,
        params,
      })),
      edges.map(([from, to]): UpstreamEdge => ({ source: from, target: to })),
      nodeId,
      sample,
    ).then((computed) => live && setFound({ context: computed.context, status: computed.note }));
    return () => {
      live = false;
    };
  }, [nodeId, isTrigger, source, sample, upstreamKey]);

  useEffect(() => {
    if (!nodeId || source !== 'last-run') return;
    if (!flowId) {
      setFound({ status: 'Save the flow and run it to preview against a real input.' });
      return;
    }
    let live = true;
    setFound({ status: 'Looking for the last run…' });
    lastRunInput(client, flowId, nodeId)
      .then((run) => {
        if (!live) return;
        setFound(
          run
            ? {
                context: run.context,
                status: `Input of ${nodeId} in run ${run.executionId.slice(0, 8)}${
                  run.createdAt ? ` (${new Date(run.createdAt).toLocaleString()})` : ''
                }`,
              }
            : { status: `No recent run reached ${nodeId}.` },
        );
      })
      .catch((error: unknown) => live && setFound({ status: String(error) }));
    return () => {
      live = false;
    };
  }, [client, flowId, nodeId, source, runsKey]);

  const pastedContext = useMemo((): { context?: PreviewContext; status?: string } => {
    try {
      const message = JSON.parse(pasted) as JsonValue;
      return { context: { message, trigger: sample?.trigger ?? { body: message } } };
    } catch (error) {
      return { status: `Not JSON: ${error instanceof Error ? error.message : String(error)}` };
    }
  }, [pasted, sample]);

  const current = source === 'pasted' ? pastedContext : found;
  return {
    source,
    setSource,
    pasted,
    setPasted,
    context: current.context,
    status: current.status,
  };
}
