import { createCredentials, smtpCredential } from './support/credentials';
import { eachDatabase, type TestDatabase } from './support/databases';
import { startSink, type Sink } from './support/sink';
import { startSmtpServer, type TestSmtpServer } from './support/smtp-server';
import { startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

/*
 * Webhook data must not turn into markup where the text goes: an email's HTML body escapes it
 * as HTML, a Slack message escapes Slack's control characters (no `<!channel>` ping from a
 * payload). The author's own markup and mentions, and `{{{raw}}}`, stay as they are.
 */

const SMTP_PASSWORD = 'e2e-escaping-smtp-secret';
const NAME = '<b>Ada</b> & <!channel>';

interface ExecutionView {
  id: string;
  status: string;
  steps: Array<{ nodeId: string; status: string }>;
}
interface FlowView {
  triggers: Array<{ path: string }>;
}

/** The decoded body of a message's `Content-Type: <type>` part (7bit or quoted-printable). */
function mimePart(raw: string, type: string): string {
  const start = raw.indexOf(`Content-Type: ${type}`);
  expect(start).toBeGreaterThan(-1);
  const headersEnd = raw.indexOf('\r\n\r\n', start);
  const head = raw.slice(start, headersEnd);
  const body = raw.slice(headersEnd + 4, raw.indexOf('\r\n--', headersEnd));
  if (!/Content-Transfer-Encoding: quoted-printable/i.test(head)) return body;
  const bytes = body
    .replace(/=\r\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

function orderFlow() {
  return {
    format: 'hookflow.flow/v1',
    name: 'Order -> Slack and a confirmation',
    nodes: [
      { id: 'hook', type: 'trigger.webhook', params: {} },
      {
        id: 'notify',
        type: 'slack.message',
        credential: 'slack-orders',
        params: {
          channel: '#orders',
          text: '<!here> New order from {{name}} (<https://shop.test/o?id=7&v=2|open>) {{{note}}}',
        },
      },
      {
        id: 'mail',
        type: 'email.send',
        credential: 'smtp-main',
        params: {
          to: '{{email}}',
          subject: 'Order from {{name}}',
          text: 'Thanks, {{name}}!',
          html: '<p class="hi">Thanks, {{name}}!</p>{{{signature}}}',
        },
      },
    ],
    edges: [
      { from: 'hook', to: 'notify' },
      { from: 'hook', to: 'mail' },
    ],
  };
}

eachDatabase((target) => {
  let database: TestDatabase;
  let hookflow: TestApp;
  let slack: Sink;
  let smtp: TestSmtpServer;
  let flow: FlowView;

  beforeAll(async () => {
    database = await target.create();
    slack = await startSink();
    slack.reply(() => ({ status: 200, body: { ok: true, channel: 'C0ORDERS', ts: '1.0001' } }));
    smtp = await startSmtpServer({ mailer: SMTP_PASSWORD });
    hookflow = await startTestApp(database.env);
    const credentials = [
      {
        name: 'slack-orders',
        type: 'slack-bot',
        data: { token: 'xoxb-e2e-escaping', apiBaseUrl: `${slack.url}/api` },
      },
      smtpCredential('smtp-main', smtp, {
        login: { username: 'mailer', password: SMTP_PASSWORD },
        from: 'Shop <shop@example.test>',
      }),
    ];
    await createCredentials(hookflow, credentials);
    const created = await hookflow.api<FlowView>('POST', '/api/flows/import', {
      body: orderFlow(),
    });
    expect(created.status).toBe(201);
    flow = created.body;
  });
  afterAll(async () => {
    await hookflow?.close();
    await slack?.close();
    await smtp?.close();
    await database?.drop();
  });

  it('escapes payload values in the email HTML and the Slack text, not the author’s markup', async () => {
    const payload = {
      name: NAME,
      email: 'ada@example.test',
      note: '<@U042>',
      signature: '<hr><i>The shop</i>',
    };
    const answer = await hookflow.post(flow.triggers[0].path, JSON.stringify(payload));
    expect(answer.status).toBe(202);
    const { executionId } = answer.body as { executionId: string };
    const execution = await waitFor(`execution ${executionId} to finish`, async () => {
      const view = await hookflow.api<ExecutionView>('GET', `/api/executions/${executionId}`);
      return ['succeeded', 'failed'].includes(view.body.status) ? view.body : undefined;
    });
    expect(execution.status).toBe('succeeded');

    expect(slack.received).toHaveLength(1);
    expect(JSON.parse(slack.received[0].body)).toEqual({
      channel: '#orders',
      text:
        '<!here> New order from &lt;b&gt;Ada&lt;/b&gt; &amp; &lt;!channel&gt; ' +
        '(<https://shop.test/o?id=7&v=2|open>) <@U042>',
    });

    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail.headers.subject).toBe(`Order from ${NAME}`);
    expect(mimePart(mail.raw, 'text/plain')).toBe(`Thanks, ${NAME}!`);
    expect(mimePart(mail.raw, 'text/html')).toBe(
      '<p class="hi">Thanks, &lt;b&gt;Ada&lt;/b&gt; &amp; &lt;!channel&gt;!</p><hr><i>The shop</i>',
    );
  });
});
