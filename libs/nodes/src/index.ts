import { createRegistry, type AnyNodeType, type NodeTypeRegistry } from '@hookflow/engine';
import { delayNode } from './delay.node';
import { emailSendNode } from './email-send.node';
import { filterNode } from './filter.node';
import { mergeNode } from './merge.node';
import { setNode } from './set.node';
import { splitNode } from './split.node';
import { switchNode } from './switch.node';
import { httpRequestNode } from './http-request.node';
import { respondNode } from './respond.node';
import { slackMessageNode } from './slack-message.node';
import { transformNode } from './transform.node';
import { webhookTrigger } from './trigger-webhook.node';
import { scheduleTrigger } from './trigger-schedule.node';
import { unsupportedNode } from './unsupported.node';
import { templateNode } from './template.node';

export { delayNode } from './delay.node';
export { emailSendNode } from './email-send.node';
export { filterNode, isTruthy } from './filter.node';
export { mergeNode } from './merge.node';
export { setNode } from './set.node';
export { splitNode } from './split.node';
export { switchNode } from './switch.node';
export { httpRequestNode } from './http-request.node';
export { respondNode } from './respond.node';
export { slackMessageNode } from './slack-message.node';
export { transformNode } from './transform.node';
export { webhookTrigger } from './trigger-webhook.node';
export {
  scheduleTrigger,
  scheduleOf,
  scheduleKey,
  scheduleProblems,
  nextTick,
  type ScheduleSpec,
  type ScheduleTriggerParams,
} from './trigger-schedule.node';
export { unsupportedNode } from './unsupported.node';
export { templateNode } from './template.node';

/** Every node type Hookflow ships. Adding a node type is adding a file and one line here. */
export const ALL_NODE_TYPES: readonly AnyNodeType[] = [
  webhookTrigger,
  scheduleTrigger,
  transformNode,
  setNode,
  filterNode,
  switchNode,
  splitNode,
  mergeNode,
  httpRequestNode,
  slackMessageNode,
  emailSendNode,
  respondNode,
  delayNode,
  unsupportedNode,
  templateNode,
];

export const nodeRegistry: NodeTypeRegistry = createRegistry(ALL_NODE_TYPES);
export * from './published-node-type';
export { PARAM_DOCS, type ParamDoc } from './param-docs';
