import { isExpression } from './n8n-expression';
import { credentialOf, type MappedNode, type MappingContext } from './n8n-mapping';

/** `channelId` of Slack v2 is a resource locator: `{ __rl: true, value, mode }`. */
function channelOf(ctx: MappingContext): unknown {
  const locator = ctx.param('channelId');
  if (typeof locator === 'object' && locator !== null) {
    const { value, mode } = ctx.record(locator);
    if (mode === 'name' && typeof value === 'string' && !/^[=#]/.test(value)) {
      return `#${value}`;
    }
    return value;
  }
  return locator ?? ctx.param('channel');
}

/** Slack: message / post (v1 `channel`, v2 `channelId`) → `slack.message` with a bot token. */
export function mapSlack(ctx: MappingContext): MappedNode | undefined {
  const resource = ctx.param('resource') ?? 'message';
  const operation = ctx.param('operation') ?? 'post';
  if (resource !== 'message' || operation !== 'post') return undefined;
  if (ctx.param('select') === 'user') {
    ctx.differs(
      'messages to a user go to the channel named by the user id, as chat.postMessage allows',
    );
  }
  const other = ctx.record(ctx.param('otherOptions'));
  if (ctx.node.typeVersion >= 2.1 && other.includeLinkToWorkflow !== false) {
    ctx.differs('n8n appended "Automated with this n8n workflow" to the text; Hookflow does not');
  }
  const messageType = ctx.param('messageType') ?? 'text';
  const params: Record<string, unknown> = { text: ctx.template(ctx.param('text') ?? '') };
  const channel = channelOf(ctx);
  if (channel !== undefined && channel !== '') params.channel = ctx.template(channel);
  if (messageType === 'block') {
    const blocks = ctx.param('blocksUi');
    if (typeof blocks === 'string') {
      // n8n takes `{ "blocks": [...] }` or the bare array.
      const code = ctx.jsonata(isExpression(blocks) ? blocks : `={{ ${blocks} }}`);
      params.blocks = `($b := ${code}; $type($b) = "object" and $exists($b.blocks) ? $b.blocks : $b)`;
    }
  } else if (messageType !== 'text') {
    ctx.differs(`${String(messageType)} messages are sent as plain text`);
  }
  const { credential, needed } = credentialOf(ctx, ['slackApi', 'slackOAuth2Api'], ['slack-bot']);
  ctx.note("the output is { ok, channel, ts }, not Slack's whole chat.postMessage answer");
  const node = ctx.flowNode('slack.message', params, credential ? { credential } : {});
  return ctx.single(node, undefined, needed);
}

/** Send Email (v1, v2.x) → `email.send` over the SMTP credential. */
export function mapEmail(ctx: MappingContext): MappedNode | undefined {
  const operation = ctx.param('operation') ?? 'send';
  if (operation !== 'send') return undefined;
  const options = ctx.record(ctx.param('options'));
  const format = ctx.node.typeVersion >= 2 ? String(ctx.param('emailFormat') ?? 'html') : 'both';
  const params: Record<string, unknown> = {
    to: ctx.template(ctx.param('toEmail') ?? ''),
    subject: ctx.template(ctx.param('subject') ?? ''),
  };
  if (ctx.param('fromEmail') !== undefined && ctx.param('fromEmail') !== '') {
    params.from = ctx.template(ctx.param('fromEmail'));
  }
  if (format === 'text' || format === 'both') params.text = ctx.template(ctx.param('text') ?? '');
  if (format === 'html' || format === 'both') params.html = ctx.template(ctx.param('html') ?? '');
  if (ctx.node.typeVersion < 2) {
    if (ctx.param('text') === undefined) delete params.text;
    if (ctx.param('html') === undefined) delete params.html;
  }
  if (params.text === undefined && params.html === undefined) params.text = '';
  for (const [option, param] of [
    ['ccEmail', 'cc'],
    ['bccEmail', 'bcc'],
    ['replyTo', 'replyTo'],
  ] as const) {
    if (typeof options[option] === 'string' && options[option] !== '') {
      params[param] = ctx.template(options[option]);
    }
  }
  if (ctx.node.typeVersion >= 2.1 && options.appendAttribution !== false) {
    ctx.differs(
      'n8n appended "This email was sent automatically with n8n" to the body; Hookflow does not',
    );
  }
  if (options.attachments !== undefined) ctx.differs('binary attachments are not carried');
  const { credential, needed } = credentialOf(ctx, ['smtp'], ['smtp']);
  ctx.note("the output is Hookflow's send result ({ messageId, accepted, ... }), not n8n's");
  const node = ctx.flowNode('email.send', params, credential ? { credential } : {});
  return ctx.single(node, undefined, needed);
}
