import { credentialOf, type MappedNode, type MappingContext } from './n8n-mapping';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * What n8n's Webhook node emits as its item, rebuilt from what Hookflow's trigger keeps. A GET
 * has no body: n8n's item carries `body: {}` (Hookflow's trigger output is the query then).
 */
const n8nWebhookItem = (method: string): string =>
  '{"headers": $trigger.headers, "params": {}, "query": $trigger.query, ' +
  `"body": ${method === 'GET' ? '{}' : '$'}}`;

/**
 * Webhook → `trigger.webhook` plus a transform shaping the message like n8n's item
 * (`{ headers, params, query, body }`), so `$json.body.x` downstream means what it meant.
 */
export function mapWebhook(ctx: MappingContext, usesRespondNode: boolean): MappedNode {
  const method =
    typeof ctx.param('httpMethod') === 'string' ? String(ctx.param('httpMethod')) : 'GET';
  const methods = METHODS.includes(method) ? [method] : ['POST'];
  if (!METHODS.includes(method))
    ctx.differs(`method ${method} is not accepted by Hookflow triggers; POST is`);
  const mode =
    typeof ctx.param('responseMode') === 'string' ? ctx.param('responseMode') : 'onReceived';
  const whenFinished = mode === 'responseNode' || mode === 'lastNode' || usesRespondNode;
  if (!whenFinished) {
    ctx.differs(
      'answers the sender 202 with the execution id at once; n8n answered 200 ' +
        '{"message":"Workflow was started"}',
    );
  }
  const options = ctx.record(ctx.param('options'));
  if (mode === 'lastNode' && ctx.param('responseData') === 'allEntries') {
    ctx.differs('answers with the last message, not an array of all items');
  }
  if (
    typeof ctx.param('responseCode') === 'number' &&
    ctx.param('responseCode') !== 200 &&
    mode !== 'responseNode'
  ) {
    ctx.differs(
      `the response code ${String(ctx.param('responseCode'))} is not kept; add a Respond node`,
    );
  }
  if (options.rawBody === true || options.binaryData === true || ctx.param('binaryData') === true) {
    ctx.differs('binary/raw bodies are not kept; Hookflow parses JSON, form and text bodies');
  }
  const params: Record<string, unknown> = {
    methods,
    respond: whenFinished ? 'when-finished' : 'immediately',
  };
  const authentication = ctx.param('authentication');
  let credentials = undefined;
  if (authentication === 'basicAuth') {
    const found = credentialOf(ctx, ['httpBasicAuth'], ['http-basic']);
    params.auth = { scheme: 'basic-auth', credential: found.credential };
    credentials = found.needed;
  } else if (authentication === 'headerAuth') {
    // n8n checks that the credential's header carries its value: Hookflow's header-token check.
    const found = credentialOf(ctx, ['httpHeaderAuth'], ['http-header']);
    params.auth = { scheme: 'header-token', credential: found.credential };
    credentials = found.needed;
  } else if (typeof authentication === 'string' && authentication !== 'none') {
    ctx.differs(
      `webhook authentication "${authentication}" is not converted: the trigger accepts ` +
        'unauthenticated requests until you set its auth',
    );
  }
  const allow =
    typeof options.ipWhitelist === 'string'
      ? options.ipWhitelist
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean)
      : [];
  // An empty allowlist is refused when saved: no entries means no rule.
  if (allow.length > 0) params.ipAllow = allow;
  ctx.note(
    `the n8n path "${String(ctx.param('path') ?? '')}" is replaced by the trigger's /hooks/<hookId> URL`,
  );
  ctx.note(
    'its item { headers, params, query, body } is rebuilt by the next node (secret headers such as ' +
      'authorization are redacted; webhookUrl and executionMode are not set)',
  );
  const trigger = ctx.flowNode('trigger.webhook', params);
  const shape = ctx.flowNode(
    'transform',
    { expression: n8nWebhookItem(methods[0]) },
    { id: `${ctx.id}_item`, nameSuffix: ' (n8n item)' },
  );
  return {
    outcome: ctx.approximated ? 'approximated' : 'converted',
    notes: ctx.notes,
    nodes: [trigger, shape],
    edges: [{ from: trigger.id, to: shape.id }],
    entryId: trigger.id,
    exitId: shape.id,
    ports: (index) => (index === 0 ? ['main'] : []),
    ...(credentials ? { credentials } : {}),
  };
}

/** Another n8n trigger (manual, schedule, form, ...): Hookflow flows start from a webhook. */
export function mapOtherTrigger(ctx: MappingContext): MappedNode {
  ctx.differs(
    `Hookflow flows start from a webhook: the n8n trigger ${ctx.node.type} is replaced by one; ` +
      'post to its URL to run the flow',
  );
  const trigger = ctx.flowNode('trigger.webhook', { methods: ['POST'] });
  return ctx.single(trigger);
}
