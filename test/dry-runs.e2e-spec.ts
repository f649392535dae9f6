import { spawn } from 'node:child_process';
import path from 'node:path';
import { metricValue } from './support/metrics';
import { eachMode, type RunningHookflow } from './support/modes';
import { startSink, type Sink } from './support/sink';
import { call, TEST_API_KEY } from './support/test-app';
import { waitFor } from './support/wait-for';

/**
 * Issue #17, safe publish: a draft is tried on the flow's real deliveries with side effects held
 * back, and every delivery is compared with what the published version did.
 */
const ROOT = path.join(__dirname, '..');
const METRICS_TOKEN = 'dry-run-metrics-token-0123456789';
const SLACK_SECRET = 'xoxb-slack-secret-token-0001';
const API_TOKEN = 'api-token-secret-42';

interface FlowView {
  id: string;
  version: number;
  triggers: Array<{ path: string }>;
}

interface Comparison {
  nodeId: string;
  verdict: string;
  before?: unknown;
  after?: unknown;
  diff?: Array<{ path: string; before?: unknown; after?: unknown }>;
}

interface DeliveryView {
  deliveryId: string;
  executionId: string;
  verdict: 'unchanged' | 'changed' | 'failed';
  nodes: Comparison[];
  sideEffects: Array<Comparison & { kind: string; occurrence: number }>;
}

interface DryRunView {
  id: string;
  status: string;
  version: number;
  baselineVersion: number;
  progress: { done: number; total: number };
  summary: { unchanged: number; changed: number; failed: number };
  deliveries: DeliveryView[];
}

/** transform -> filter -> http.request -> slack.message, as published (v1) and as drafted (v2). */
function orderFlow(apiUrl: string, draft: boolean) {
  const coupon = draft ? 'discountCode' : 'coupon';
  return {
    format: 'hookflow.flow/v1',
    name: 'Orders to the order API and Slack',
    nodes: [
      { id: 'hook', type: 'trigger.webhook', params: {} },
      {
        id: 'map',
        type: 'transform',
        params: {
          expression: `{ 'order': id, 'amount': amount, '${coupon}': coupon, 'customer': customer }`,
        },
      },
      { id: 'big', type: 'filter', params: { condition: draft ? 'amount > 500' : 'amount > 100' } },
      {
        id: 'call',
        type: 'http.request',
        params: {
          url: `${apiUrl}/orders/{{order}}`,
          headers: { authorization: `Bearer ${API_TOKEN}` },
          body: `{ 'order': order, 'amount': amount, '${coupon}': ${coupon} }`,
        },
      },
      {
        id: 'notify',
        type: 'slack.message',
        credential: 'ops-slack',
        params: {
          channel: '#orders',
          text: 'Order {{@trigger.body.id}} for {{@trigger.body.amount}}',
        },
      },
    ],
    edges: [
      { from: 'hook', to: 'map' },
      { from: 'map', to: 'big' },
      { from: 'big', port: 'true', to: 'call' },
      { from: 'call', to: 'notify' },
    ],
  };
}

/** 50 varied orders: amounts spread over 0..999, a coupon on every fifth. */
const ORDERS = Array.from({ length: 50 }, (_, index) => ({
  id: `ord_${index}`,
  amount: (index * 37) % 1000,
  customer: `cus_${index % 7}`,
  ...(index % 5 === 0 ? { coupon: `SAVE${index}` } : {}),
}));
type Order = (typeof ORDERS)[number];
/** What the draft changes: the renamed field (orders with a coupon), the tighter filter. */
const changesWithDraft = (order: Order) =>
  'coupon' in order || (order.amount > 100 && order.amount <= 500);

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'hookflow.js'), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = { stdout: '', stderr: '' };
    child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, ...output });
    });
  });
}

jest.setTimeout(180_000);

eachMode((mode) => {
  describe(`dry runs (${mode.name})`, () => {
    let hookflow: RunningHookflow;
    let orderApi: Sink;
    let slack: Sink;
    let flow: FlowView;
    /** The recorded run's execution id -> the order its delivery carried. */
    const sent = new Map<string, Order>();

    const app = () => hookflow.api;
    const scrape = async (): Promise<string> => {
      const answer = await call<string>(`${app().url}/metrics`, 'GET', {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      expect(answer.status).toBe(200);
      return answer.body;
    };
    const history = async () => {
      const executions = await app().api<{ total: number }>(
        'GET',
        `/api/executions?flowId=${flow.id}&limit=1`,
      );
      const deliveries = await app().api<{ total: number }>(
        'GET',
        `/api/flows/${flow.id}/deliveries?limit=1`,
      );
      return { executions: executions.body.total, deliveries: deliveries.body.total };
    };
    const dryRun = async (body: unknown): Promise<DryRunView> => {
      const started = await app().api<{ id: string; status: string }>(
        'POST',
        `/api/flows/${flow.id}/dry-runs`,
        { body },
      );
      expect(started.status).toBe(202);
      return waitFor(
        'the dry run to finish',
        async () => {
          const view = await app().api<DryRunView>(
            'GET',
            `/api/flows/${flow.id}/dry-runs/${started.body.id}`,
          );
          return view.body.status === 'running' ? undefined : view.body;
        },
        { attempts: 600, intervalMs: 100 },
      );
    };

    beforeAll(async () => {
      orderApi = await startSink();
      slack = await startSink();
      hookflow = await mode.start({ HOOKFLOW_METRICS_TOKEN: METRICS_TOKEN });
      const credential = await app().api('POST', '/api/credentials', {
        body: {
          name: 'ops-slack',
          type: 'slack-bot',
          data: { token: SLACK_SECRET, apiBaseUrl: slack.url },
        },
      });
      expect(credential.status).toBe(201);
      const imported = await app().api<FlowView>('POST', '/api/flows/import', {
        body: orderFlow(orderApi.url, false),
      });
      expect(imported.status).toBe(201);
      flow = imported.body;
      for (const order of ORDERS) {
        const accepted = await app().post(flow.triggers[0].path, JSON.stringify(order));
        expect(accepted.status).toBe(202);
        const { executionId } = accepted.body as { executionId: string };
        sent.set(executionId, order);
      }
      await waitFor(
        'the 50 runs to finish',
        async () => {
          const page = await app().api<{ items: Array<{ status: string }>; total: number }>(
            'GET',
            `/api/executions?flowId=${flow.id}&limit=200`,
          );
          const done = page.body.items.filter((run) => run.status === 'succeeded').length;
          return done === ORDERS.length ? done : undefined;
        },
        { attempts: 600, intervalMs: 100 },
      );
      const passed = ORDERS.filter((order) => order.amount > 100).length;
      expect(orderApi.received).toHaveLength(passed);
      expect(slack.received).toHaveLength(passed);
      const saved = await app().api('PUT', `/api/flows/${flow.id}`, {
        body: { ...orderFlow(orderApi.url, true), baseVersion: 1, draft: true },
      });
      expect(saved.status).toBe(200);
    });
    afterAll(async () => {
      await hookflow?.stop();
      await orderApi?.close();
      await slack?.close();
    });

    it('reports exactly the deliveries the draft changes, sends nothing and records nothing', async () => {
      const sinkCounts = [orderApi.received.length, slack.received.length];
      const before = { history: await history(), metrics: await scrape() };

      const view = await dryRun({ last: 50 });

      expect(view).toMatchObject({ status: 'finished', version: 2, baselineVersion: 1 });
      expect(view.progress).toEqual({ done: 50, total: 50 });
      const expected = ORDERS.filter(changesWithDraft).length;
      expect(view.summary).toEqual({ unchanged: 50 - expected, changed: expected, failed: 0 });
      const verdicts = Object.fromEntries(
        view.deliveries.map((delivery) => [delivery.executionId, delivery.verdict]),
      );
      expect(verdicts).toEqual(
        Object.fromEntries(
          [...sent].map(([id, order]) => [id, changesWithDraft(order) ? 'changed' : 'unchanged']),
        ),
      );

      // Held back: the stand-ins got nothing; no run, delivery or metric moved.
      expect([orderApi.received.length, slack.received.length]).toEqual(sinkCounts);
      expect(await history()).toEqual(before.history);
      const after = await scrape();
      for (const name of [
        'hookflow_executions_total',
        'hookflow_outbound_http_requests_total',
        'hookflow_node_duration_seconds_count',
        'hookflow_deliveries_total',
      ]) {
        expect({ name, value: metricValue(after, name) }).toEqual({
          name,
          value: metricValue(before.metrics, name),
        });
      }
      // Secrets of credentials and secret headers never reach the comparisons.
      expect(JSON.stringify(view)).not.toContain(SLACK_SECRET);
      expect(JSON.stringify(view)).not.toContain(API_TOKEN);
    });

    it('shows the renamed field and the requests the tighter filter drops, as diffs', async () => {
      const view = await dryRun({ last: 50 });
      const byOrder = (pick: (order: Order) => boolean) => {
        const [id] = [...sent].find(([, order]) => pick(order)) as [string, Order];
        return view.deliveries.find((delivery) => delivery.executionId === id) as DeliveryView;
      };
      const node = (delivery: DeliveryView, id: string) =>
        delivery.nodes.find((entry) => entry.nodeId === id);
      const request = (delivery: DeliveryView, id: string) =>
        delivery.sideEffects.find((entry) => entry.nodeId === id);

      // ord_0 would not pass either filter; ord_15 (555) passes both; both carry a coupon.
      const renamed = byOrder((order) => order.id === 'ord_15');
      expect(node(renamed, 'map')).toMatchObject({
        verdict: 'changed',
        diff: [
          { path: '/coupon', before: 'SAVE15' },
          { path: '/discountCode', after: 'SAVE15' },
        ],
      });
      expect(request(renamed, 'call')).toMatchObject({
        kind: 'http',
        verdict: 'changed',
        diff: [
          { path: '/body/coupon', before: 'SAVE15' },
          { path: '/body/discountCode', after: 'SAVE15' },
        ],
        after: {
          method: 'POST',
          url: `${orderApi.url}/orders/ord_15`,
          headers: { authorization: '[redacted]' },
        },
      });
      expect(request(renamed, 'notify')).toMatchObject({ kind: 'http', verdict: 'equal' });
      // The stand-in answer is the one the published run got: downstream sees it unchanged.
      expect(node(renamed, 'call')).toMatchObject({ verdict: 'equal' });

      // ord_7 (259) passed the old filter, not the new one: its calls are gone.
      const filtered = byOrder((order) => order.id === 'ord_7');
      expect(filtered.verdict).toBe('changed');
      expect(node(filtered, 'map')).toMatchObject({ verdict: 'equal' });
      expect(node(filtered, 'call')).toMatchObject({ verdict: 'no_longer_reached' });
      expect(node(filtered, 'notify')).toMatchObject({ verdict: 'no_longer_reached' });
      expect(request(filtered, 'call')).toMatchObject({
        verdict: 'gone',
        before: { url: `${orderApi.url}/orders/ord_7`, body: { order: 'ord_7', amount: 259 } },
      });
      expect(request(filtered, 'notify')).toMatchObject({
        verdict: 'gone',
        before: {
          // The bot's API base URL is a masked field of its credential: redacted like the token.
          url: '[redacted]/chat.postMessage',
          headers: { authorization: '[redacted]' },
          body: { channel: '#orders', text: 'Order ord_7 for 259' },
        },
      });

      const unchanged = byOrder((order) => order.id === 'ord_1');
      expect(unchanged.verdict).toBe('unchanged');
      expect(unchanged.sideEffects).toEqual([]);
    });

    it('chooses deliveries by time range or by id', async () => {
      const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
      const recent = await dryRun({
        from: hourAgo,
        to: new Date(Date.now() + 60_000).toISOString(),
      });
      expect(recent.progress.total).toBe(ORDERS.length);
      const none = await app().api<{ error: { code: string } }>(
        'POST',
        `/api/flows/${flow.id}/dry-runs`,
        { body: { to: hourAgo } },
      );
      expect(none.status).toBe(422);
      expect(none.body.error.code).toBe('no_deliveries');

      const ids = recent.deliveries.slice(0, 2).map((delivery) => delivery.deliveryId);
      const picked = await dryRun({ deliveryIds: ids });
      expect(picked.deliveries.map((delivery) => delivery.deliveryId).sort()).toEqual(ids.sort());
      const unknown = await app().api('POST', `/api/flows/${flow.id}/dry-runs`, {
        body: { deliveryIds: [...ids, flow.id] },
      });
      expect(unknown.status).toBe(404);
    });

    it('tries pasted samples and refuses a bad selection with the field named', async () => {
      const view = await dryRun({ samples: [{ id: 'ord_x', amount: 300, coupon: 'NEW' }] });
      expect(view.summary).toEqual({ unchanged: 0, changed: 1, failed: 0 });
      expect(view.deliveries[0].sideEffects.map((effect) => effect.verdict)).toEqual([
        'gone',
        'gone',
      ]);

      const tooMany = await app().api('POST', `/api/flows/${flow.id}/dry-runs`, {
        body: { last: 1001 },
      });
      expect(tooMany.status).toBe(400);
      expect(JSON.stringify(tooMany.body)).toContain('last');
      const twoWays = await app().api<{ error: { code: string } }>(
        'POST',
        `/api/flows/${flow.id}/dry-runs`,
        { body: { last: 5, samples: [{}] } },
      );
      expect(twoWays.status).toBe(400);
      expect(twoWays.body.error.code).toBe('invalid_selection');
      const missing = await app().api('GET', `/api/flows/${flow.id}/dry-runs/${flow.id}`);
      expect(missing.status).toBe(404);
    });

    if (mode.name === 'embedded sqlite') {
      it('gates a change from the CLI: exit 1 with --fail-on-change, 0 without', async () => {
        const target = ['--server', app().url, '--api-key', TEST_API_KEY];
        const strict = await runCli(['flows', 'test', flow.id, '--fail-on-change', ...target]);
        const expected = ORDERS.filter(changesWithDraft).length;
        expect(strict.stdout).toContain(
          `${50 - expected} unchanged, ${expected} changed, 0 failed`,
        );
        expect(strict.stderr).toContain(`${expected} deliveries changed`);
        expect(strict.code).toBe(1);

        const lenient = await runCli([
          'flows',
          'test',
          flow.id,
          '--draft',
          '--last',
          '50',
          ...target,
        ]);
        expect(lenient.stdout).toContain(`${expected} changed, 0 failed`);
        expect(lenient.code).toBe(0);

        const both = await runCli(['flows', 'test', flow.id, '--version', '2', '--draft']);
        expect(both.code).toBe(2);
        expect(both.stderr).toContain('give --version or --draft, not both');
      });
    }
  });
});
