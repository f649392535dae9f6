import { Type } from '@sinclair/typebox';
import {
  defineNodeType,
  isJsonObject,
  Jsonata,
  NodeFailure,
  parseRetryAfter,
  Template,
  type CredentialValue,
  type JsonObject,
  type JsonValue,
  type NodeContext,
  type OutboundResponse,
} from '@hookflow/engine';
import { excerptOf, withSecretsHidden } from './hide-secrets';

const SLACK_TIMEOUT_MS = 10_000;
/** `ok: false` reasons that may pass on their own; every other one needs a person to act. */
const TRANSIENT_ERRORS = new Set([
  'ratelimited',
  'service_unavailable',
  'internal_error',
  'fatal_error',
  'request_timeout',
]);

const params = Type.Object(
  {
    text: Template({
      escape: 'slack',
      description:
        'Message text (Handlebars); `{{value}}` escapes `& < >` so data cannot add mentions or ' +
        'links, `{{{value}}}` inserts it as it is. The notification fallback when `blocks` are set',
    }),
    channel: Type.Optional(
      Template({
        description: 'Channel id or name, e.g. `#sales` (required with a slack-bot credential)',
      }),
    ),
    blocks: Type.Optional(Jsonata({ description: 'JSONata giving an array of Block Kit blocks' })),
  },
  { additionalProperties: false },
);

type SlackParams = (typeof params)['static'];

/**
 * The bot's API base URL lives in the credential, not in the flow: whoever may edit a flow must
 * not be able to send the token somewhere else.
 */
const SLACK_API = 'https://slack.com/api';

type SlackTarget =
  { kind: 'webhook'; url: string } | { kind: 'bot'; token: string; apiBaseUrl: string };

function targetOf(credential: CredentialValue): SlackTarget {
  const { type, data } = credential;
  if (type === 'slack-webhook' && typeof data.url === 'string') {
    return { kind: 'webhook', url: data.url };
  }
  if (type === 'slack-bot' && typeof data.token === 'string') {
    const apiBaseUrl = typeof data.apiBaseUrl === 'string' ? data.apiBaseUrl : SLACK_API;
    return { kind: 'bot', token: data.token, apiBaseUrl };
  }
  throw new NodeFailure(
    'credential_type',
    `slack.message needs a slack-webhook or slack-bot credential, not ${type}`,
  );
}

/** Block Kit wants an array; JSONata gives a lone object for a one-element sequence. */
function toBlocks(value: JsonValue): JsonObject[] | undefined {
  if (value === null) return undefined;
  const blocks = Array.isArray(value) ? value : [value];
  if (!blocks.every(isJsonObject)) {
    throw new NodeFailure(
      'invalid_blocks',
      `blocks must give an array of Block Kit objects, got ${JSON.stringify(value).slice(0, 100)}`,
    );
  }
  return blocks;
}

function parseJson(body: string): JsonValue | undefined {
  try {
    return JSON.parse(body) as JsonValue;
  } catch {
    return undefined;
  }
}

/** A non-2xx answer: the reason Slack gives (text or `{ error }`), retryable for 5xx and 429. */
function httpFailure(response: OutboundResponse, now: Date, secrets: string[]): NodeFailure {
  const { status } = response;
  const parsed = parseJson(response.body);
  const reason =
    isJsonObject(parsed) && typeof parsed.error === 'string'
      ? parsed.error
      : excerptOf(response.body, secrets, 100) || 'no reason given';
  return new NodeFailure('slack_error', `Slack answered ${reason} (HTTP ${status})`, undefined, {
    retryable: status >= 500 || status === 429 || status === 408,
    retryAfterMs: parseRetryAfter(response.headers['retry-after'], now),
    status,
  });
}

async function postToWebhook(
  ctx: NodeContext,
  url: string,
  payload: JsonObject,
): Promise<JsonObject> {
  const response = await ctx.http.request({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', 'idempotency-key': ctx.idempotencyKey },
    body: JSON.stringify(payload),
    timeoutMs: SLACK_TIMEOUT_MS,
    signal: ctx.signal,
  });
  if (response.status < 200 || response.status > 299) {
    throw httpFailure(response, ctx.now(), [url]);
  }
  return { ok: true };
}

async function postWithBot(
  ctx: NodeContext,
  config: SlackParams,
  target: { token: string; apiBaseUrl: string },
  payload: JsonObject,
): Promise<JsonObject> {
  const channel = config.channel === undefined ? '' : ctx.render(config.channel).trim();
  if (channel === '') {
    throw new NodeFailure('invalid_params', 'channel is required with a slack-bot credential');
  }
  const response = await ctx.http.request({
    method: 'POST',
    url: `${target.apiBaseUrl.replace(/\/+$/, '')}/chat.postMessage`,
    headers: {
      authorization: `Bearer ${target.token}`,
      'content-type': 'application/json; charset=utf-8',
      'idempotency-key': ctx.idempotencyKey,
    },
    body: JSON.stringify({ channel, ...payload }),
    timeoutMs: SLACK_TIMEOUT_MS,
    signal: ctx.signal,
  });
  if (response.status < 200 || response.status > 299) {
    throw httpFailure(response, ctx.now(), [target.token]);
  }
  const answer = parseJson(response.body);
  if (!isJsonObject(answer)) {
    throw new NodeFailure('slack_error', 'Slack answered with something that is not JSON');
  }
  if (answer.ok !== true) {
    const reason = typeof answer.error === 'string' ? answer.error : 'not ok';
    throw new NodeFailure('slack_error', `Slack answered ${reason}`, undefined, {
      retryable: TRANSIENT_ERRORS.has(reason),
      retryAfterMs: parseRetryAfter(response.headers['retry-after'], ctx.now()),
    });
  }
  return {
    ok: true,
    channel: typeof answer.channel === 'string' ? answer.channel : channel,
    ts: typeof answer.ts === 'string' ? answer.ts : null,
  };
}

export const slackMessageNode = defineNodeType({
  type: 'slack.message',
  label: 'Slack message',
  category: 'action',
  version: 1,
  icon: 'slack',
  description:
    'Posts a message to Slack: to an incoming webhook (slack-webhook credential) or to a ' +
    'channel through chat.postMessage (slack-bot credential).',
  isTrigger: false,
  outputs: ['main'],
  params,
  async execute(ctx, config) {
    const target = targetOf(await ctx.credential());
    const text = ctx.render(config.text, ctx.input, 'slack');
    const blocks =
      config.blocks === undefined ? undefined : toBlocks(await ctx.evaluate(config.blocks));
    if (text.trim() === '' && !blocks) {
      throw new NodeFailure('invalid_params', 'text rendered empty and there are no blocks');
    }
    const payload: JsonObject = blocks ? { text, blocks } : { text };
    const output = await withSecretsHidden(
      target.kind === 'webhook' ? [target.url] : [target.token],
      () =>
        target.kind === 'webhook'
          ? postToWebhook(ctx, target.url, payload)
          : postWithBot(ctx, config, target, payload),
    );
    return { port: 'main', output };
  },
});
