import type { JsonValue } from '@hookflow/engine';

/**
 * What a form shows for one param: a title (its label), help in plain words, example values and
 * the unit of a number. Published into each node type's params schema (`title`, `description`,
 * `examples`, `x-hookflow-unit`), so the API, docs/node-types.json and the editor share them.
 */
export interface ParamDoc {
  title: string;
  /** Replaces the schema's own description (written for the code) when given. */
  description?: string;
  examples?: JsonValue[];
  unit?: 'ms' | 's' | 'h' | 'bytes' | 'items' | 'requests';
}

/** Params by node type, nested params by dot path (`rateLimit.requests`). */
export const PARAM_DOCS: Readonly<Record<string, Readonly<Record<string, ParamDoc>>>> = {
  'trigger.webhook': {
    respond: {
      title: 'Respond',
      description:
        'When the sender gets its answer: at once (202 with the run id), or when the run ' +
        'finishes (the Respond node or the last output).',
    },
    timeoutMs: {
      title: 'Response timeout',
      description: 'How long a "when finished" request waits for the run before it gets 202.',
      unit: 'ms',
    },
    methods: { title: 'HTTP methods', description: 'Methods the URL accepts; others get 405.' },
    ipAllow: {
      title: 'Allowed senders',
      description: 'Addresses or CIDR ranges allowed to post, one per line; others get 403.',
      examples: ['203.0.113.0/24'],
    },
    maxBodyBytes: {
      title: 'Max body size',
      description: 'Larger requests get 413 (at most HOOKFLOW_MAX_BODY_BYTES).',
      unit: 'bytes',
    },
    rateLimit: { title: 'Rate limit' },
    'rateLimit.requests': { title: 'Requests', unit: 'requests' },
    'rateLimit.perSeconds': { title: 'Per', unit: 's' },
    dedup: { title: 'Duplicate deliveries' },
    'dedup.mode': { title: 'Detect duplicates by' },
    'dedup.expression': { title: 'Key expression', examples: ['body.id'] },
    'dedup.windowHours': { title: 'Remember keys for', unit: 'h' },
    auth: { title: 'Sender verification' },
    'auth.scheme': { title: 'Scheme' },
    'auth.credential': { title: 'Credential' },
    'auth.toleranceSeconds': { title: 'Timestamp tolerance', unit: 's' },
    'auth.url': { title: 'Signed URL' },
    'auth.header': { title: 'Header', examples: ['X-Signature'] },
    'auth.prefix': { title: 'Prefix', examples: ['sha256='] },
    'auth.algorithm': { title: 'Algorithm' },
    'auth.encoding': { title: 'Encoding' },
    'auth.timestampHeader': { title: 'Timestamp header' },
    'auth.separator': { title: 'Separator' },
    'auth.signedContent': {
      title: 'Signed content',
      description: 'What the generic HMAC signs: the body, or a timestamp header and the body.',
    },
    maxDepth: { title: 'Max nesting depth', description: 'Deeper bodies get 400 (default 64).' },
    maxKeysPerObject: {
      title: 'Max keys per object',
      description: 'Objects, XML elements or forms with more keys get 400 (default 10000).',
    },
    maxParts: { title: 'Max multipart parts', description: 'More parts get 400 (default 1000).' },
    maxFileBytes: {
      title: 'Max file size',
      description: 'A larger multipart file gets 413 (default 10 MiB).',
      unit: 'bytes',
    },
    maxAttachmentBytes: {
      title: 'Keep file bytes up to',
      description: 'Multipart files up to this size keep their bytes (base64 `content`).',
      unit: 'bytes',
    },
    xmlArrayElements: {
      title: 'XML array elements',
      description: 'Element names that are always arrays, even when they occur once.',
      examples: ['item'],
    },
  },
  'trigger.schedule': {
    cron: {
      title: 'Cron pattern',
      description: 'Minute hour day month weekday (a sixth field first for seconds).',
      examples: ['0 9 * * 1-5'],
    },
    timezone: { title: 'Time zone', examples: ['Europe/Berlin'] },
    interval: {
      title: 'Interval',
      description: 'Instead of cron: seconds, or a duration such as 30s, 5m, 1h.',
      examples: ['5m'],
    },
  },
  transform: {
    expression: {
      title: 'Expression',
      description: 'JSONata building the new message from the incoming one.',
      examples: ['{ "customer": data.object.customer, "cents": data.object.amount }'],
    },
  },
  set: {
    fields: { title: 'Fields to set' },
    keepOtherFields: {
      title: 'Keep other fields',
      description: 'Start from the incoming message; off: start from an empty object.',
    },
  },
  filter: {
    condition: {
      title: 'Condition',
      description: 'Messages for which it is true leave by "true", the others by "false".',
      examples: ['amount > 100'],
    },
  },
  switch: {
    rules: { title: 'Rules' },
    mode: { title: 'Send to', description: 'The first matching rule, or every matching rule.' },
  },
  split: {
    items: {
      title: 'Items',
      description: 'JSONata giving the array to split; each item runs on separately.',
      examples: ['line_items'],
    },
    maxItems: { title: 'Max items', unit: 'items' },
  },
  merge: {
    combine: {
      title: 'Combine',
      description: 'JSONata over the collected items; without it, the array of items.',
      examples: ['$sum(amount)'],
    },
  },
  'http.request': {
    method: { title: 'Method' },
    url: { title: 'URL', examples: ['https://api.example.com/orders/{{id}}'] },
    headers: { title: 'Headers', description: 'Values may use Handlebars.' },
    query: { title: 'Query parameters', description: 'Added to the URL, URL-encoded.' },
    body: {
      title: 'Body',
      description:
        'JSONata sent as JSON, or a template or form. Without it, POST/PUT/PATCH send the message.',
    },
    timeoutMs: { title: 'Timeout', unit: 'ms' },
    failOnStatus: { title: 'Fail unless 2xx' },
  },
  'slack.message': {
    text: { title: 'Text', examples: ['Payment of {{amount}} received'] },
    channel: { title: 'Channel', examples: ['#sales'] },
    blocks: { title: 'Blocks' },
  },
  'email.send': {
    to: { title: 'To', examples: ['{{customer.email}}'] },
    cc: { title: 'Cc' },
    bcc: { title: 'Bcc' },
    replyTo: { title: 'Reply to' },
    from: { title: 'From' },
    subject: { title: 'Subject', examples: ['Your receipt'] },
    text: { title: 'Text body' },
    html: { title: 'HTML body' },
    attachmentsFrom: { title: 'Attachments' },
  },
  respond: {
    status: { title: 'Status code', examples: [200] },
    body: { title: 'Body' },
    headers: { title: 'Headers' },
  },
  delay: {
    durationMs: { title: 'Wait for', unit: 'ms', examples: [60_000] },
    until: { title: 'Wait until', examples: ['data.due_at'] },
  },
  unsupported: {
    source: { title: 'Imported from' },
    sourceType: { title: 'Source node type' },
    reason: { title: 'Why it was not converted' },
    code: { title: 'Original code' },
    original: { title: 'Original node' },
  },
  template: {
    template: { title: 'Template', examples: ['Hello {{name}}'] },
    field: { title: 'Result field', examples: ['payload'] },
    output: { title: 'Output as' },
    escapeHtml: { title: 'Escape HTML' },
  },
};
