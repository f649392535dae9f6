import { Type } from '@sinclair/typebox';
import {
  defineNodeType,
  isJsonObject,
  Jsonata,
  NodeFailure,
  SmtpReplyError,
  Template,
  type CredentialValue,
  type JsonValue,
  type MailAttachment,
  type MailMessage,
  type NodeContext,
  type SmtpServerConfig,
} from '@hookflow/engine';
import { withSecretsHidden } from './hide-secrets';

const MAX_ATTACHMENTS = 20;
const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

const params = Type.Object(
  {
    to: Template({ description: 'Recipients, comma-separated (`a@x.test, "B" <b@x.test>`)' }),
    cc: Type.Optional(Template({ description: 'Copy recipients, comma-separated' })),
    bcc: Type.Optional(Template({ description: 'Blind copy recipients, comma-separated' })),
    replyTo: Type.Optional(Template({ description: 'Reply-To address' })),
    from: Type.Optional(Template({ description: "Sender; default: the credential's `from`" })),
    subject: Template({ description: 'Subject line' }),
    text: Type.Optional(Template({ description: 'Plain-text body (set text, html or both)' })),
    html: Type.Optional(
      Template({
        escape: 'html',
        description: 'HTML body; `{{value}}` is HTML-escaped, `{{{value}}}` inserts it as it is',
      }),
    ),
    attachmentsFrom: Type.Optional(
      Jsonata({
        description: 'JSONata giving an array of `{ filename, content, contentType? }` (text)',
      }),
    ),
  },
  { additionalProperties: false },
);

type EmailParams = (typeof params)['static'];

interface SmtpCredential {
  server: SmtpServerConfig;
  from?: string;
}

const optionalString = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

function smtpOf(credential: CredentialValue): SmtpCredential {
  const { type, data } = credential;
  if (
    type !== 'smtp' ||
    typeof data.host !== 'string' ||
    typeof data.port !== 'number' ||
    typeof data.secure !== 'boolean'
  ) {
    throw new NodeFailure('credential_type', `email.send needs an smtp credential, not ${type}`);
  }
  const username = optionalString(data.username);
  const password = optionalString(data.password);
  const from = optionalString(data.from);
  return {
    server: {
      host: data.host,
      port: data.port,
      secure: data.secure,
      ...(username !== undefined ? { username } : {}),
      ...(password !== undefined ? { password } : {}),
    },
    ...(from !== undefined ? { from } : {}),
  };
}

/** A header value on one line: a line break in data must not start a header of its own. */
function headerValue(ctx: NodeContext, template: string | undefined): string | undefined {
  if (template === undefined) return undefined;
  const value = ctx
    .render(template)
    .replace(/[\r\n]+/g, ' ')
    .trim();
  return value === '' ? undefined : value;
}

function toAttachments(value: JsonValue): MailAttachment[] {
  if (value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  if (items.length > MAX_ATTACHMENTS) {
    throw new NodeFailure('invalid_attachments', `more than ${MAX_ATTACHMENTS} attachments`);
  }
  let bytes = 0;
  return items.map((item, index) => {
    if (
      !isJsonObject(item) ||
      typeof item.filename !== 'string' ||
      item.filename === '' ||
      typeof item.content !== 'string' ||
      (item.contentType !== undefined && typeof item.contentType !== 'string')
    ) {
      throw new NodeFailure(
        'invalid_attachments',
        `attachment ${index} needs a string filename and content (and an optional contentType)`,
      );
    }
    bytes += Buffer.byteLength(item.content);
    if (bytes > MAX_ATTACHMENT_BYTES) {
      throw new NodeFailure(
        'invalid_attachments',
        `attachments exceed ${MAX_ATTACHMENT_BYTES} bytes`,
      );
    }
    const attachment: MailAttachment = { filename: item.filename, content: item.content };
    if (typeof item.contentType === 'string') attachment.contentType = item.contentType;
    return attachment;
  });
}

/**
 * A Message-ID fixed by the idempotency key: a message sent again after a crash carries the same
 * id, which lets mail systems recognise the duplicate.
 */
function messageIdFor(idempotencyKey: string, from: string): string {
  const local = idempotencyKey.replace(
    /[^A-Za-z0-9-]/g,
    (char) => `=${char.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'hookflow.invalid';
  return `<${local}@${domain}>`;
}

async function buildMessage(
  ctx: NodeContext,
  config: EmailParams,
  credentialFrom: string | undefined,
): Promise<MailMessage> {
  const to = headerValue(ctx, config.to);
  if (to === undefined) throw new NodeFailure('invalid_recipient', '`to` rendered empty');
  const from = headerValue(ctx, config.from) ?? credentialFrom;
  if (from === undefined) {
    throw new NodeFailure('invalid_params', "no sender: set `from` or the credential's `from`");
  }
  if (config.text === undefined && config.html === undefined) {
    throw new NodeFailure('invalid_params', 'set `text`, `html` or both');
  }
  const message: MailMessage = {
    from,
    to,
    subject: headerValue(ctx, config.subject) ?? '',
    messageId: messageIdFor(ctx.idempotencyKey, from),
  };
  const cc = headerValue(ctx, config.cc);
  const bcc = headerValue(ctx, config.bcc);
  const replyTo = headerValue(ctx, config.replyTo);
  if (cc !== undefined) message.cc = cc;
  if (bcc !== undefined) message.bcc = bcc;
  if (replyTo !== undefined) message.replyTo = replyTo;
  if (config.text !== undefined) message.text = ctx.render(config.text);
  if (config.html !== undefined) message.html = ctx.render(config.html, ctx.input, 'html');
  if (config.attachmentsFrom !== undefined) {
    const attachments = toAttachments(await ctx.evaluate(config.attachmentsFrom));
    if (attachments.length > 0) message.attachments = attachments;
  }
  return message;
}

/** An SMTP error reply as a node failure: 4xx replies are temporary, so they may be retried. */
function replyFailure(error: SmtpReplyError): NodeFailure {
  const code = error.responseCode;
  return new NodeFailure(
    error.kind === 'auth' ? 'smtp_auth' : 'smtp_rejected',
    error.message,
    undefined,
    {
      retryable: code !== undefined && code >= 400 && code < 500,
    },
  );
}

export const emailSendNode = defineNodeType({
  type: 'email.send',
  label: 'Send email',
  category: 'action',
  version: 1,
  icon: 'mail',
  description: 'Sends an email through an SMTP server (smtp credential).',
  isTrigger: false,
  outputs: ['main'],
  params,
  async execute(ctx, config) {
    const smtp = smtpOf(await ctx.credential());
    const message = await buildMessage(ctx, config, smtp.from);
    const receipt = await withSecretsHidden([smtp.server.password], async () => {
      try {
        return await ctx.mail.send(message, smtp.server);
      } catch (error) {
        throw error instanceof SmtpReplyError ? replyFailure(error) : error;
      }
    });
    return {
      port: 'main',
      output: {
        messageId: receipt.messageId,
        accepted: [...receipt.accepted],
        rejected: [...receipt.rejected],
      },
    };
  },
});
