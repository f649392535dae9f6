import { useContext, useEffect } from 'react';
import { Handle, Position, useUpdateNodeInternals, type NodeProps } from '@xyflow/react';
import { NodeIcon } from '../shared/node-icon';
import type { FlowNode } from './flow-graph';
import { OpenPickerContext } from './node-picker';

/** A node on the canvas: input on the left, one handle per output port on the right. */
export function FlowNodeView({ id, data, selected }: NodeProps<FlowNode>) {
  // Ports can change with the params (switch rules, onError: route): re-measure the handles.
  const updateNodeInternals = useUpdateNodeInternals();
  const openPicker = useContext(OpenPickerContext);
  const ports = data.outputs.join('\n');
  useEffect(() => updateNodeInternals(id), [id, ports, updateNodeInternals]);
  const classes = ['flow-node', `category-${data.isTrigger ? 'trigger' : data.category}`];
  if (selected) classes.push('selected');
  if (data.problems.length > 0) classes.push('has-problems');
  if (data.runStatus) classes.push(`run-${data.runStatus}`);
  return (
    <div className={classes.join(' ')} data-testid={`node-${id}`} aria-label={`Node ${id}`}>
      {!data.isTrigger && (
        <Handle type="target" position={Position.Left} id="in" aria-label={`${id} input`} />
      )}
      <div className="flow-node-head">
        <NodeIcon icon={data.icon} className="flow-node-icon" />
        <div>
          <div className="flow-node-title">{id}</div>
          <div className="flow-node-type">{data.label}</div>
        </div>
      </div>
      {data.problems.length > 0 && (
        <div className="flow-node-problems" role="note" title={data.problems.join('\n')}>
          ⚠ {data.problems[0]}
          {data.problems.length > 1 ? ` (+${data.problems.length - 1})` : ''}
        </div>
      )}
      {data.runStatus && <div className="flow-node-run">{data.runStatus}</div>}
      {data.outputs.map((port, index) => {
        const top = `${((index + 1) / (data.outputs.length + 1)) * 100}%`;
        return (
          <div key={port}>
            <Handle
              type="source"
              position={Position.Right}
              id={port}
              aria-label={`${id} output ${port}`}
              style={{ top }}
            >
              {data.outputs.length > 1 && <span className="port-label">{port}</span>}
            </Handle>
            <button
              type="button"
              className={`add-after nodrag nopan${data.linkedPorts?.includes(port) ? ' linked' : ''}`}
              style={{ top }}
              aria-label={`Add a node after ${id}${port === 'main' ? '' : ` ${port}`}`}
              title="Add the next node"
              onClick={(event) => {
                event.stopPropagation();
                openPicker({ from: id, port });
              }}
            >
              +
            </button>
          </div>
        );
      })}
    </div>
  );
}
