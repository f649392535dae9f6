import { useCallback, useEffect, useMemo, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import { ApiError, type ApiClient } from '../api/client';
import type { ExecutionStep, ReplayAccepted, ReplayVersion } from '../api/types';
import { useCredentials } from '../credentials/use-credentials';
import { downloadJson, fileNameFor } from '../flows/flow-file';
import { NodePanel } from '../panel/node-panel';
import { SampleEditor } from '../panel/sample-editor';
import { PreviewSourcePicker } from '../preview/preview-source';
import { useNodePreview } from '../preview/use-node-preview';
import { RunsPanel } from '../runs/runs-panel';
import { useLiveExecutions } from '../runs/use-live-executions';
import { useRunSummaries } from '../runs/use-run-summaries';
import { useSelectedRun } from '../runs/use-selected-run';
import { setLeaveGuard } from '../shared/use-route';
import { copySelection, pasteDocument } from './clipboard';
import { EditorToolbar } from './editor-toolbar';
import { FlowCanvas } from './flow-canvas';
import { runPath, type FlowEdge, type RunStatus } from './flow-graph';
import { NodePalette } from './node-palette';
import { useEditorKeys } from './use-editor-keys';
import { useFlowEditor } from './use-flow-editor';
import type { SaveOptions } from './use-flow-save';
import { usePreviewSample } from './use-preview-sample';
import { SidePanel, type SideTab } from './side-panel';
import { ConflictDialog } from '../versions/conflict-dialog';
import { VersionsPanel } from '../versions/versions-panel';
import { DryRunDialog } from '../dry-runs/dry-run-dialog';

interface FlowEditorPageProps {
  client: ApiClient;
  flowId: string | undefined;
  onOpenFlow: (flowId: string) => void;
  onBack: () => void;
  onUnauthorized: () => void;
}

const UNSAVED = 'This flow has unsaved changes. Leave anyway?';

/** The edges with the run's path highlighted and labelled with its item counts. */
function runEdges(edges: FlowEdge[], steps: ExecutionStep[]): FlowEdge[] {
  const path = runPath(edges, steps);
  return edges.map((edge) => {
    const items = path.get(edge.id);
    if (items === undefined) return { ...edge, className: 'run-off-path' };
    const count = `${items} item${items === 1 ? '' : 's'}`;
    return {
      ...edge,
      className: 'run-path',
      label: edge.label ? `${String(edge.label)} · ${count}` : count,
      ariaLabel: `Run path ${edge.source} to ${edge.target}: ${count}`,
    };
  });
}

export function FlowEditorPage({
  client,
  flowId,
  onOpenFlow,
  onBack,
  onUnauthorized,
}: FlowEditorPageProps) {
  const editor = useFlowEditor(client, flowId);
  const savedId = editor.flow?.id;
  const { executions, connected } = useLiveExecutions(client, savedId);
  const run = useSelectedRun(client, executions);
  const summaries = useRunSummaries(client, executions);
  const sample = usePreviewSample(client, savedId);
  const [tab, setTab] = useState<SideTab>('node');
  const [message, setMessage] = useState('');
  const [testing, setTesting] = useState(false);
  const credentials = useCredentials(client);

  // Unsaved-changes guard: in-app navigation asks, closing the tab warns.
  useEffect(() => {
    setLeaveGuard(editor.dirty ? () => window.confirm(UNSAVED) : undefined);
    const onUnload = (event: BeforeUnloadEvent) => {
      if (editor.dirty) event.preventDefault();
    };
    window.addEventListener('beforeunload', onUnload);
    return () => {
      setLeaveGuard(undefined);
      window.removeEventListener('beforeunload', onUnload);
    };
  }, [editor.dirty]);

  useEffect(() => {
    if (editor.notice?.kind === 'error' && /API key|Authorization/.test(editor.notice.text))
      onUnauthorized();
  }, [editor.notice, onUnauthorized]);

  const save = useCallback(
    async (choice: SaveOptions = {}) => {
      const saved = await editor.save({ ...choice, message });
      if (saved) setMessage('');
      if (saved && !flowId) onOpenFlow(saved.id);
    },
    [editor, flowId, onOpenFlow, message],
  );

  const keys = useMemo(
    () => ({
      save: () => void save(),
      deleteSelection: editor.deleteSelection,
      undo: editor.history.undo,
      redo: editor.history.redo,
      copy: () => {
        const fragment = copySelection(editor.graph);
        return fragment ? JSON.stringify(fragment, null, 2) : undefined;
      },
      paste: (text: string) => {
        const next = pasteDocument(editor.graph, text, editor.nodeTypes);
        if (next) editor.replaceGraph(next);
        return next !== undefined;
      },
    }),
    [editor, save],
  );
  useEditorKeys(keys);

  // Colour the canvas by the opened run, until the flow is edited: then the colours describe a
  // graph that is no longer on the canvas.
  const edits = editor.history.edits;
  const [runShownAt, setRunShownAt] = useState({ runId: '', edits });
  const selectedRunId = run.selected?.id ?? '';
  if (runShownAt.runId !== selectedRunId) setRunShownAt({ runId: selectedRunId, edits });
  const showRun = run.selected && runShownAt.edits === edits ? run.selected : undefined;
  // The last step of each node gives its status.
  const runStatus = useMemo(() => {
    const byNode = new Map<string, RunStatus>();
    for (const step of run.selected?.steps ?? [])
      byNode.set(step.nodeId, step.status === 'failed' ? 'failed' : 'succeeded');
    return byNode;
  }, [run.selected]);
  const graph = useMemo(
    () => ({
      ...editor.graph,
      nodes: editor.graph.nodes.map((node) => {
        const status = showRun ? (runStatus.get(node.id) ?? 'skipped') : undefined;
        const linkedPorts = editor.graph.edges
          .filter((edge) => edge.source === node.id)
          .map((edge) => edge.sourceHandle ?? 'main');
        const linked = linkedPorts.join('\n');
        return status === node.data.runStatus && linked === (node.data.linkedPorts ?? []).join('\n')
          ? node
          : { ...node, data: { ...node.data, runStatus: status, linkedPorts } };
      }),
      edges: showRun ? runEdges(editor.graph.edges, showRun.steps) : editor.graph.edges,
    }),
    [editor.graph, showRun, runStatus],
  );
  const canvasEditor = useMemo(() => ({ ...editor, graph }), [editor, graph]);

  const selectedNodes = editor.graph.nodes.filter((node) => node.selected);
  const selected = selectedNodes.length === 1 ? selectedNodes[0] : undefined;
  const nodePreview = useNodePreview({
    client,
    flowId: savedId,
    node: selected,
    graph: editor.graph,
    sample: sample.preview,
    runsKey: executions.map((execution) => `${execution.id}:${execution.status}`).join(','),
  });

  const exportFlow = () => downloadJson(fileNameFor(editor.name), editor.document());
  const openRun = (id: string | undefined) => {
    run.select(id);
    if (id) setTab('runs');
  };

  const replay = async (deliveryId: string, version: ReplayVersion) => {
    try {
      const accepted = await client.request<ReplayAccepted>(
        'POST',
        `/api/deliveries/${deliveryId}/replay`,
        { version },
      );
      openRun(accepted.executionId);
      editor.setNotice({
        kind: 'info',
        text: version === 'current' ? 'Replay started' : 'Retry with the original version started',
      });
    } catch (error) {
      editor.setNotice({
        kind: 'error',
        text: `Replay refused: ${
          error instanceof ApiError
            ? [error.message, ...error.details.map((d) => d.message)].join('; ')
            : String(error)
        }`,
      });
    }
  };

  const nodePanel = (
    <>
      {selected ? (
        <NodePanel
          node={selected}
          nodeType={editor.nodeTypes.find((type) => type.type === selected.data.nodeType)}
          trigger={editor.flow?.triggers.find((trigger) => trigger.nodeId === selected.id)}
          steps={run.selected?.steps.filter((step) => step.nodeId === selected.id) ?? []}
          preview={selected.data.isTrigger ? sample.preview : nodePreview.context}
          previewPicker={
            selected.data.isTrigger ? undefined : (
              <PreviewSourcePicker nodeId={selected.id} preview={nodePreview} />
            )
          }
          onParamsChange={editor.setParams}
          onExtraChange={editor.setNodeExtra}
          credentials={credentials}
          testEvents={savedId ? { client, flowId: savedId, onUseSample: sample.use } : undefined}
        />
      ) : (
        <p className="hint">
          Select a node to edit it. Drag node types from the left onto the canvas.
        </p>
      )}
      <SampleEditor
        text={sample.text}
        onChange={sample.edit}
        onLoadCaptured={
          sample.loadCaptured
            ? () =>
                void sample.loadCaptured?.().catch((error: unknown) =>
                  editor.setNotice({
                    kind: 'error',
                    text: error instanceof ApiError ? error.message : String(error),
                  }),
                )
            : undefined
        }
        status={sample.status}
      />
    </>
  );

  if (editor.loading) return <p className="loading">Loading…</p>;
  return (
    <div className="editor">
      <EditorToolbar
        editor={editor}
        message={message}
        onMessage={setMessage}
        onBack={onBack}
        onSave={(draft) => void save({ draft })}
        onExport={exportFlow}
        onTest={() => setTesting(true)}
      />
      {editor.notice && (
        <p
          className={`notice notice-${editor.notice.kind}`}
          role={editor.notice.kind === 'error' ? 'alert' : 'status'}
        >
          {editor.notice.text}
          <button
            type="button"
            aria-label="Dismiss message"
            onClick={() => editor.setNotice(undefined)}
          >
            ×
          </button>
        </p>
      )}
      {editor.otherProblems.length > 0 && (
        <ul className="problems" aria-label="Flow problems">
          {editor.otherProblems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      <div className="workspace">
        <NodePalette nodeTypes={editor.nodeTypes} onAdd={(type) => editor.addNode(type)} />
        <ReactFlowProvider>
          <FlowCanvas editor={canvasEditor} onNodeOpen={() => setTab('node')} />
        </ReactFlowProvider>
        <SidePanel
          tab={tab}
          onTab={setTab}
          runCount={executions.length}
          node={nodePanel}
          runs={
            savedId ? (
              <RunsPanel
                executions={executions}
                summaries={summaries}
                connected={connected}
                selected={run.selected}
                onSelect={openRun}
                onReplay={replay}
              />
            ) : (
              <p className="hint">Save the flow to see its runs.</p>
            )
          }
          versions={
            editor.flow ? (
              <VersionsPanel
                client={client}
                flow={editor.flow}
                dirty={editor.dirty}
                onFlowChanged={(changed, replaceCanvas) =>
                  replaceCanvas ? editor.applyFlow(changed) : editor.setFlow(() => changed)
                }
                setNotice={editor.setNotice}
              />
            ) : (
              <p className="hint">Save the flow to start its version history.</p>
            )
          }
        />
      </div>
      {testing && editor.flow && (
        <DryRunDialog
          client={client}
          flow={editor.flow}
          onClose={() => setTesting(false)}
          onPublished={(published) => {
            editor.setFlow(() => published);
            setTesting(false);
            editor.setNotice({
              kind: 'info',
              text: `Version ${published.publishedVersion ?? published.version} published`,
            });
          }}
        />
      )}
      {editor.conflict && (
        <ConflictDialog
          client={client}
          conflict={editor.conflict}
          onReloadTheirs={() => {
            const theirs = editor.conflict?.theirs;
            if (theirs) editor.applyFlow(theirs);
            editor.setConflict(undefined);
            editor.setNotice({ kind: 'info', text: `Reloaded version ${theirs?.version ?? ''}` });
          }}
          onOverwrite={() => void save({ baseVersion: editor.conflict?.theirs.version })}
          onCopyMine={() =>
            void editor.saveMineAsCopy().then((id) => {
              if (id) onOpenFlow(id);
            })
          }
          onKeepEditing={() => editor.setConflict(undefined)}
        />
      )}
    </div>
  );
}
