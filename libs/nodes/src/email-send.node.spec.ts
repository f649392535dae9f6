import {
  OutboundError,
  SmtpReplyError,
  type MailMessage,
  type MailReceipt,
  type OutboundMail,
  type SmtpServerConfig,
} from '@hookflow/engine';
import { recorded, runAction } from './testing/run-action';

const PASSWORD = 'smtp-pa55word-secret';
const smtp = {
  type: 'smtp',
  data: {
    host: 'mail.example.test',
    port: 587,
    secure: false,
    username: 'mailer',
    password: PASSWORD,
    from: 'Shop <shop@example.test>',
  },
};

/** Records what it is asked to send; answers with `answer` (a receipt by default). */
class FakeMail implements OutboundMail {
  readonly sent: Array<{ message: MailMessage; server: SmtpServerConfig }> = [];

  constructor(
    private readonly answer: (message: MailMessage) => MailReceipt = (message) => ({
      messageId: message.messageId ?? '<generated@test>',
      accepted: [message.to],
      rejected: [],
    }),
  ) {}

  async send(message: MailMessage, server: SmtpServerConfig): Promise<MailReceipt> {
    this.sent.push({ message, server });
    return this.answer(message);
  }
}

const basic = { to: '{{email}}', subject: 'Payment from {{name}}', text: 'Thanks for {{cents}}' };

function send(
  params: Record<string, unknown>,
  mail: OutboundMail = new FakeMail(),
  retry?: number,
) {
  return runAction({
    type: 'email.send',
    params,
    credential: smtp,
    mail,
    ...(retry ? { retry: { maxAttempts: retry } } : {}),
  });
}

describe('email.send', () => {
  it('renders every field and sends through the credential’s server', async () => {
    const mail = new FakeMail();
    const run = await send(
      {
        ...basic,
        cc: 'sales@example.test',
        bcc: 'audit+{{customer}}@example.test',
        replyTo: 'help@example.test',
        html: '<p>Thanks, {{name}}</p>',
      },
      mail,
    );
    expect(mail.sent).toHaveLength(1);
    expect(mail.sent[0].server).toEqual({
      host: 'mail.example.test',
      port: 587,
      secure: false,
      username: 'mailer',
      password: PASSWORD,
    });
    expect(mail.sent[0].message).toEqual({
      from: 'Shop <shop@example.test>',
      to: 'ada@example.test',
      cc: 'sales@example.test',
      bcc: 'audit+cus_42@example.test',
      replyTo: 'help@example.test',
      subject: 'Payment from Ada',
      text: 'Thanks for 25000',
      html: '<p>Thanks, Ada</p>',
      messageId: '<exec-7=3anotify@example.test>',
    });
    expect(run.step).toMatchObject({
      status: 'succeeded',
      port: 'main',
      output: {
        messageId: '<exec-7=3anotify@example.test>',
        accepted: ['ada@example.test'],
        rejected: [],
      },
    });
    expect(recorded(run)).not.toContain(PASSWORD);
  });

  it('HTML-escapes values in html (not in text or subject); {{{ }}} inserts them as they are', async () => {
    const mail = new FakeMail();
    const name = '<img src=x onerror=alert(1)> & "Ada"';
    const run = await runAction({
      type: 'email.send',
      params: {
        to: '{{email}}',
        subject: 'Order from {{name}}',
        text: 'Hi {{name}}',
        html: '<p class="hi">Hi {{name}}</p>{{{signature}}}',
      },
      credential: smtp,
      mail,
      body: { email: 'ada@example.test', name, signature: '<hr><i>Shop</i>' },
    });
    expect(run.step.status).toBe('succeeded');
    expect(mail.sent[0].message).toMatchObject({
      subject: `Order from ${name}`,
      text: `Hi ${name}`,
      html:
        '<p class="hi">Hi &lt;img src&#x3D;x onerror&#x3D;alert(1)&gt; &amp; &quot;Ada&quot;</p>' +
        '<hr><i>Shop</i>',
    });
  });

  it('takes `from` from the params over the credential', async () => {
    const mail = new FakeMail();
    await send({ ...basic, from: 'Billing <billing@shop.test>' }, mail);
    expect(mail.sent[0].message.from).toBe('Billing <billing@shop.test>');
    expect(mail.sent[0].message.messageId).toBe('<exec-7=3anotify@shop.test>');
  });

  it('keeps rendered header fields on one line', async () => {
    const mail = new FakeMail();
    await send({ ...basic, subject: 'Hi\r\nBcc: victim@example.test' }, mail);
    expect(mail.sent[0].message.subject).toBe('Hi Bcc: victim@example.test');
  });

  it('sends attachments from JSONata, a lone object as one attachment', async () => {
    const mail = new FakeMail();
    await send(
      {
        ...basic,
        attachmentsFrom:
          "{ 'filename': customer & '.csv', 'content': 'cents\\n' & cents, 'contentType': 'text/csv' }",
      },
      mail,
    );
    expect(mail.sent[0].message.attachments).toEqual([
      { filename: 'cus_42.csv', content: 'cents\n25000', contentType: 'text/csv' },
    ]);
  });

  it.each([
    ['"just text"', 'not an object'],
    ["[{ 'filename': 'a.txt' }]", 'no content'],
    ["[{ 'filename': 'a.txt', 'content': 1 }]", 'content not a string'],
  ])('fails with invalid_attachments for %s (%s)', async (attachmentsFrom) => {
    const mail = new FakeMail();
    const run = await send({ ...basic, attachmentsFrom }, mail);
    expect(run.step).toMatchObject({ status: 'failed', error: { code: 'invalid_attachments' } });
    expect(mail.sent).toHaveLength(0);
  });

  it.each([
    [{ to: '{{nobody}}', subject: 's', text: 't' }, 'invalid_recipient', '`to` rendered empty'],
    [{ to: 'a@x.test', subject: 's' }, 'invalid_params', 'set `text`, `html` or both'],
  ])('refuses to send %j', async (params, code, message) => {
    const mail = new FakeMail();
    const run = await send(params, mail);
    expect(run.step).toMatchObject({ status: 'failed', error: { code, message } });
    expect(mail.sent).toHaveLength(0);
  });

  it('needs a sender from the params or the credential', async () => {
    const run = await runAction({
      type: 'email.send',
      params: basic,
      credential: { type: 'smtp', data: { host: 'mail.test', port: 25, secure: false } },
      mail: new FakeMail(),
    });
    expect(run.step).toMatchObject({ status: 'failed', error: { code: 'invalid_params' } });
  });

  it('refuses a credential of another type', async () => {
    const run = await runAction({
      type: 'email.send',
      params: basic,
      credential: { type: 'slack-bot', data: { token: 'xoxb-1' } },
      mail: new FakeMail(),
    });
    expect(run.step).toMatchObject({
      status: 'failed',
      error: {
        code: 'credential_type',
        message: 'email.send needs an smtp credential, not slack-bot',
      },
    });
  });

  it('retries a 4xx SMTP reply (temporary)', async () => {
    const mail = new FakeMail(() => {
      throw new SmtpReplyError('rejected', 'SMTP server refused: 451 try later', 451);
    });
    const run = await send(basic, mail, 3);
    expect(run.step).toMatchObject({
      status: 'retrying',
      error: { code: 'smtp_rejected', message: 'SMTP server refused: 451 try later' },
    });
  });

  it('fails a 5xx SMTP reply (permanent) without retrying', async () => {
    const mail = new FakeMail(() => {
      throw new SmtpReplyError('rejected', 'SMTP server refused: 550 no such user', 550);
    });
    const run = await send(basic, mail, 3);
    expect(run.steps).toHaveLength(1);
    expect(run.step).toMatchObject({ status: 'failed', error: { code: 'smtp_rejected' } });
  });

  it('fails a refused login with smtp_auth, never quoting the password', async () => {
    const mail = new FakeMail(() => {
      throw new SmtpReplyError('auth', `535 bad login mailer/${PASSWORD}`, 535);
    });
    const run = await send(basic, mail, 3);
    expect(run.step).toMatchObject({
      status: 'failed',
      error: { code: 'smtp_auth', message: '535 bad login mailer/[redacted]' },
    });
    expect(recorded(run)).not.toContain(PASSWORD);
  });

  it('fails with blocked, without retrying, when the guard refuses the SMTP host', async () => {
    const mail = new FakeMail(() => {
      throw new OutboundError('blocked', 'SMTP host 10.0.0.5 is a private address');
    });
    const run = await send(basic, mail, 3);
    expect(run.steps).toHaveLength(1);
    expect(run.step).toMatchObject({ status: 'failed', error: { code: 'blocked' } });
  });

  it('fails with mail_unavailable when the runner has no mail service', async () => {
    const run = await runAction({ type: 'email.send', params: basic, credential: smtp });
    expect(run.step).toMatchObject({ status: 'failed', error: { code: 'mail_unavailable' } });
  });
});
