import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useNodesInitialized,
  useReactFlow,
  type FinalConnectionState,
  type NodeTypes,
} from '@xyflow/react';
import type { FlowEditorState } from './use-flow-editor';
import { FlowNodeView } from './flow-node-view';
import { DRAG_TYPE } from './node-palette';
import { NodePicker, OpenPickerContext, type PickerRequest } from './node-picker';

const NODE_VIEWS: NodeTypes = { hookflow: FlowNodeView };
const FIT_OPTIONS = { maxZoom: 1.2, padding: 0.15 };

interface FlowCanvasProps {
  editor: FlowEditorState;
  /** A node was clicked: its settings should show. */
  onNodeOpen: () => void;
}

/** The node under a pointer, by the id React Flow puts on each node's element. */
function nodeIdAt(event: MouseEvent | TouchEvent): string | undefined {
  const point = 'changedTouches' in event ? event.changedTouches[0] : event;
  if (!point) return undefined;
  const element = document.elementFromPoint(point.clientX, point.clientY);
  return element?.closest('.react-flow__node')?.getAttribute('data-id') ?? undefined;
}

/** The React Flow canvas: drop targets for the palette, ports, selection, zoom and fit. */
export function FlowCanvas({ editor, onNodeOpen }: FlowCanvasProps) {
  const { screenToFlowPosition, fitView } = useReactFlow();
  // Each flow put on the canvas (opened, imported, another version restored) is fitted once its
  // nodes are measured: React Flow's own fitView prop fits before every node has a size and left
  // all but the first off screen. An empty canvas keeps zoom 1 so drops land where dropped.
  const measured = useNodesInitialized();
  // A node added with "+" may land outside the view: fit again once it is measured too.
  const [added, setAdded] = useState(0);
  const fitted = useRef('0:0');
  const hasNodes = editor.graph.nodes.length > 0;
  useEffect(() => {
    const wanted = `${editor.openCount}:${added}`;
    if (!measured || !hasNodes || fitted.current === wanted) return;
    fitted.current = wanted;
    void fitView(FIT_OPTIONS);
  }, [measured, hasNodes, editor.openCount, added, fitView]);
  const onDragOver = useCallback((event: DragEvent) => {
    if (event.dataTransfer.types.includes(DRAG_TYPE)) {
      event.preventDefault();
      event.dataTransfer.dropEffect = 'move';
    }
  }, []);
  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(DRAG_TYPE);
      if (!type) return;
      event.preventDefault();
      const point = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      editor.addNode(type, { x: point.x - 100, y: point.y - 30 });
    },
    [editor, screenToFlowPosition],
  );

  const [picker, setPicker] = useState<PickerRequest>();
  // A connection dropped on a node's body rather than its input port still means "connect
  // these": it goes through the same rules, so dropping onto a trigger explains why not.
  const onConnectEnd = useCallback(
    (event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      if (state.isValid || state.toHandle || state.fromHandle?.type !== 'source') return;
      const target = nodeIdAt(event);
      if (!state.fromNode) return;
      if (!target) {
        // A dangling connection: pick the node it should lead to, placed where it was dropped.
        const point = 'changedTouches' in event ? event.changedTouches[0] : event;
        const at = screenToFlowPosition({ x: point.clientX, y: point.clientY });
        setPicker({
          from: state.fromNode.id,
          port: state.fromHandle.id ?? 'main',
          position: { x: at.x, y: at.y - 30 },
        });
        return;
      }
      editor.connect({
        source: state.fromNode.id,
        sourceHandle: state.fromHandle.id ?? null,
        target,
        targetHandle: null,
      });
    },
    [editor, screenToFlowPosition],
  );
  const { addConnectedNode } = editor;
  const pick = useCallback(
    (type: string) => {
      if (!picker) return;
      addConnectedNode(type, picker.from, picker.port, picker.position);
      setPicker(undefined);
      setAdded((count) => count + 1);
      onNodeOpen();
    },
    [picker, addConnectedNode, onNodeOpen],
  );

  return (
    <div
      className="canvas"
      onDragOver={onDragOver}
      onDrop={onDrop}
      aria-label="Flow canvas"
      role="region"
    >
      <OpenPickerContext.Provider value={setPicker}>
        <ReactFlow
          nodes={editor.graph.nodes}
          edges={editor.graph.edges}
          nodeTypes={NODE_VIEWS}
          onNodesChange={editor.onNodesChange}
          onEdgesChange={editor.onEdgesChange}
          onConnect={editor.connect}
          onConnectEnd={onConnectEnd}
          onNodeClick={onNodeOpen}
          onNodeDragStart={() => editor.history.record()}
          deleteKeyCode={null}
          multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
          selectionKeyCode="Shift"
          fitViewOptions={FIT_OPTIONS}
          minZoom={0.2}
          maxZoom={2}
          proOptions={{ hideAttribution: true }}
        >
          <Background />
          <Controls showInteractive={false} />
          <MiniMap pannable zoomable ariaLabel="Mini map" />
        </ReactFlow>
      </OpenPickerContext.Provider>
      {!hasNodes && (
        <div className="empty-canvas" role="note">
          <strong>Start with a trigger.</strong> Click <em>Webhook</em> in the palette (or drag it
          here), then use the <strong>+</strong> after it to add the next step.
        </div>
      )}
      {picker && (
        <NodePicker
          request={picker}
          nodeTypes={editor.nodeTypes}
          onPick={pick}
          onClose={() => setPicker(undefined)}
        />
      )}
    </div>
  );
}
