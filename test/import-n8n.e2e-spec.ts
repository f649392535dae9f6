import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eachDatabase, type TestDatabase } from './support/databases';
import { realExports } from './support/real-exports';
import { startSink, type Sink } from './support/sink';
import { startSmtpServer, type TestSmtpServer } from './support/smtp-server';
import { startTestApp, type HttpAnswer, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

/*
 * Imports real-shaped n8n exports (test/fixtures/n8n) through POST /api/flows/import/n8n, checks
 * the report node by node, then runs the converted flows against loopback stand-ins and checks
 * that each receiver gets exactly what n8n would have sent. The expected values are derived by
 * hand from n8n's documented semantics, in the comments next to each assertion.
 */

interface NodeReport {
  sourceId: string;
  sourceName: string;
  sourceType: string;
  outcome: string;
  nodeIds: string[];
  notes: string[];
}
interface ImportView {
  flow: {
    id: string;
    enabled: boolean;
    triggers: Array<{ path: string }>;
    document: { nodes: Array<{ id: string; type: string }> };
  };
  report: {
    source: string;
    nodes: NodeReport[];
    warnings: string[];
    summary: Record<string, number>;
  };
}
interface ErrorView {
  error: { code: string; message: string; details: Array<{ path: string; message: string }> };
}
interface ExecutionView {
  id: string;
  status: string;
  steps: Array<{ nodeId: string; status: string }>;
}

const FULFILMENT_KEY = 'fulfilment-secret-key';
const CRM_TOKEN = 'crm-bearer-token';
const SLACK_TOKEN = 'xoxb-n8n-import-test';

function fixture(name: string, replacements: Record<string, string>): unknown {
  let text = readFileSync(join(__dirname, 'fixtures', 'n8n', name), 'utf8');
  for (const [from, to] of Object.entries(replacements)) text = text.split(from).join(to);
  return JSON.parse(text) as unknown;
}

/** [name, outcome, nodeIds] per source node, in export order. */
const outline = (view: ImportView) =>
  view.report.nodes.map((node) => [node.sourceName, node.outcome, node.nodeIds]);

/** The credentials the report asks for, by name (`name (type)` in its warning). */
function neededCredentials(view: ImportView): string[] {
  const warning = view.report.warnings.find((text) => text.startsWith('create these credentials'));
  return [...(warning ?? '').matchAll(/([A-Za-z0-9._-]+) \(/g)].map((match) => match[1]);
}

eachDatabase((target) => {
  let database: TestDatabase;
  let hookflow: TestApp;
  let api: Sink;
  let slack: Sink;
  let smtp: TestSmtpServer;
  let credentialData: Record<string, { type: string; data: Record<string, unknown> }>;

  beforeAll(async () => {
    database = await target.create();
    api = await startSink();
    slack = await startSink();
    slack.reply(() => ({ status: 200, body: { ok: true, channel: 'C0TEST', ts: '1.000100' } }));
    smtp = await startSmtpServer();
    hookflow = await startTestApp(database.env);
    credentialData = {
      'Fulfilment-API-Key': {
        type: 'http-header',
        data: { name: 'X-Api-Key', value: FULFILMENT_KEY },
      },
      'Slack-Bot': {
        type: 'slack-bot',
        data: { token: SLACK_TOKEN, apiBaseUrl: `${slack.url}/api` },
      },
      'CRM-Token': { type: 'http-bearer', data: { token: CRM_TOKEN } },
      'SMTP-account': { type: 'smtp', data: { host: smtp.host, port: smtp.port, secure: false } },
    };
  });
  afterAll(async () => {
    await hookflow?.close();
    await api?.close();
    await slack?.close();
    await smtp?.close();
    await database?.drop();
  });

  async function importN8n(body: unknown): Promise<HttpAnswer<ImportView & ErrorView>> {
    return hookflow.api<ImportView & ErrorView>('POST', '/api/flows/import/n8n', { body });
  }

  /** Creates what the report names (once per suite: credentials are shared by name), enables. */
  async function prepare(view: ImportView): Promise<void> {
    for (const name of neededCredentials(view)) {
      const created = await hookflow.api('POST', '/api/credentials', {
        body: { name, ...credentialData[name] },
      });
      expect([201, 409]).toContain(created.status);
    }
    const enabled = await hookflow.api('POST', `/api/flows/${view.flow.id}/enable`);
    expect(enabled.status).toBe(200);
  }

  async function deliver(view: ImportView, payload: unknown): Promise<ExecutionView> {
    const answer = await hookflow.post(view.flow.triggers[0].path, JSON.stringify(payload));
    expect(answer.status).toBe(202);
    const { executionId } = answer.body as { executionId: string };
    return waitFor(`execution ${executionId}`, async () => {
      const found = await hookflow.api<ExecutionView>('GET', `/api/executions/${executionId}`);
      return ['succeeded', 'failed'].includes(found.body.status) ? found.body : undefined;
    });
  }

  it('imports a Stripe webhook → Set → IF → HTTP + Slack workflow and runs it as n8n would', async () => {
    const imported = await importN8n(
      fixture('stripe-payment-alerts.json', { 'https://fulfilment.example.com': api.url }),
    );
    expect(imported.status).toBe(201);
    const view = imported.body;
    expect(view.flow.enabled).toBe(false);
    expect(outline(view)).toEqual([
      ['Stripe Webhook', 'approximated', ['stripe_webhook', 'stripe_webhook_item']],
      ['Extract Payment', 'converted', ['extract_payment']],
      ['Is Large Payment?', 'converted', ['is_large_payment']],
      ['Notify Fulfilment', 'converted', ['notify_fulfilment', 'notify_fulfilment_item']],
      ['Post to Slack', 'converted', ['post_to_slack']],
      ['Small Payment', 'converted', []],
    ]);
    expect(view.report.nodes[0].notes[0]).toContain('202');
    expect(view.report.summary).toEqual({ converted: 5, approximated: 1, unsupported: 0 });
    expect(neededCredentials(view)).toEqual(['Fulfilment-API-Key', 'Slack-Bot']);
    await prepare(view);

    api.received.length = 0;
    slack.received.length = 0;
    const execution = await deliver(view, {
      id: 'evt_1',
      type: 'payment_intent.succeeded',
      data: {
        object: { id: 'pi_123', amount: 12500, currency: 'eur', receipt_email: 'ada@example.com' },
      },
    });
    expect(execution.status).toBe('succeeded');
    // n8n: the Webhook item is { headers, params, query, body }. Extract Payment (Set 3.4, other
    // fields dropped) gives { eventType: "payment_intent.succeeded", amount: 12500 / 100 = 125,
    // currency: "EUR", customerEmail: "ada@example.com", paymentId: "pi_123",
    // summary: "Payment pi_123 of 125 EUR" }. IF: equals holds and 125 >= 100 → true output, which
    // feeds both the HTTP request and Slack.
    // HTTP: the JSON body template renders to {"payment":"pi_123","amount":125,
    // "email":"ada@example.com","note":"Stripe payment_intent.succeeded"}, the X-Source header
    // and the header credential's X-Api-Key.
    expect(api.received).toHaveLength(1);
    const [order] = api.received;
    expect(order).toMatchObject({ method: 'POST', url: '/orders' });
    expect(order.headers['x-source']).toBe('n8n');
    expect(order.headers['x-api-key']).toBe(FULFILMENT_KEY);
    expect(JSON.parse(order.body)).toEqual({
      payment: 'pi_123',
      amount: 125,
      email: 'ada@example.com',
      note: 'Stripe payment_intent.succeeded',
    });
    // Slack (v2.2, link to workflow off): chat.postMessage to #payments with the text rendered.
    expect(slack.received).toHaveLength(1);
    expect(slack.received[0]).toMatchObject({ method: 'POST', url: '/api/chat.postMessage' });
    expect(slack.received[0].headers.authorization).toBe(`Bearer ${SLACK_TOKEN}`);
    expect(JSON.parse(slack.received[0].body)).toEqual({
      channel: '#payments',
      text: ':moneybag: Payment pi_123 of 125 EUR from ada@example.com',
    });

    // 4200 cents → amount 42 < 100: the IF's false output leads to the No-Op only; nothing is sent.
    const small = await deliver(view, {
      id: 'evt_2',
      type: 'payment_intent.succeeded',
      data: {
        object: { id: 'pi_456', amount: 4200, currency: 'usd', receipt_email: 'b@example.com' },
      },
    });
    expect(small.status).toBe('succeeded');
    expect(api.received).toHaveLength(1);
    expect(slack.received).toHaveLength(1);
  });

  it('imports a GitHub push → Split Out → Filter → Slack workflow (export:workflow --all form)', async () => {
    const imported = await importN8n(fixture('github-push-digest.json', {}));
    expect(imported.status).toBe(201);
    const view = imported.body;
    expect(outline(view)).toEqual([
      ['GitHub Push', 'approximated', ['github_push', 'github_push_item']],
      ['Is Main Branch?', 'converted', ['is_main_branch']],
      ['Commits', 'converted', ['commits']],
      ['Skip Chores', 'converted', ['skip_chores']],
      ['Commit to Slack', 'converted', ['commit_to_slack']],
      ['Summarize Branch', 'unsupported', ['summarize_branch']],
      ['Branch Digest', 'approximated', ['branch_digest']],
    ]);
    const code = view.report.nodes[5];
    expect(code.notes[0]).toContain('code nodes run JavaScript');
    const digest = view.report.nodes[6].notes;
    expect(digest).toContainEqual(expect.stringContaining('Automated with this n8n workflow'));
    expect(digest).toContainEqual(
      expect.stringContaining(
        "{{ $('GitHub Push').item.json.body.commits.map(c => c.message).join(', ') }} left untranslated",
      ),
    );
    expect(neededCredentials(view)).toEqual(['Slack-Bot']);
    await prepare(view);

    slack.received.length = 0;
    const commit = (id: string, message: string, name: string, username: string) => ({
      id,
      message,
      url: `https://github.com/acme/shop/commit/${id}`,
      author: { name, username },
    });
    const execution = await deliver(view, {
      ref: 'refs/heads/main',
      repository: { full_name: 'acme/shop' },
      commits: [
        commit('a1b2c3d', 'feat: checkout with wallets', 'Ada Lovelace', 'ada'),
        commit('b2c3d4e', 'chore(deps): bump jsonata', 'dependabot[bot]', 'dependabot[bot]'),
        commit('c3d4e5f', 'fix: rounding of totals', 'Grace Hopper', 'grace'),
      ],
    });
    expect(execution.status).toBe('succeeded');
    // n8n: ref is main → true. Split Out "body.commits" (objects, no other fields) → 3 items, each
    // the commit object. Filter keeps items whose message does not start with "chore" and whose
    // author is not dependabot[bot]: commits 1 and 3. Slack posts one message per item to
    // #commits (mode "name", value "commits"), text "*<author>* pushed <id>: <message>".
    const posted = slack.received.map((request) => JSON.parse(request.body) as unknown);
    expect(posted).toEqual([
      { channel: '#commits', text: '*Ada Lovelace* pushed a1b2c3d: feat: checkout with wallets' },
      { channel: '#commits', text: '*Grace Hopper* pushed c3d4e5f: fix: rounding of totals' },
    ]);
    // The Code node sits on the other branch: a push to another branch reaches it and fails
    // loudly instead of posting a digest n8n would have computed differently.
    const other = await deliver(view, { ref: 'refs/heads/feature', commits: [] });
    expect(other.status).toBe('failed');
    expect(other.steps.at(-1)).toMatchObject({ nodeId: 'summarize_branch', status: 'failed' });
    expect(slack.received).toHaveLength(2);
  });

  it('imports a form lead → Wait/Merge → Switch → HTTP / email → Respond workflow', async () => {
    const imported = await importN8n(
      fixture('lead-routing.json', { 'https://crm.example.com': api.url }),
    );
    expect(imported.status).toBe(201);
    const view = imported.body;
    expect(outline(view)).toEqual([
      ['Lead Form', 'converted', ['lead_form', 'lead_form_item']],
      ['Normalize Lead', 'converted', ['normalize_lead']],
      ['Let CRM Settle', 'converted', ['let_crm_settle']],
      ['Score Lead', 'converted', ['score_lead']],
      ['Merge Lead', 'converted', ['merge_lead']],
      ['Route by Country', 'converted', ['route_by_country']],
      ['Create CRM Lead', 'converted', ['create_crm_lead', 'create_crm_lead_item']],
      ['Email US Sales', 'converted', ['email_us_sales']],
      ['Other Region', 'converted', []],
      ['Respond Received', 'converted', ['respond_received']],
    ]);
    expect(neededCredentials(view)).toEqual(['CRM-Token', 'SMTP-account']);
    await prepare(view);
    const submit = (lead: unknown) =>
      hookflow.post(view.flow.triggers[0].path, JSON.stringify(lead));

    api.received.length = 0;
    smtp.received.length = 0;
    // EU lead. Normalize: name trimmed "Ada Lovelace", email lower-cased "ada@example.com",
    // country "DE", company kept, seats "12" → 12 (number field). Wait 1 s, then Merge (combine by
    // position) joins { ...normalized } with Score's { score: "hot" } (12 >= 10). Switch: DE → EU
    // → CRM POST with the key-value body { name, email, region: "eu", seats: 12 } and the bearer
    // token; then Respond 201 with the JSON body, lead and score read from Merge Lead.
    const eu = await submit({
      name: '  Ada Lovelace ',
      email: 'ADA@Example.com',
      country: 'de',
      company: 'Analytical Engines',
      seats: '12',
    });
    expect(eu.status).toBe(201);
    expect(eu.body).toEqual({ status: 'received', lead: 'ada@example.com', score: 'hot' });
    expect(api.received).toHaveLength(1);
    expect(api.received[0]).toMatchObject({ method: 'POST', url: '/api/leads' });
    expect(api.received[0].headers.authorization).toBe(`Bearer ${CRM_TOKEN}`);
    expect(JSON.parse(api.received[0].body)).toEqual({
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      region: 'eu',
      seats: 12,
    });
    expect(smtp.received).toHaveLength(0);

    // US lead: no company → "n/a" (the || default); seats 3 → "warm". Switch: US → Send Email
    // (text format, attribution off) from forms@ to us-sales@, subject and body rendered.
    const us = await submit({
      name: 'Grace Hopper',
      email: 'grace@navy.example',
      country: 'us',
      seats: '3',
    });
    expect(us.status).toBe(201);
    expect(us.body).toEqual({ status: 'received', lead: 'grace@navy.example', score: 'warm' });
    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail).toMatchObject({ from: 'forms@example.test', to: ['us-sales@example.test'] });
    expect(mail.headers.subject).toBe('New lead: Grace Hopper (n/a)');
    expect(mail.raw).toContain('Name: Grace Hopper\r\nEmail: grace@navy.example\r\nSeats: 3');
    expect(api.received).toHaveLength(1);

    // Any other country: the fallback output → No-Op → Respond; nothing else is called.
    const jp = await submit({ name: 'Kenji', email: 'k@example.jp', country: 'jp', seats: 40 });
    expect(jp.status).toBe(201);
    expect(jp.body).toEqual({ status: 'received', lead: 'k@example.jp', score: 'hot' });
    expect(api.received).toHaveLength(1);
    expect(smtp.received).toHaveLength(1);
  });

  describe('real exports (test/fixtures/real/n8n, sources in SOURCES)', () => {
    it.each(realExports('n8n').map((item) => [item.file, item]))(
      '%s imports with every source node reported exactly once',
      async (_file, { body, sourceIds }) => {
        const answer = await hookflow.api<ImportView | ErrorView>('POST', '/api/flows/import/n8n', {
          body,
        });
        expect(answer.status).toBeLessThan(500);
        if (answer.status === 422) {
          // Hookflow flows are acyclic: a workflow looping back is refused, naming the loop.
          expect(JSON.stringify(answer.body)).toMatch(/cycle/);
          return;
        }
        expect(answer.status).toBe(201);
        const view = answer.body as ImportView;
        expect(view.report.nodes.map((node) => node.sourceId).sort()).toEqual(
          [...sourceIds].sort(),
        );
        expect(view.flow.enabled).toBe(false);
        const { converted, approximated, unsupported } = view.report.summary;
        expect(converted + approximated + unsupported).toBe(sourceIds.length);
      },
    );
  });

  it('answers 400 with the path for input that is not an n8n workflow', async () => {
    const cases: Array<[unknown, string]> = [
      [42, ''],
      [[], ''],
      [{ name: 'x' }, '/nodes'],
      [{ name: 'x', nodes: [] }, '/nodes'],
      [{ nodes: [{ name: 'A' }] }, '/nodes/0/type'],
      [[{ nodes: 'none' }], '/0/nodes'],
      [
        {
          nodes: [{ name: 'Hook', type: 'n8n-nodes-base.webhook', parameters: {} }],
          connections: { Hook: { main: [[{ node: 'Gone', type: 'main', index: 0 }]] } },
        },
        '/connections/Hook/main/0/0/node',
      ],
      [{ nodes: [{ name: 'Set', type: 'n8n-nodes-base.set', parameters: {} }] }, '/nodes'],
    ];
    for (const [body, path] of cases) {
      const answer = await importN8n(body);
      expect({ body, status: answer.status }).toEqual({ body, status: 400 });
      expect(answer.body.error.code).toBe('invalid_import');
      expect(answer.body.error.details).toEqual([{ path, message: expect.any(String) }]);
    }
    expect(
      (await hookflow.api('POST', '/api/flows/import/n8n', { body: {}, auth: false })).status,
    ).toBe(401);
  });

  it('answers 422 naming the problems when the converted flow cannot be saved', async () => {
    // n8n allows loops (IF false → back); a Hookflow flow may not have a cycle.
    const answer = await importN8n({
      name: 'retry loop',
      nodes: [
        {
          name: 'Hook',
          type: 'n8n-nodes-base.webhook',
          typeVersion: 2,
          parameters: { httpMethod: 'POST' },
        },
        {
          name: 'Call',
          type: 'n8n-nodes-base.httpRequest',
          typeVersion: 4.2,
          parameters: { url: 'http://127.0.0.1:9/x' },
        },
        { name: 'Done?', type: 'n8n-nodes-base.if', typeVersion: 2, parameters: {} },
      ],
      connections: {
        Hook: { main: [[{ node: 'Call', type: 'main', index: 0 }]] },
        Call: { main: [[{ node: 'Done?', type: 'main', index: 0 }]] },
        'Done?': { main: [[], [{ node: 'Call', type: 'main', index: 0 }]] },
      },
    });
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe('import_invalid_flow');
    expect(answer.body.error.message).toMatch(
      /^the converted flow is not valid: the flow has \d+ problems?$/,
    );
    expect(answer.body.error.details).toContainEqual({
      path: expect.stringMatching(/^\/edges\/\d+$/),
      message: expect.stringContaining('cycle'),
    });
    const listed = await hookflow.api<{ items: Array<{ name: string }> }>(
      'GET',
      '/api/flows?limit=100',
    );
    expect(listed.body.items.map((flow) => flow.name)).not.toContain('retry loop');
  });
});
