import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eachDatabase, type TestDatabase } from './support/databases';
import { realExports } from './support/real-exports';
import { startSink, type Sink } from './support/sink';
import { startSmtpServer, type TestSmtpServer } from './support/smtp-server';
import { startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

const INVENTORY_TOKEN = 'inv-e2e-bearer-token-0000';
const SMTP_PASSWORD = 'e2e-smtp-node-red-secret';

interface NodeReport {
  sourceId: string;
  sourceName: string;
  sourceType: string;
  outcome: string;
  nodeIds: string[];
  notes: string[];
  hookPath?: string;
}
interface ImportAnswer {
  flow: {
    id: string;
    name: string;
    enabled: boolean;
    triggers: Array<{ path: string }>;
    document: { nodes: unknown[]; edges: unknown[] };
  };
  otherFlows?: Array<Omit<ImportAnswer, 'otherFlows'>>;
  report: {
    source: string;
    nodes: NodeReport[];
    warnings: string[];
    summary: Record<string, number>;
  };
}

/** A fixture as the Node-RED editor exported it, its real hosts pointed at loopback receivers. */
function fixture(name: string, hosts: Record<string, string>): unknown {
  let text = readFileSync(join(__dirname, 'fixtures', 'node-red', `${name}.json`), 'utf8');
  for (const [host, url] of Object.entries(hosts)) text = text.split(host).join(url);
  return JSON.parse(text) as unknown;
}

/** The report, one line per Node-RED node: [type, name, outcome, Hookflow node ids]. */
function outline(report: ImportAnswer['report']): Array<[string, string, string, string[]]> {
  return report.nodes.map((node) => [node.sourceType, node.sourceName, node.outcome, node.nodeIds]);
}

function notesOf(report: ImportAnswer['report'], name: string): string[] {
  return report.nodes.find((node) => node.sourceName === name)?.notes ?? [];
}

eachDatabase((target) => {
  let database: TestDatabase;
  let hookflow: TestApp;
  let sink: Sink;
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    database = await target.create();
    sink = await startSink();
    sink.reply((request) => {
      if (request.url.startsWith('/inventory/stock/')) {
        const item = JSON.parse(request.body) as { sku: string; qty: number };
        return { status: 200, body: { sku: item.sku, reserved: item.qty, ok: true } };
      }
      return { status: 200, body: { ok: true } };
    });
    smtp = await startSmtpServer({ forms: SMTP_PASSWORD });
    hookflow = await startTestApp(database.env);
  });
  afterAll(async () => {
    await hookflow?.close();
    await sink?.close();
    await smtp?.close();
    await database?.drop();
  });

  async function importFlow(body: unknown): Promise<ImportAnswer> {
    const answer = await hookflow.api<ImportAnswer>('POST', '/api/flows/import/node-red', { body });
    expect(answer.status).toBe(201);
    expect(answer.body.flow.enabled).toBe(false);
    expect(answer.body.report.source).toBe('node-red');
    return answer.body;
  }

  async function createCredential(name: string, type: string, data: unknown): Promise<void> {
    const answer = await hookflow.api('POST', '/api/credentials', { body: { name, type, data } });
    expect(answer.status).toBe(201);
  }

  async function enable(flowId: string): Promise<void> {
    expect((await hookflow.api('POST', `/api/flows/${flowId}/enable`)).status).toBe(200);
  }

  describe('orders: http in -> change -> switch -> template -> http request -> http response', () => {
    let imported: ImportAnswer;

    beforeAll(async () => {
      imported = await importFlow(
        fixture('orders-to-slack', { 'https://hooks.slack.com': sink.url }),
      );
      await enable(imported.flow.id);
    });

    it('reports every node: converted, approximated with why, the function kept unsupported', () => {
      const { report } = imported;
      expect(outline(report)).toEqual([
        ['http in', 'Order webhook', 'converted', ['order_webhook', 'order_webhook_msg']],
        ['change', 'Normalise order', 'converted', ['normalise_order']],
        ['switch', 'Route by total', 'converted', ['route_by_total']],
        ['template', 'Slack message', 'converted', ['slack_message']],
        ['http request', 'Post to Slack', 'converted', ['post_to_slack', 'post_to_slack_msg']],
        ['debug', 'Slack answer', 'converted', []],
        ['change', 'Build reply', 'converted', ['build_reply']],
        ['http response', 'Reply', 'approximated', ['reply']],
        ['change', 'Small order reply', 'converted', ['small_order_reply']],
        ['http response', 'Accepted', 'converted', ['accepted']],
        ['function', 'Legacy scoring', 'unsupported', ['legacy_scoring']],
        ['comment', 'Totals in major units from here on', 'converted', []],
      ]);
      expect(notesOf(report, 'Reply')).toEqual([
        'Node-RED answers msg.statusCode set earlier in the flow; Hookflow answers 200',
      ]);
      expect(notesOf(report, 'Legacy scoring')[0]).toMatch(/function runs JavaScript/);
      expect(report.summary).toEqual({ converted: 10, approximated: 1, unsupported: 1 });
      expect(report.warnings).toEqual([]);
    });

    it('keeps the function code in the unsupported node', async () => {
      const flow = await hookflow.api<{ document: { nodes: Array<Record<string, unknown>> } }>(
        'GET',
        `/api/flows/${imported.flow.id}`,
      );
      const node = flow.body.document.nodes.find((candidate) => candidate.id === 'legacy_scoring');
      expect(node).toMatchObject({
        type: 'unsupported',
        params: { source: 'node-red', sourceType: 'function' },
      });
      expect((node?.params as { code: string }).code).toContain(
        "msg.payload = { routed: 'review', score };",
      );
    });

    it('posts to Slack and answers like Node-RED for a big order', async () => {
      /*
       * Node-RED, by hand: the change node sets payload.total = 12550 / 100 = 125.5,
       * payload.currency = "EUR", deletes payload.internal and sets topic = "order ord_1001".
       * 125.5 >= 100: the switch's first output. Mustache HTML-escapes {{x}}, so the customer
       * "O'Brien & Co" renders as "O&#39;Brien &amp; Co"; output "json" parses the text. The
       * http request POSTs JSON.stringify(payload); Slack answers {"ok":true} (ret obj parses
       * it, msg.statusCode = 200). "Build reply" sets payload = { routed, order: topic,
       * slackStatus: statusCode }; the http response has no status, so it answers
       * msg.statusCode (200) with the X-Flow header and the payload as JSON.
       */
      sink.received.length = 0;
      const answer = await hookflow.post(
        imported.flow.triggers[0].path,
        JSON.stringify({
          id: 'ord_1001',
          amount: 12_550,
          currency: 'eur',
          customer: { name: "O'Brien & Co", email: 'buyer@example.test' },
          internal: { trace: 't-1' },
        }),
      );
      expect(sink.received).toHaveLength(1);
      const [post] = sink.received;
      expect(post).toMatchObject({ method: 'POST', url: '/services/T0000/B0000/XXXXXXXX' });
      expect(post.headers['content-type']).toBe('application/json');
      expect(post.body).toBe(
        '{"channel":"#sales","text":"Big order ord_1001 from O&#39;Brien &amp; Co: 125.5 EUR"}',
      );
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-flow')).toBe('orders');
      expect(answer.body).toEqual({ routed: 'slack', order: 'order ord_1001', slackStatus: 200 });
    });

    it('answers 202 without calling Slack for a small order', async () => {
      // 4200 / 100 = 42: between 0.01 and 99.99, the second output. payload becomes
      // {"routed":"none"}, then payload.order = msg.topic; "Accepted" answers 202.
      sink.received.length = 0;
      const answer = await hookflow.post(
        imported.flow.triggers[0].path,
        JSON.stringify({ id: 'ord_1002', amount: 4200, currency: 'eur', customer: { name: 'Bo' } }),
      );
      expect(answer.status).toBe(202);
      expect(answer.body).toEqual({ routed: 'none', order: 'order ord_1002' });
      expect(sink.received).toHaveLength(0);
    });

    it('fails loudly where the unsupported function node is reached', async () => {
      // 0 matches no rule before "otherwise": Node-RED runs the function; Hookflow cannot.
      const answer = await hookflow.post(
        imported.flow.triggers[0].path,
        JSON.stringify({ id: 'ord_1003', amount: 0, currency: 'eur', customer: { name: 'Cy' } }),
      );
      expect(answer.status).toBe(500);
      expect(answer.body).toMatchObject({ error: { code: 'execution_failed' } });
      expect(JSON.stringify(answer.body)).toMatch(
        /legacy_scoring.*unsupported|no Hookflow equivalent/,
      );
    });
  });

  describe('contact form: http in -> template with sections -> delay -> e-mail', () => {
    let imported: ImportAnswer;

    beforeAll(async () => {
      imported = await importFlow(fixture('contact-form-email', {}));
    });

    it('reports the section translation and names the missing SMTP credential', () => {
      const { report } = imported;
      expect(outline(report)).toEqual([
        ['http in', 'Contact form', 'converted', ['contact_form', 'contact_form_msg']],
        ['change', 'Ack', 'converted', ['ack']],
        ['http response', 'Thanks', 'converted', ['thanks']],
        ['change', 'Subject', 'converted', ['subject']],
        ['template', 'Email body', 'converted', ['email_body']],
        ['delay', 'Let the CRM catch up', 'converted', ['let_the_crm_catch_up']],
        ['e-mail', 'Email sales', 'converted', ['email_sales']],
      ]);
      expect(notesOf(report, 'Email body')[0]).toMatch(/^Mustache sections became Handlebars/);
      expect(report.warnings).toEqual([
        'create the smtp credential "email_sales-smtp" before enabling the flow',
      ]);
    });

    it('sends the mail Node-RED would send, after the delay, and answers the ack', async () => {
      await createCredential('email_sales-smtp', 'smtp', {
        host: smtp.host,
        port: smtp.port,
        secure: false,
        username: 'forms',
        password: SMTP_PASSWORD,
        from: 'Forms <forms@example.test>',
      });
      await enable(imported.flow.id);
      smtp.received.length = 0;
      /*
       * Node-RED, by hand: the http in wires to "Ack" and "Subject". Ack sets payload to
       * { received: true, from: payload.email } and "Thanks" answers 200 with it. Subject sets
       * topic = "New lead: Ada Lovelace". The template escapes {{x}} ("&" -> "&amp;"), the list
       * section renders one <li> per interest, the standalone section lines vanish and the
       * inverted section renders nothing. After 1 s the e-mail node sends to its configured
       * recipient, subject msg.topic, from the userid (msg.from is unset), and since the payload
       * holds a tag, the payload as both the text and the HTML part.
       */
      const answer = await hookflow.post(
        imported.flow.triggers[0].path,
        JSON.stringify({
          name: 'Ada Lovelace',
          email: 'ada@example.test',
          message: 'Pricing & plans for 5 seats?',
          interests: ['API', 'SSO'],
        }),
      );
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ received: true, from: 'ada@example.test' });
      const mail = await waitFor('the lead e-mail', async () => smtp.received[0]);
      expect(mail).toMatchObject({ from: 'forms@example.test', to: ['sales@example.test'] });
      expect(mail.headers).toMatchObject({
        subject: 'New lead: Ada Lovelace',
        from: 'Forms <forms@example.test>',
        to: 'sales@example.test',
      });
      const html =
        '<h1>New lead</h1>\n<p>Ada Lovelace (ada@example.test) wrote:</p>\n' +
        '<blockquote>Pricing &amp; plans for 5 seats?</blockquote>\n<ul>\n' +
        '  <li>API</li>\n  <li>SSO</li>\n</ul>\n';
      const raw = mail.raw.replace(/\r\n/g, '\n');
      expect(raw).toContain('Content-Type: text/plain');
      expect(raw).toContain('Content-Type: text/html');
      expect(raw.split(html)).toHaveLength(3);
    });
  });

  describe('shopify: http in -> split -> http request per item -> join -> http response', () => {
    let imported: ImportAnswer;

    beforeAll(async () => {
      imported = await importFlow(
        fixture('shopify-inventory', { 'https://inventory.example.test': `${sink.url}/inventory` }),
      );
    });

    it('reports the per-item request as approximated and the bearer credential as missing', () => {
      const { report } = imported;
      expect(outline(report)).toEqual([
        ['http in', 'orders/create', 'converted', ['orders_create', 'orders_create_msg']],
        ['change', 'Line items', 'converted', ['line_items']],
        ['split', 'Each item', 'converted', ['each_item']],
        ['http request', 'Reserve stock', 'approximated', ['reserve_stock', 'reserve_stock_msg']],
        ['join', 'Collect answers', 'converted', ['collect_answers', 'collect_answers_msg']],
        ['change', 'Summary', 'converted', ['summary']],
        ['http response', 'Reserved', 'converted', ['reserved']],
      ]);
      expect(notesOf(report, 'Reserve stock')).toEqual([
        'credentials are not exported: create the http-bearer credential "reserve_stock-auth"',
        "runs once per split item: after it the message is { payload, statusCode, headers } (the item's other msg properties are not carried over)",
      ]);
      expect(report.warnings).toEqual([
        'config nodes (http proxy) were not imported: Hookflow keeps servers and secrets in credentials',
        'create the http-bearer credential "reserve_stock-auth" before enabling the flow',
      ]);
    });

    it('reserves every line item and answers the joined summary', async () => {
      await createCredential('reserve_stock-auth', 'http-bearer', { token: INVENTORY_TOKEN });
      await enable(imported.flow.id);
      sink.received.length = 0;
      /*
       * Node-RED, by hand: "Line items" maps line_items to [{sku, qty}] (3 items). The split
       * sends one message per item; each PUTs JSON.stringify(item) to /stock/<sku> (triple
       * braces: inserted as is) with X-Shop and the bearer token; the inventory answers
       * { sku, reserved: qty, ok: true }. The join (auto) rebuilds the array of answers in item
       * order; "Summary" sets payload = { reserved: 2 + 1 + 3, skus: [the three skus] }, and
       * "Reserved" answers 200 with it.
       */
      const answer = await hookflow.post(
        imported.flow.triggers[0].path,
        JSON.stringify({
          id: 5001,
          email: 'shopper@example.test',
          line_items: [
            { sku: 'TSHIRT-M', quantity: 2, title: 'T-shirt' },
            { sku: 'MUG-01', quantity: 1, title: 'Mug' },
            { sku: 'CAP-RED', quantity: 3, title: 'Cap' },
          ],
        }),
      );
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ reserved: 6, skus: ['TSHIRT-M', 'MUG-01', 'CAP-RED'] });
      const calls = sink.received
        .map((request) => ({
          method: request.method,
          url: request.url,
          body: JSON.parse(request.body) as unknown,
          shop: request.headers['x-shop'],
          auth: request.headers.authorization,
        }))
        .sort((a, b) => a.url.localeCompare(b.url));
      expect(calls).toEqual([
        {
          method: 'PUT',
          url: '/inventory/stock/CAP-RED',
          body: { sku: 'CAP-RED', qty: 3 },
          shop: 'acme',
          auth: `Bearer ${INVENTORY_TOKEN}`,
        },
        {
          method: 'PUT',
          url: '/inventory/stock/MUG-01',
          body: { sku: 'MUG-01', qty: 1 },
          shop: 'acme',
          auth: `Bearer ${INVENTORY_TOKEN}`,
        },
        {
          method: 'PUT',
          url: '/inventory/stock/TSHIRT-M',
          body: { sku: 'TSHIRT-M', qty: 2 },
          shop: 'acme',
          auth: `Bearer ${INVENTORY_TOKEN}`,
        },
      ]);
    });
  });

  describe('a GET page: http in -> template -> http response, in every shape Node-RED exports', () => {
    /** The full export: one tab, its nodes, a comment, a config node. */
    const full = (): unknown[] => fixture('hello-page', {}) as unknown[];
    const withoutTab = (): Array<Record<string, unknown>> =>
      (full() as Array<Record<string, unknown>>).filter((item) => item.type !== 'tab');

    /** The flow and report of one import, without what differs by design (name, hook paths). */
    function comparable(answer: ImportAnswer): unknown {
      return {
        nodes: answer.flow.document.nodes,
        edges: answer.flow.document.edges,
        report: answer.report.nodes.map((node) => ({
          ...node,
          hookPath: undefined,
          notes: node.notes.filter((note) => !note.startsWith('Hookflow serves it at')),
        })),
      };
    }

    it('imports selected nodes and a clipboard array to the same flow as the full export', async () => {
      const fromFull = await importFlow(full());
      const selected = await importFlow(withoutTab());
      const clipboard = await importFlow(
        withoutTab()
          .filter((item) => item.type !== 'tls-config')
          .map(({ z: _z, ...item }) => item),
      );
      expect(fromFull.report.nodes.map((node) => [node.sourceType, node.outcome])).toEqual([
        ['comment', 'converted'],
        ['http in', 'converted'],
        ['template', 'converted'],
        ['http response', 'converted'],
      ]);
      expect(fromFull.flow.name).toBe('Pages');
      expect(selected.flow.name).toBe('GET /hello');
      expect(comparable(selected)).toEqual(comparable(fromFull));
      expect(comparable(clipboard)).toEqual(comparable(fromFull));
    });

    it('answers GET with 200 and the page, the query in msg.req.query and msg.payload', async () => {
      /*
       * Node-RED: GET /hello?name=Ada → msg.payload = req.query = { name: "Ada" },
       * msg.req.query.name = "Ada". The template renders "<h1>Hello Ada</h1><p>Ada</p>"
       * (Mustache escapes nothing here); the http response answers 200 with that text, which
       * Express sends as text/html; charset=utf-8.
       */
      const imported = await importFlow(full());
      const trigger = imported.report.nodes.find((node) => node.sourceType === 'http in');
      expect(trigger?.hookPath).toBe(imported.flow.triggers[0].path);
      expect(trigger?.notes).toContain(
        `Hookflow serves it at GET ${imported.flow.triggers[0].path}`,
      );
      await enable(imported.flow.id);
      const page = await fetch(`${hookflow.url}${imported.flow.triggers[0].path}?name=Ada`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await page.text()).toBe('<h1>Hello Ada</h1><p>Ada</p>');
      const post = await hookflow.post(imported.flow.triggers[0].path, '{}');
      expect(post.status).toBe(405);
    });

    it('imports every unconnected set of nodes as its own flow, each with its report', async () => {
      const nodes = withoutTab();
      const second = [
        {
          id: 'p1',
          type: 'http in',
          z: 'pages',
          method: 'post',
          url: '/echo',
          x: 1,
          y: 9,
          wires: [['p2']],
        },
        { id: 'p2', type: 'http response', z: 'pages', x: 2, y: 9, wires: [] },
      ];
      const answer = await importFlow([...nodes, ...second]);
      expect(answer.otherFlows).toHaveLength(1);
      const [other] = answer.otherFlows ?? [];
      expect(other.flow.name).toBe('POST /echo');
      expect(other.flow.enabled).toBe(false);
      expect(other.report.nodes.map((node) => node.sourceId)).toEqual(['p1', 'p2']);
      expect(answer.report.nodes.map((node) => node.sourceId)).not.toContain('p1');
    });
  });

  describe('real exports (test/fixtures/real/node-red, sources in SOURCES)', () => {
    it.each(realExports('node-red').map((item) => [item.file, item]))(
      '%s imports with every source node reported exactly once',
      async (_file, { body, sourceIds }) => {
        const answer = await hookflow.api<ImportAnswer>('POST', '/api/flows/import/node-red', {
          body,
        });
        expect(answer.status).toBeLessThan(500);
        expect([201, 422]).toContain(answer.status);
        if (answer.status !== 201) return;
        const flows = [answer.body, ...(answer.body.otherFlows ?? [])];
        const reported = flows.flatMap((flow) => flow.report.nodes.map((node) => node.sourceId));
        expect(reported.sort()).toEqual([...sourceIds].sort());
        for (const { flow, report } of flows) {
          expect(flow.enabled).toBe(false);
          const { converted, approximated, unsupported } = report.summary;
          expect(converted + approximated + unsupported).toBe(report.nodes.length);
        }
      },
    );
  });

  describe('real cookbook endpoints run end to end and answer as Node-RED does', () => {
    /** The page every "Hello" recipe renders (the cookbook's template, whitespace included). */
    const page = (heading: string): string =>
      `<html>\n    <head></head>\n    <body>\n        <h1>${heading}</h1>\n    </body>\n</html>`;
    const HTML = 'text/html; charset=utf-8';

    /*
     * Each case: the fixture (test/fixtures/real/node-red, a selected-nodes export from
     * node-red/cookbook.nodered.org), the request the recipe's page makes with curl, and the
     * answer the page shows Node-RED giving. Node-RED's http response sends a string payload with
     * Express's res.send: 200 and text/html; charset=utf-8 unless a Content-Type is set.
     */
    const cases: Array<{
      fixture: string;
      request: { method: string; query?: string; body?: string; headers?: Record<string, string> };
      answer: { body: string; contentType: string };
    }> = [
      // http/create-an-http-endpoint.md: GET /hello → the static template.
      {
        fixture: 'http-create-an-http-endpoint',
        request: { method: 'GET' },
        answer: { body: page('Hello World!'), contentType: HTML },
      },
      // http/access-http-request-headers.md: {{req.headers.user-agent}}; Mustache escapes "/"
      // as &#x2F; (the page shows "curl&#x2F;7.49.1").
      {
        fixture: 'http-access-http-request-headers',
        request: { method: 'GET', headers: { 'user-agent': 'curl/7.49.1' } },
        answer: { body: page('User agent: curl&#x2F;7.49.1'), contentType: HTML },
      },
      // http/handle-query-parameters.md: GET ?name=Nick → msg.payload.name = "Nick".
      {
        fixture: 'http-handle-query-parameters-1',
        request: { method: 'GET', query: '?name=Nick' },
        answer: { body: page('Hello Nick!'), contentType: HTML },
      },
      // http/post-form-data-to-a-flow.md: the url-encoded body parsed into msg.payload.
      {
        fixture: 'http-post-form-data-to-a-flow',
        request: {
          method: 'POST',
          body: 'name=Nick',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
        answer: { body: page('Hello Nick!'), contentType: HTML },
      },
      // http/post-json-data-to-a-flow.md: the JSON body parsed into msg.payload.
      {
        fixture: 'http-post-json-data-to-a-flow',
        request: {
          method: 'POST',
          body: '{"name":"Nick"}',
          headers: { 'content-type': 'application/json' },
        },
        answer: { body: page('Hello Nick!'), contentType: HTML },
      },
      // http/post-raw-data-to-a-flow.md: a text/plain body is the string msg.payload.
      {
        fixture: 'http-post-raw-data-to-a-flow',
        request: { method: 'POST', body: 'Nick', headers: { 'content-type': 'text/plain' } },
        answer: { body: page('Hello Nick!'), contentType: HTML },
      },
      // http/serve-json-content.md: the change node sets msg.headers["content-type"] =
      // "application/json"; Express appends the charset; the text is sent as it is.
      {
        fixture: 'http-serve-json-content',
        request: { method: 'GET' },
        answer: { body: '{ "Hello": "World" }', contentType: 'application/json; charset=utf-8' },
      },
      // http/include-data-from-another-flow.md: the time comes from flow context, written by an
      // inject that fires only when clicked (once: false, no repeat). Until then Node-RED reads
      // undefined and Mustache renders it empty: "Time: " (Hookflow reads no flow context: the
      // same, and the report says so).
      {
        fixture: 'http-include-data-from-another-flow',
        request: { method: 'GET' },
        answer: { body: page('Time: '), contentType: HTML },
      },
    ];

    /** The text of the fixture's template node named `name`: tagless Mustache renders as itself. */
    const templateText = (name: string, index = 0): string =>
      (fixture(`../real/node-red/${name}`, {}) as Array<{ type: string; template?: string }>)
        .filter((node) => node.type === 'template')
        .map((node) => node.template ?? '')[index];

    // Daiki-Kawanuma/nodered-recipes (each README shows the request and, for some, the answer).
    cases.push(
      // apply-css: the CSS template writes msg.payload.css (payload is the empty query object),
      // the HTML template inserts it unescaped with {{{payload.css}}}.
      {
        fixture: 'recipes-apply-css',
        request: { method: 'GET' },
        answer: {
          body: templateText('recipes-apply-css', 0).replace(
            '{{{payload.css}}}',
            templateText('recipes-apply-css', 1),
          ),
          contentType: HTML,
        },
      },
      // get-array-value-template: the README's request and its 応答例 (answer), as given.
      {
        fixture: 'recipes-get-array-value-template',
        request: {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            tones: [
              { score: 0.069776, tone_id: 'anger', tone_name: 'Anger' },
              { score: 0.010281, tone_id: 'disgust', tone_name: 'Disgust' },
              { score: 0.238294, tone_id: 'fear', tone_name: 'Fear' },
            ],
            category_id: 'emotion_tone',
            category_name: 'EmotionTone',
          }),
        },
        answer: {
          body:
            '<html>\n<body>\n<p>EmotionTone</p>\n<p>Anger</p>\n<p>0.069776</p>\n<p>Disgust</p>\n' +
            '<p>0.010281</p>\n<p>Fear</p>\n<p>0.238294</p>\n</body>\n</html>',
          contentType: HTML,
        },
      },
      // show-html, upload-image, show-tweets (its http in flow): static pages.
      ...['recipes-show-html', 'recipes-upload-image', 'recipes-show-tweets'].map((name) => ({
        fixture: name,
        request: { method: 'GET' },
        answer: { body: templateText(name), contentType: HTML },
      })),
      // switch-processing: payload = msg.payload.value, the query string "20"; the switch
      // compares numerically ("20" >= 10: the first output), so "10以上です: 20".
      {
        fixture: 'recipes-switch-processing',
        request: { method: 'GET', query: '?value=20' },
        answer: { body: '10以上です: 20', contentType: HTML },
      },
    );

    it.each(cases.map((item) => [item.fixture, item]))('%s', async (name, { request, answer }) => {
      const imported = await importFlow(fixture(`../real/node-red/${name}`, {}));
      expect(imported.report.summary.unsupported).toBe(0);
      await enable(imported.flow.id);
      const response = await fetch(
        `${hookflow.url}${imported.flow.triggers[0].path}${request.query ?? ''}`,
        { method: request.method, headers: request.headers, body: request.body },
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(answer.contentType);
      expect(await response.text()).toBe(answer.body);
    });
  });

  it('answers 422 naming the loop when the wires go back to an earlier node', async () => {
    const change = (id: string, next: string) => ({
      id,
      type: 'change',
      z: 't1',
      name: id,
      rules: [],
      x: 1,
      y: 1,
      wires: [[next]],
    });
    const answer = await hookflow.api('POST', '/api/flows/import/node-red', {
      body: [
        { id: 't1', type: 'tab', label: 'Loop' },
        {
          id: 'in',
          type: 'http in',
          z: 't1',
          method: 'post',
          url: '/x',
          x: 1,
          y: 1,
          wires: [['a']],
        },
        change('a', 'b'),
        change('b', 'a'),
      ],
    });
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ error: { code: 'import_invalid_flow' } });
    expect(JSON.stringify(answer.body)).toMatch(/cycle/);
  });

  it('refuses what is not a Node-RED export with 400 and a path', async () => {
    const answer = await hookflow.api('POST', '/api/flows/import/node-red', {
      body: [
        { id: 'a1', type: 'tab', label: 'x' },
        { id: 'b2', wires: [] },
      ],
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      error: {
        code: 'invalid_import',
        message: 'item 1 has no string "type"',
        details: [{ path: '/1/type', message: 'item 1 has no string "type"' }],
      },
    });
  });
});
