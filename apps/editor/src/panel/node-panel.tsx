import type { ReactNode } from 'react';
import type {
  CredentialView,
  ExecutionStep,
  JsonObject,
  NodeTypeView,
  TriggerView,
} from '../api/types';
import type { FlowNode } from '../canvas/flow-graph';
import type { PreviewContext } from './jsonata-preview';
import { NodeSettings } from './node-settings';
import { SchemaForm } from './schema-form';
import { omitProperties } from './schema-subset';
import { StepDetails } from './step-details';
import { SwitchRulesEditor } from './switch-rules-editor';
import { TriggerPanel, type TestEventSource } from './trigger-panel';
import { TRIGGER_FORM_PARAMS, TriggerSettings } from './trigger-settings';

interface NodePanelProps {
  node: FlowNode;
  nodeType: NodeTypeView | undefined;
  trigger: TriggerView | undefined;
  steps: ExecutionStep[];
  preview: PreviewContext | undefined;
  onParamsChange: (nodeId: string, params: JsonObject) => void;
  onExtraChange: (nodeId: string, extra: JsonObject) => void;
  credentials: CredentialView[];
  testEvents?: TestEventSource;
  /** The preview input switch (non-trigger nodes). */
  previewPicker?: ReactNode;
}

/** Params with a dedicated control instead of the generated one, by node type. */
const DEDICATED: Record<string, readonly string[]> = {
  'trigger.webhook': TRIGGER_FORM_PARAMS,
  switch: ['rules'],
};

/** `params/expression: message` by property name, for the form to show beside the field. */
function problemsByParam(problems: string[]): Map<string, string[]> {
  const byParam = new Map<string, string[]>();
  for (const problem of problems) {
    const match = /^params\/([^/:]+)[^:]*: (.*)$/.exec(problem);
    if (match) byParam.set(match[1], [...(byParam.get(match[1]) ?? []), match[2]]);
  }
  return byParam;
}

/** The selected node: its params form, its problems, its trigger URLs and its last run data. */
export function NodePanel({
  node,
  nodeType,
  trigger,
  steps,
  preview,
  onParamsChange,
  onExtraChange,
  credentials,
  testEvents,
  previewPicker,
}: NodePanelProps) {
  const dedicated = DEDICATED[node.data.nodeType] ?? [];
  const setParam = (name: string, value: JsonObject[string] | undefined) => {
    const params: JsonObject = { ...node.data.params };
    if (value === undefined) delete params[name];
    else params[name] = value;
    onParamsChange(node.id, params);
  };
  return (
    <section className="node-panel" aria-label={`Node ${node.id}`}>
      <h2>
        {node.id} <span className="type">{node.data.label}</span>
      </h2>
      {nodeType && <p className="help">{nodeType.description}</p>}
      {node.data.problems.length > 0 && (
        <ul className="problems" aria-label="Problems">
          {node.data.problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      {node.data.isTrigger && <TriggerPanel trigger={trigger} testEvents={testEvents} />}
      {previewPicker}
      {nodeType && node.data.nodeType === 'trigger.webhook' && (
        <TriggerSettings
          nodeId={node.id}
          schema={nodeType.params}
          params={node.data.params}
          onChange={(params) => onParamsChange(node.id, params)}
          credentials={credentials}
        />
      )}
      {nodeType && node.data.nodeType === 'switch' && (
        <SwitchRulesEditor
          id={`param-${node.id}-rules`}
          value={node.data.params.rules}
          onChange={(rules) => setParam('rules', rules)}
          preview={preview}
        />
      )}
      {nodeType ? (
        <SchemaForm
          idPrefix={`param-${node.id}`}
          schema={omitProperties(nodeType.params, dedicated)}
          value={node.data.params}
          onChange={(params) => onParamsChange(node.id, params)}
          preview={preview}
          problems={problemsByParam(node.data.problems)}
        />
      ) : (
        <p role="alert">Unknown node type {node.data.nodeType}</p>
      )}
      {!node.data.isTrigger && (
        <NodeSettings
          nodeId={node.id}
          extra={node.data.extra}
          credentials={credentials}
          onChange={(extra) => onExtraChange(node.id, extra)}
        />
      )}
      {steps.map((step) => (
        <StepDetails key={step.seq} step={step} />
      ))}
    </section>
  );
}
