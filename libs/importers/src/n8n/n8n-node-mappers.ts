import { mapFilter, mapIf, mapSwitch } from './map-branching';
import { mapMerge, mapRespond, mapSplitOut, mapUnsupported, mapWait } from './map-flow-control';
import { HTTP_ITEM_SUFFIX, mapHttpRequest } from './map-http';
import { mapEmail, mapSlack } from './map-messaging';
import { mapSet } from './map-set';
import { mapOtherTrigger, mapWebhook } from './map-webhook';
import type { MappedNode, MappingContext } from './n8n-mapping';

/** Flow-wide facts a mapper may need. */
export interface FlowFacts {
  usesRespondNode: boolean;
}

interface NodeMapper {
  /** Suffix of the Hookflow node whose output is this node's n8n output (`$('Name')`). */
  outputSuffix?: string;
  /** undefined: this configuration of the node is not supported. */
  map(ctx: MappingContext, facts: FlowFacts): MappedNode | undefined;
}

const WEBHOOK = 'n8n-nodes-base.webhook';

export const NODE_MAPPERS: Record<string, NodeMapper> = {
  'n8n-nodes-base.set': { map: mapSet },
  'n8n-nodes-base.if': { map: mapIf },
  'n8n-nodes-base.filter': { map: mapFilter },
  'n8n-nodes-base.switch': { map: mapSwitch },
  'n8n-nodes-base.httpRequest': { outputSuffix: HTTP_ITEM_SUFFIX, map: mapHttpRequest },
  'n8n-nodes-base.slack': { map: mapSlack },
  'n8n-nodes-base.emailSend': { map: mapEmail },
  'n8n-nodes-base.respondToWebhook': { map: mapRespond },
  'n8n-nodes-base.wait': { map: mapWait },
  'n8n-nodes-base.merge': { map: mapMerge },
  'n8n-nodes-base.splitOut': { map: mapSplitOut },
};

/** Canvas notes: they do nothing at run time, so they are dropped (reported as converted). */
export const NOTE_TYPES = new Set(['n8n-nodes-base.stickyNote']);

/** Node types that pass items on untouched: dropped, their connections joined. */
export const PASS_THROUGH = new Set(['n8n-nodes-base.noOp']);

const CODE_TYPES = new Set([
  'n8n-nodes-base.code',
  'n8n-nodes-base.function',
  'n8n-nodes-base.functionItem',
]);

export const isTriggerType = (type: string): boolean => type === WEBHOOK || /trigger$/i.test(type);

/** Maps one node, falling back to `unsupported` with the reason. */
export function mapNode(ctx: MappingContext, facts: FlowFacts, chosenTrigger: boolean): MappedNode {
  const { type } = ctx.node;
  if (isTriggerType(type)) {
    if (!chosenTrigger) return mapUnsupported(ctx, 'a Hookflow flow has exactly one trigger');
    return type === WEBHOOK ? mapWebhook(ctx, facts.usesRespondNode) : mapOtherTrigger(ctx);
  }
  if (CODE_TYPES.has(type)) {
    return mapUnsupported(
      ctx,
      'code nodes run JavaScript/Python, which Hookflow does not; rewrite it as a transform (JSONata)',
    );
  }
  const mapper = NODE_MAPPERS[type];
  if (!mapper) return mapUnsupported(ctx, `no Hookflow node does what ${type} does`);
  const mapped = mapper.map(ctx, facts);
  if (mapped) return mapped;
  return mapUnsupported(
    ctx,
    `this configuration of ${type} (typeVersion ${ctx.node.typeVersion}) is not converted`,
  );
}

export function outputSuffixOf(type: string, chosenTrigger: boolean): string {
  if (isTriggerType(type)) return chosenTrigger && type === WEBHOOK ? '_item' : '';
  return NODE_MAPPERS[type]?.outputSuffix ?? '';
}
