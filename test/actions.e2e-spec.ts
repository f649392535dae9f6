import { createCredentials, smtpCredential } from './support/credentials';
import { eachDatabase, type TestDatabase } from './support/databases';
import { startSink, type Sink } from './support/sink';
import { startSmtpServer, type TestSmtpServer } from './support/smtp-server';
import { startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

const SLACK_TOKEN = 'xoxb-e2e-0000-slack-bot-secret';
const SMTP_PASSWORD = 'e2e-smtp-pa55word-secret';

interface Step {
  nodeId: string;
  status: string;
  port: string | null;
  output: unknown;
  error: { code: string; message: string } | null;
}
interface ExecutionView {
  id: string;
  status: string;
  error: { code: string; message: string; nodeId?: string } | null;
  steps: Step[];
}
interface FlowView {
  id: string;
  triggers: Array<{ path: string }>;
}

/** A Stripe-like `payment_intent.succeeded` with where to tell about it. */
function payment(amount: number, channel = '#sales') {
  return {
    id: `evt_${amount}_${channel.slice(1)}`,
    type: 'payment_intent.succeeded',
    data: {
      object: {
        id: 'pi_1',
        amount,
        currency: 'usd',
        customer: 'cus_42',
        receipt_email: 'ada@example.test',
        metadata: { slack_channel: channel },
      },
    },
  };
}

const mapNode = {
  id: 'map',
  type: 'transform',
  params: {
    expression:
      "{ 'customer': data.object.customer, 'cents': data.object.amount, " +
      "'email': data.object.receipt_email, 'channel': data.object.metadata.slack_channel }",
  },
};
const mailNode = {
  id: 'mail',
  type: 'email.send',
  credential: 'smtp-main',
  params: {
    to: '{{email}}',
    subject: 'Receipt for {{customer}}',
    text: 'We received {{cents}} cents. Thank you!',
    html: '<p>We received <b>{{cents}}</b> cents.</p>',
  },
};

function paymentsFlow() {
  return {
    format: 'hookflow.flow/v1',
    name: 'Big payments -> Slack and a receipt',
    nodes: [
      { id: 'hook', type: 'trigger.webhook', params: {} },
      mapNode,
      { id: 'big', type: 'filter', params: { condition: 'cents > 10000' } },
      {
        id: 'notify',
        type: 'slack.message',
        credential: 'slack-sales',
        params: {
          channel: '{{channel}}',
          text: 'Payment of {{cents}} from {{customer}}',
        },
      },
      mailNode,
    ],
    edges: [
      { from: 'hook', to: 'map' },
      { from: 'map', to: 'big' },
      { from: 'big', port: 'true', to: 'notify' },
      { from: 'big', port: 'true', to: 'mail' },
    ],
  };
}

async function setUp(
  app: TestApp,
  smtp: TestSmtpServer,
  flow: unknown,
  slackApi = 'https://slack.com/api',
): Promise<FlowView> {
  const credentials = [
    { name: 'slack-sales', type: 'slack-bot', data: { token: SLACK_TOKEN, apiBaseUrl: slackApi } },
    smtpCredential('smtp-main', smtp, {
      login: { username: 'mailer', password: SMTP_PASSWORD },
      from: 'Shop <shop@example.test>',
    }),
  ];
  await createCredentials(app, credentials);
  const created = await app.api<FlowView>('POST', '/api/flows/import', { body: flow });
  expect(created.status).toBe(201);
  return created.body;
}

async function trigger(app: TestApp, flow: FlowView, event: unknown): Promise<ExecutionView> {
  const answer = await app.post(flow.triggers[0].path, JSON.stringify(event));
  expect(answer.status).toBe(202);
  const { executionId } = answer.body as { executionId: string };
  return waitFor(`execution ${executionId} to finish`, async () => {
    const view = await app.api<ExecutionView>('GET', `/api/executions/${executionId}`);
    return ['succeeded', 'failed'].includes(view.body.status) ? view.body : undefined;
  });
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
    slack.reply((request) => {
      const { channel } = JSON.parse(request.body) as { channel: string };
      return channel === '#sales'
        ? { status: 200, body: { ok: true, channel: 'C0SALES', ts: '1714564800.000100' } }
        : { status: 200, body: { ok: false, error: 'channel_not_found' } };
    });
    smtp = await startSmtpServer({ mailer: SMTP_PASSWORD });
    hookflow = await startTestApp(database.env);
    flow = await setUp(hookflow, smtp, paymentsFlow(), `${slack.url}/api`);
  });
  afterAll(async () => {
    await hookflow?.close();
    await slack?.close();
    await smtp?.close();
    await database?.drop();
  });

  it('posts to Slack and emails a receipt, recording both nodes', async () => {
    slack.received.length = 0;
    smtp.received.length = 0;
    const execution = await trigger(hookflow, flow, payment(25_000));
    expect(execution.status).toBe('succeeded');
    expect(execution.steps.map((step) => [step.nodeId, step.status])).toEqual([
      ['hook', 'succeeded'],
      ['map', 'succeeded'],
      ['big', 'succeeded'],
      ['notify', 'succeeded'],
      ['mail', 'succeeded'],
    ]);

    expect(slack.received).toHaveLength(1);
    const [post] = slack.received;
    expect(post).toMatchObject({ method: 'POST', url: '/api/chat.postMessage' });
    expect(post.headers.authorization).toBe(`Bearer ${SLACK_TOKEN}`);
    expect(post.headers['idempotency-key']).toBe(`${execution.id}:notify`);
    expect(JSON.parse(post.body)).toEqual({
      channel: '#sales',
      text: 'Payment of 25000 from cus_42',
    });
    expect(execution.steps[3].output).toEqual({
      ok: true,
      channel: 'C0SALES',
      ts: '1714564800.000100',
    });

    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail).toMatchObject({ from: 'shop@example.test', to: ['ada@example.test'] });
    expect(mail.user).toBe('mailer');
    expect(mail.headers).toMatchObject({
      subject: 'Receipt for cus_42',
      to: 'ada@example.test',
      from: 'Shop <shop@example.test>',
    });
    expect(mail.raw).toContain('We received 25000 cents. Thank you!');
    expect(mail.raw).toContain('<b>25000</b>');
    const receipt = execution.steps[4].output as { messageId: string };
    expect(execution.steps[4].output).toEqual({
      messageId: mail.headers['message-id'],
      accepted: ['ada@example.test'],
      rejected: [],
    });
    expect(receipt.messageId).toMatch(/@example\.test>$/);
  });

  it('sends nothing when the filter says no', async () => {
    slack.received.length = 0;
    smtp.received.length = 0;
    const execution = await trigger(hookflow, flow, payment(500));
    expect(execution.status).toBe('succeeded');
    expect(execution.steps.map((step) => step.nodeId)).toEqual(['hook', 'map', 'big']);
    expect(slack.received).toHaveLength(0);
    expect(smtp.received).toHaveLength(0);
  });

  it('fails the run at the Slack node when Slack answers channel_not_found', async () => {
    const execution = await trigger(hookflow, flow, payment(30_000, '#nowhere'));
    expect(execution.status).toBe('failed');
    expect(execution.error).toMatchObject({
      code: 'slack_error',
      message: 'Slack answered channel_not_found',
      nodeId: 'notify',
    });
    expect(execution.steps.at(-1)).toMatchObject({ nodeId: 'notify', status: 'failed' });
  });

  it('keeps the credential secrets out of every execution record', async () => {
    const list = await hookflow.api<{ items: Array<{ id: string }> }>(
      'GET',
      `/api/executions?flowId=${flow.id}&limit=100`,
    );
    expect(list.body.items.length).toBeGreaterThanOrEqual(3);
    const records = [JSON.stringify(list.body)];
    for (const item of list.body.items) {
      records.push(JSON.stringify((await hookflow.api('GET', `/api/executions/${item.id}`)).body));
    }
    for (const record of records) {
      expect(record).not.toContain(SLACK_TOKEN);
      expect(record).not.toContain(SMTP_PASSWORD);
    }
  });

  describe('with no outbound allowlist', () => {
    let strictDatabase: TestDatabase;
    let strict: TestApp;
    let strictFlow: FlowView;

    beforeAll(async () => {
      strictDatabase = await target.create();
      strict = await startTestApp({ ...strictDatabase.env, HOOKFLOW_OUTBOUND_ALLOW: '' });
      strictFlow = await setUp(strict, smtp, {
        format: 'hookflow.flow/v1',
        name: 'Receipt only',
        nodes: [{ id: 'hook', type: 'trigger.webhook', params: {} }, mapNode, mailNode],
        edges: [
          { from: 'hook', to: 'map' },
          { from: 'map', to: 'mail' },
        ],
      });
    });
    afterAll(async () => {
      await strict?.close();
      await strictDatabase?.drop();
    });

    it('fails the email node with a blocked address before connecting to the SMTP server', async () => {
      const connections = smtp.connections;
      const execution = await trigger(strict, strictFlow, payment(25_000));
      expect(execution.status).toBe('failed');
      expect(execution.error).toMatchObject({ code: 'blocked', nodeId: 'mail' });
      expect(execution.error?.message).toMatch(/127\.0\.0\.1 is a private, loopback/);
      expect(smtp.connections).toBe(connections);
    });
  });
});
