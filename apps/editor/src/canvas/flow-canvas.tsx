import { useCallback, useState, type DragEvent } from 'react';
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type NodeTypes,
} from '@xyflow/react';
import type { FlowEditorState } from './use-flow-editor';
import { FlowNodeView } from './flow-node-view';
import { DRAG_TYPE } from './node-palette';

const NODE_VIEWS: NodeTypes = { hookflow: FlowNodeView };

/** The React Flow canvas: drop targets for the palette, ports, selection, zoom and fit. */
export function FlowCanvas({ editor }: { editor: FlowEditorState }) {
  const { screenToFlowPosition } = useReactFlow();
  // Fit a loaded flow once; an empty canvas keeps zoom 1 so drops land where they are dropped.
  const [fitOnLoad] = useState(() => editor.graph.nodes.length > 0);
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

  return (
    <div
      className="canvas"
      onDragOver={onDragOver}
      onDrop={onDrop}
      aria-label="Flow canvas"
      role="region"
    >
      <ReactFlow
        nodes={editor.graph.nodes}
        edges={editor.graph.edges}
        nodeTypes={NODE_VIEWS}
        onNodesChange={editor.onNodesChange}
        onEdgesChange={editor.onEdgesChange}
        onConnect={editor.connect}
        onNodeDragStart={() => editor.history.record()}
        deleteKeyCode={null}
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        selectionKeyCode="Shift"
        fitView={fitOnLoad}
        fitViewOptions={{ maxZoom: 1.2, padding: 0.2 }}
        minZoom={0.2}
        maxZoom={2}
        proOptions={{ hideAttribution: true }}
      >
        <Background />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable ariaLabel="Mini map" />
      </ReactFlow>
    </div>
  );
}
