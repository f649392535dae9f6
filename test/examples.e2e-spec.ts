import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createCredentials, smtpCredential } from './support/credentials';
import { eachDatabase, type TestDatabase } from './support/databases';
import { startSink, type Sink } from './support/sink';
import { startSmtpServer, type TestSmtpServer } from './support/smtp-server';
import { startTestApp, type HttpAnswer, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

/**
 * Every flow in examples/ runs here as a user would run it: imported as the file is, the
 * credentials it names created, its sample payload posted with the sender's real signature.
 * The flows call http://127.0.0.1:4000 (examples/receiver.mjs); the test points that at a sink.
 */
const EXAMPLES = path.join(__dirname, '..', 'examples');
const RECEIVER = 'http://127.0.0.1:4000';

const SECRETS = {
  stripe: 'whsec_example_0123456789abcdef',
  github: 'github-example-secret',
  shopify: 'shopify-example-secret',
  slack: '8f742231b10e8888abcd99yyyzzz85a5',
};

interface Step {
  nodeId: string;
  status: string;
  port: string | null;
  output: unknown;
}
interface ExecutionView {
  id: string;
  status: string;
  steps: Step[];
}
interface FlowView {
  id: string;
  triggers: Array<{ path: string }>;
}

function example(name: string, sink: Sink): unknown {
  const text = readFileSync(path.join(EXAMPLES, `${name}.json`), 'utf8');
  return JSON.parse(text.split(RECEIVER).join(sink.url));
}

function payload(file: string): string {
  return readFileSync(path.join(EXAMPLES, 'payloads', file), 'utf8');
}

/** Quoted-printable text (a body with a `€`) as the reader sees it. */
function decodeQuotedPrintable(text: string): string {
  const bytes = text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/gi, (_hex, byte: string) => String.fromCharCode(parseInt(byte, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** An RFC 2047 encoded-word header (`=?UTF-8?Q?...?=`) as mail clients show it. */
function decodeHeader(value: string): string {
  return value.replace(/=\?UTF-8\?Q\?([^?]*)\?=/gi, (_match, text: string) =>
    decodeQuotedPrintable(text.replace(/_/g, ' ')),
  );
}

const hmac = (secret: string, data: string, encoding: 'hex' | 'base64') =>
  createHmac('sha256', secret).update(data).digest(encoding);

async function finished(app: TestApp, answer: HttpAnswer): Promise<ExecutionView> {
  expect(answer.status).toBe(202);
  const { executionId } = answer.body as { executionId: string };
  return waitFor(`execution ${executionId} to finish`, async () => {
    const view = await app.api<ExecutionView>('GET', `/api/executions/${executionId}`);
    return ['succeeded', 'failed'].includes(view.body.status) ? view.body : undefined;
  });
}

const stepsOf = (execution: ExecutionView) =>
  execution.steps.map((step) => `${step.nodeId}:${step.status}`);

eachDatabase((target) => {
  let database: TestDatabase;
  let app: TestApp;
  let sink: Sink;
  let slack: Sink;
  let smtp: TestSmtpServer;

  async function importExample(name: string): Promise<FlowView> {
    const created = await app.api<FlowView>('POST', '/api/flows/import', {
      body: example(name, sink),
    });
    expect(created.status).toBe(201);
    return created.body;
  }

  beforeAll(async () => {
    database = await target.create();
    [sink, slack, smtp] = await Promise.all([startSink(), startSink(), startSmtpServer()]);
    app = await startTestApp(database.env);
    const credentials = [
      { name: 'stripe-signing', type: 'hmac-secret', data: { secrets: [SECRETS.stripe] } },
      { name: 'github-webhook-secret', type: 'hmac-secret', data: { secrets: [SECRETS.github] } },
      {
        name: 'shopify-webhook-secret',
        type: 'hmac-secret',
        data: { secrets: [SECRETS.shopify] },
      },
      { name: 'slack-signing-secret', type: 'hmac-secret', data: { secrets: [SECRETS.slack] } },
      // Bot tokens: Slack's API base URL lives in the credential, so a stand-in can take it.
      ...['slack-payments', 'slack-engineering'].map((name) => ({
        name,
        type: 'slack-bot',
        data: { token: `xoxb-${name}`, apiBaseUrl: `${slack.url}/api` },
      })),
      smtpCredential('smtp', smtp, { from: 'shop@example.test' }),
    ];
    await createCredentials(app, credentials);
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all([sink?.close(), slack?.close(), smtp?.close()]);
    await database?.drop();
  });
  beforeEach(() => {
    sink.received.length = 0;
    slack.received.length = 0;
    smtp.received.length = 0;
    sink.reply(() => ({ status: 200, body: { ok: true } }));
    slack.reply(() => ({
      status: 200,
      body: { ok: true, channel: 'C0001', ts: '1732356000.0001' },
    }));
  });

  it('Stripe payment -> Slack + email receipt', async () => {
    const flow = await importExample('stripe-payment-slack-receipt');
    const body = payload('stripe-payment-slack-receipt.json');
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = hmac(SECRETS.stripe, `${timestamp}.${body}`, 'hex');
    const answer = await app.post(flow.triggers[0].path, body, {
      'content-type': 'application/json',
      'stripe-signature': `t=${timestamp},v1=${signature}`,
    });
    const execution = await finished(app, answer);
    expect(execution.status).toBe('succeeded');
    // 124950 cents in EUR through the `currency` template helper.
    expect(slack.received.map((request) => [request.url, JSON.parse(request.body)])).toEqual([
      [
        '/api/chat.postMessage',
        {
          channel: '#payments',
          text: ':moneybag: €1,249.50 from cus_R4mKq8ZpWx1yTe (pi_3QbXk2LkdIwHu7ix1f2Gh4jK)',
        },
      ],
    ]);
    expect(slack.received[0].headers.authorization).toBe('Bearer xoxb-slack-payments');
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0].to).toEqual(['ada@example.test']);
    expect(decodeHeader(smtp.received[0].headers.subject)).toBe('Your receipt: €1,249.50');
    const text = decodeQuotedPrintable(smtp.received[0].raw);
    expect(text).toContain('Thank you! We received €1,249.50.');
    expect(text).toContain('Payment reference: pi_3QbXk2LkdIwHu7ix1f2Gh4jK');

    // Unsigned: refused before anything runs.
    const forged = await app.post(flow.triggers[0].path, body, {
      'content-type': 'application/json',
    });
    expect(forged.status).toBe(401);
  });

  it('GitHub push -> Slack commit list', async () => {
    const flow = await importExample('github-push-slack-commits');
    const body = payload('github-push-slack-commits.json');
    const headers = {
      'content-type': 'application/json',
      'x-hub-signature-256': `sha256=${hmac(SECRETS.github, body, 'hex')}`,
    };
    const execution = await finished(
      app,
      await app.post(flow.triggers[0].path, body, { ...headers, 'x-github-event': 'push' }),
    );
    expect(execution.status).toBe('succeeded');
    expect(slack.received).toHaveLength(1);
    expect(slack.received[0].headers.authorization).toBe('Bearer xoxb-slack-engineering');
    expect(JSON.parse(slack.received[0].body)).toEqual({
      channel: '#engineering',
      text:
        'octocat pushed 2 commit(s) to octo-org/shop:\n' +
        '• `b3f1c2d` Fix rounding of order totals (Ada Lovelace)\n' +
        '• `0d1a26e` Add VAT to invoices (Grace Hopper)\n' +
        'https://github.com/octo-org/shop/compare/9049f1265b7d...0d1a26e67d8f',
    });

    // A ping (or any other event) stops at the filter.
    const ping = await finished(
      app,
      await app.post(flow.triggers[0].path, body, { ...headers, 'x-github-event': 'ping' }),
    );
    expect(stepsOf(ping)).toEqual(['github:succeeded', 'main-branch:succeeded']);
    expect(ping.steps[1].port).toBe('false');
    expect(slack.received).toHaveLength(1);
  });

  it('Shopify order -> split line items -> inventory API per item', async () => {
    const flow = await importExample('shopify-order-inventory');
    sink.reply((request) => {
      const sku = decodeURIComponent(request.url.split('/')[2]);
      const { quantity } = JSON.parse(request.body) as { quantity: number };
      return { status: 201, body: { sku, quantity, reservation: `r-${sku}` } };
    });
    const body = payload('shopify-order-inventory.json');
    const execution = await finished(
      app,
      await app.post(flow.triggers[0].path, body, {
        'content-type': 'application/json',
        'x-shopify-hmac-sha256': hmac(SECRETS.shopify, body, 'base64'),
        'x-shopify-topic': 'orders/create',
      }),
    );
    expect(execution.status).toBe('succeeded');
    expect(
      sink.received.map((request) => [request.method, request.url, JSON.parse(request.body)]),
    ).toEqual(
      expect.arrayContaining([
        ['POST', '/inventory/IPOD-342-N/reservations', { order: '#1042', quantity: 1 }],
        ['POST', '/inventory/CASE-9/reservations', { order: '#1042', quantity: 2 }],
        ['POST', '/inventory/CABLE-1/reservations', { order: '#1042', quantity: 1 }],
      ]),
    );
    expect(sink.received).toHaveLength(3);
    const summary = execution.steps.filter((step) => step.nodeId === 'summary');
    expect(summary).toHaveLength(1);
    expect(summary[0].output).toEqual({
      order: '#1042',
      reserved: ['IPOD-342-N', 'CASE-9', 'CABLE-1'],
      units: 4,
    });
  });

  it('form-encoded lead -> switch on country -> CRM or email', async () => {
    const flow = await importExample('lead-form-country-routing');
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const germany = await finished(
      app,
      await app.post(flow.triggers[0].path, payload('lead-form-country-routing.txt'), form),
    );
    expect(germany.status).toBe('succeeded');
    expect(sink.received.map((request) => [request.url, JSON.parse(request.body)])).toEqual([
      [
        '/crm/eu/leads',
        {
          name: 'Grace Hopper',
          email: 'grace@example.test',
          company: 'Cobol GmbH',
          country: 'DE',
          source: 'website',
        },
      ],
    ]);

    const us = await finished(
      app,
      await app.post(
        flow.triggers[0].path,
        'name=Ada&email=ada@example.test&company=Acme&country=us',
        form,
      ),
    );
    expect(stepsOf(us)).toContain('crm-us:succeeded');
    expect(sink.received.map((request) => request.url)).toEqual(['/crm/eu/leads', '/crm/us/leads']);

    const brazil = await finished(
      app,
      await app.post(
        flow.triggers[0].path,
        'name=Alan&email=alan@example.test&company=Enigma+Ltda&country=BR&message=Hello+there',
        form,
      ),
    );
    expect(stepsOf(brazil)).toEqual([
      'form:succeeded',
      'lead:succeeded',
      'region:succeeded',
      'intl-sales:succeeded',
    ]);
    expect(sink.received).toHaveLength(2);
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0].to).toEqual(['intl-sales@example.test']);
    expect(smtp.received[0].headers).toMatchObject({
      subject: 'New lead from BR: Enigma Ltda',
      'reply-to': 'alan@example.test',
    });
    expect(smtp.received[0].raw).toContain('Hello there');
  });

  it('Slack slash command -> when-finished reply in the same request', async () => {
    const flow = await importExample('slack-slash-command-reply');
    sink.reply((request) =>
      request.url === '/inventory/CASE-9'
        ? { status: 200, body: { sku: 'CASE-9', available: 37 } }
        : { status: 404, body: { error: 'unknown sku' } },
    );
    const signed = (body: string) => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      return {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': timestamp,
        'x-slack-signature': `v0=${hmac(SECRETS.slack, `v0:${timestamp}:${body}`, 'hex')}`,
      };
    };
    const body = payload('slack-slash-command-reply.txt');
    const answer = await app.post(flow.triggers[0].path, body, signed(body));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ response_type: 'ephemeral', text: '*CASE-9*: 37 in stock' });

    const unknown = body.replace('text=CASE-9', 'text=NOPE-1');
    const missing = await app.post(flow.triggers[0].path, unknown, signed(unknown));
    expect(missing.status).toBe(200);
    expect(missing.body).toEqual({
      response_type: 'ephemeral',
      text: 'No product with SKU NOPE-1',
    });
  });
});
