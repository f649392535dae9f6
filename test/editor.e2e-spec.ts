import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { ensureEditorBuilt, NON_LOOPBACK_HOST, ROOT_DIR, SCREENSHOT_DIR } from './support/browser';
import { ALL_NODE_TYPES } from '@hookflow/nodes';
import { sqlite, type TestDatabase } from './support/databases';
import {
  describeBrowser,
  expectNodesInsideCanvas,
  openSignedIn,
  startEditorSession,
  unnamedControls,
  type EditorSession,
} from './support/editor-session';
import { startTestApp, TEST_API_KEY, type TestApp } from './support/test-app';

/**
 * The flow editor in a real browser (Debian's Chromium driven by playwright-core) against the
 * real app on SQLite: build a flow by drag and drop, preview JSONata, save, enable, post to the
 * trigger and watch the run arrive live. Screenshots go to .test-output/editor/.
 */
interface NodeTypeView {
  type: string;
  outputs: string[];
  params: { type?: string; properties?: Record<string, Record<string, unknown>> };
}

interface StreamedExecution {
  id: string;
  status: string;
}

/** Reads server-sent events until `done` says so (bounded by the test timeout). */
async function readEvents(
  response: Response,
  done: (events: Array<{ event: string; data: string }>) => boolean,
): Promise<Array<{ event: string; data: string }>> {
  const events: Array<{ event: string; data: string }> = [];
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  while (!done(events)) {
    const { value, done: ended } = await reader.read();
    if (ended) break;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(frame)?.[1];
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (event && data) events.push({ event, data });
      end = buffer.indexOf('\n\n');
    }
  }
  await reader.cancel();
  return events;
}

const TWO_STEP_FLOW = {
  format: 'hookflow.flow/v1',
  name: 'two steps',
  nodes: [
    { id: 'hook', type: 'trigger.webhook', params: {} },
    { id: 'map', type: 'transform', params: { expression: '{ "n": n + 1 }' } },
  ],
  edges: [{ from: 'hook', to: 'map' }],
};

describe('editor API: node types, live executions, assets', () => {
  let database: TestDatabase;
  let hookflow: TestApp;

  beforeAll(async () => {
    ensureEditorBuilt();
    database = await sqlite.create();
    hookflow = await startTestApp(database.env);
  });
  afterAll(async () => {
    await hookflow?.close();
    await database?.drop();
  });

  it('lists every node type with its ports and params JSON Schema, behind the API key', async () => {
    expect((await hookflow.api('GET', '/api/node-types', { auth: false })).status).toBe(401);
    const answer = await hookflow.api<{ items: NodeTypeView[] }>('GET', '/api/node-types');
    expect(answer.status).toBe(200);
    expect(answer.body.items.map((item) => item.type)).toEqual(ALL_NODE_TYPES.map((t) => t.type));
    for (const item of answer.body.items) {
      expect(item).toEqual(
        expect.objectContaining({ label: expect.any(String), category: expect.any(String) }),
      );
      expect(item.params).toMatchObject({ type: 'object' });
    }
    const filter = answer.body.items.find((item) => item.type === 'filter');
    expect(filter?.outputs).toEqual(['true', 'false']);
    expect(filter?.params.properties?.condition).toMatchObject({
      'x-hookflow-expression': 'jsonata',
    });
  });

  it('streams an event when an execution of the flow starts and when it finishes', async () => {
    const flow = await hookflow.api<{ id: string; triggers: Array<{ path: string }> }>(
      'POST',
      '/api/flows',
      { body: TWO_STEP_FLOW },
    );
    const refused = await fetch(`${hookflow.url}/api/executions/stream?flowId=${flow.body.id}`);
    expect(refused.status).toBe(401);
    await refused.text();
    const stream = await fetch(`${hookflow.url}/api/executions/stream?flowId=${flow.body.id}`, {
      headers: { authorization: `Bearer ${TEST_API_KEY}` },
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const posted = hookflow.post(flow.body.triggers[0].path, JSON.stringify({ n: 1 }));
    const events = await readEvents(stream, (seen) =>
      seen.some((e) => e.event === 'execution' && e.data.includes('"succeeded"')),
    );
    expect((await posted).status).toBe(202);
    expect(events[0].event).toBe('ready');
    const statuses = events
      .filter((e) => e.event === 'execution')
      .map((e) => (JSON.parse(e.data) as StreamedExecution).status);
    expect(statuses[statuses.length - 1]).toBe('succeeded');
  });

  it('serves the editor at / with an SPA fallback; API and hook routes keep priority', async () => {
    const html = { accept: 'text/html' };
    const root = await fetch(`${hookflow.url}/`, { headers: html });
    expect(root.status).toBe(200);
    const page = await root.text();
    expect(page).toContain('<div id="root">');
    const deep = await fetch(`${hookflow.url}/flows/0b7e1f2a-1111-4222-8333-944445555666`, {
      headers: html,
    });
    expect(await deep.text()).toBe(page);
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(page)?.[1] as string;
    const asset = await fetch(hookflow.url + script);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
    expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(1000);

    const api = await fetch(`${hookflow.url}/api/nothing-here`, { headers: html });
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ error: { code: 'not_found' } });
    const hook = await fetch(`${hookflow.url}/hooks/unknown-hook`, { headers: html });
    expect(hook.headers.get('content-type')).not.toMatch(/text\/html/);
    await hook.text();
    const health = await fetch(`${hookflow.url}/health`, { headers: html });
    expect(health.headers.get('content-type')).toMatch(/json/);
    await health.text();
  });
});

const PAYMENT = JSON.parse(
  readFileSync(path.join(ROOT_DIR, 'examples/payment-succeeded.json'), 'utf8'),
) as { data: { object: { customer: string; amount: number } } };

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const overlap = (a: Box, b: Box): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

async function center(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('element has no box');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags from an output port onto `onto` (a port or a node) the way a user does, with the mouse. */
async function dragFromPort(page: Page, from: string, port: string, onto: Locator): Promise<void> {
  const source = await center(
    page.locator(`.react-flow__handle.source[data-nodeid="${from}"][data-handleid="${port}"]`),
  );
  const target = await center(onto);
  await page.mouse.move(source.x, source.y);
  await page.mouse.down();
  await page.mouse.move(target.x, target.y, { steps: 12 });
  await page.mouse.up();
}

/** Drags from an output port to an input port. */
const connect = (page: Page, from: string, port: string, to: string): Promise<void> =>
  dragFromPort(page, from, port, page.locator(`.react-flow__handle.target[data-nodeid="${to}"]`));

describeBrowser('editor (browser)', () => {
  let session: EditorSession;
  let hookflow: TestApp;
  let page: Page;
  const screenshot = (name: string) => session.screenshot(name);

  beforeAll(async () => {
    session = await startEditorSession({
      viewport: { width: 1400, height: 900 },
      permissions: ['clipboard-read', 'clipboard-write'],
      screenshotDir: SCREENSHOT_DIR,
    });
    ({ hookflow, page } = session);
  });
  afterAll(async () => {
    await session?.close();
  });

  it('builds a flow on the canvas, previews JSONata, saves, enables and watches a run live', async () => {
    await page.goto(`${hookflow.url}/`);
    await page.getByLabel('API key').fill(TEST_API_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Flows' }).waitFor();
    await screenshot('signed-in');

    await page.getByRole('button', { name: 'New flow' }).click();
    await page.getByLabel('Flow name').fill('Big payments');
    const canvas = page.locator('.react-flow__pane');
    await page.getByRole('button', { name: 'Add Webhook' }).dragTo(canvas, {
      targetPosition: { x: 130, y: 200 },
    });
    await page.getByRole('button', { name: 'Add Transform' }).dragTo(canvas, {
      targetPosition: { x: 400, y: 200 },
    });
    await page.getByRole('button', { name: 'Add Filter' }).dragTo(canvas, {
      targetPosition: { x: 560, y: 340 },
    });
    for (const id of ['trigger-webhook', 'transform', 'filter']) {
      await page.getByTestId(`node-${id}`).waitFor();
    }
    await screenshot('nodes-dropped');

    await connect(page, 'trigger-webhook', 'main', 'transform');
    await connect(page, 'transform', 'main', 'filter');
    await countIs(page.locator('.react-flow__edge'), 2);
    // A loop back is refused with its reason.
    await connect(page, 'filter', 'true', 'transform');
    await page.getByRole('alert').filter({ hasText: 'Connection refused' }).waitFor();
    expect(await page.locator('.react-flow__edge').count()).toBe(2);
    await screenshot('connected');

    await page.getByTestId('node-transform').click();
    await page.getByLabel('Sample message (JSON)').fill(JSON.stringify(PAYMENT));
    // The expression field is CodeMirror: typed into like a person types, with its own name.
    const expression = page.getByRole('textbox', { name: 'expression' });
    expect(await expression.getAttribute('id')).toBe('param-transform-expression');
    await expression.click();
    await page.keyboard.type("{ 'customer': ");
    await page
      .getByRole('status', { name: 'Preview error' })
      .filter({ hasText: 'position' })
      .waitFor();
    // The error is underlined at its position inside the field.
    await expression.getByLabel(/^Error at position \d+$/).waitFor();
    // Backspace and Ctrl+Z while typing edit the expression, never the canvas.
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Control+z');
    await countIs(page.getByTestId('node-transform'), 1);
    await countIs(page.locator('.react-flow__edge'), 2);
    await page.keyboard.press('Control+a');
    const mapping = "{ 'customer': data.object.customer, 'cents': data.object.amount }";
    await page.keyboard.type(mapping);
    expect(await expression.textContent()).toBe(mapping);
    const preview = page.getByRole('status', { name: 'Preview' });
    await preview.filter({ hasText: PAYMENT.data.object.customer }).waitFor();
    expect(await preview.textContent()).toContain(String(PAYMENT.data.object.amount));
    // JSONata is highlighted: strings and field paths get different colours.
    const colour = (text: string) =>
      expression
        .locator('span')
        .filter({ hasText: new RegExp(`^${text}$`) })
        .first()
        .evaluate((element) => element.ownerDocument.defaultView?.getComputedStyle(element).color);
    expect(await colour("'customer'")).not.toBe(await colour('amount'));
    await screenshot('jsonata-preview');

    // The filter after the transform previews against the transform's output, computed here.
    await page.getByTestId('node-filter').click();
    await page.locator('#param-filter-condition').fill('cents > 10000');
    await page
      .getByRole('region', { name: 'Node filter' })
      .getByRole('status', { name: 'Preview' })
      .filter({ hasText: 'true' })
      .waitFor();
    expect(await page.getByLabel('Preview input of filter').textContent()).toContain('"cents"');
    await page.keyboard.press('Control+s');
    await page.getByText('Saved version 1').waitFor();
    await page.waitForURL(/\/flows\/[0-9a-f-]{36}$/);
    const flowId = page.url().split('/').pop() as string;
    await page.getByLabel('Enabled').check();
    await page.getByText('Flow enabled').waitFor();
    await screenshot('saved-enabled');

    await page.getByTestId('node-trigger-webhook').click();
    await page.getByRole('button', { name: 'Copy production URL' }).click();
    const copied = String(await page.evaluate('navigator.clipboard.readText()'));
    expect(copied).toBe(await page.getByRole('textbox', { name: 'Production URL' }).inputValue());
    expect(copied).toMatch(/\/hooks\/[A-Za-z0-9_-]{32}$/);
    await screenshot('trigger-url');

    await page.getByRole('tab', { name: /Runs/ }).click();
    await page.locator('.live.on').waitFor();
    const posted = await hookflow.post(new URL(copied).pathname, JSON.stringify(PAYMENT));
    expect(posted.status).toBe(202);
    const runButton = page.getByRole('button', { name: /^Run .* succeeded$/ });
    await runButton.waitFor();
    await screenshot('run-arrived');
    await runButton.click();
    const transformOutput = page.getByRole('group', { name: 'Output of transform' });
    await transformOutput.filter({ hasText: PAYMENT.data.object.customer }).waitFor();
    expect(await page.getByRole('group', { name: 'Input of transform' }).textContent()).toContain(
      'payment_intent.succeeded',
    );
    expect(await page.getByRole('group', { name: 'Output of filter' }).textContent()).toContain(
      '25000',
    );
    await classMatches(page.getByTestId('node-transform'), /run-succeeded/);
    await screenshot('run-details');

    // "Last run": the transform previews against the input it really received.
    await page.getByRole('tab', { name: 'Node' }).click();
    await page.getByTestId('node-transform').click();
    await page.getByRole('radio', { name: 'Last run' }).check();
    await page
      .getByRole('status', { name: 'Preview input status' })
      .filter({ hasText: /^Input of transform in run / })
      .waitFor();
    await page
      .getByRole('status', { name: 'Preview' })
      .filter({ hasText: PAYMENT.data.object.customer })
      .waitFor();
    await page.getByRole('radio', { name: 'Pasted JSON' }).check();
    await page
      .getByLabel('Input of transform (JSON)')
      .fill(JSON.stringify({ data: { object: { customer: 'cus_pasted', amount: 1 } } }));
    await page.getByRole('status', { name: 'Preview' }).filter({ hasText: 'cus_pasted' }).waitFor();
    await screenshot('preview-sources');
    await page.getByRole('radio', { name: /^Trigger sample/ }).check();
    await page.getByRole('tab', { name: /Runs/ }).click();
    expect(await unnamedControls(page)).toEqual([]);

    // Replaying the run's delivery adds a second run to the live list and opens it.
    await page.getByRole('button', { name: 'Retry with original version' }).waitFor();
    await page.getByRole('button', { name: 'Replay', exact: true }).click();
    await countIs(page.getByRole('button', { name: /^Run [0-9a-f-]{36} / }), 2);
    await page.getByRole('button', { name: /^Run .* succeeded$/, pressed: true }).waitFor();
    await countIs(page.getByRole('button', { name: /^Run .* succeeded$/ }), 2);
    await screenshot('run-replayed');

    const runs = await hookflow.api<{ total: number }>('GET', `/api/executions?flowId=${flowId}`);
    expect(runs.body.total).toBe(2);

    // Editing the flow (here: moving a node) clears the run's colours from the canvas.
    await classMatches(page.getByTestId('node-filter'), /run-succeeded/);
    const filterAt = await center(page.getByTestId('node-filter'));
    await page.mouse.move(filterAt.x, filterAt.y);
    await page.mouse.down();
    await page.mouse.move(filterAt.x + 40, filterAt.y + 30, { steps: 6 });
    await page.mouse.up();
    await classMatches(page.getByTestId('node-filter'), /^(?!.*\brun-)/);
    expect(await page.locator('.flow-node[class*="run-"]').count()).toBe(0);
    await page.keyboard.press('Control+s');
    await page.getByText('Saved version 2').waitFor();
  });

  it('shows API validation problems on the node, deletes with the keyboard and undoes', async () => {
    await openSignedIn(page, `${hookflow.url}/flows/new`);
    await page.getByRole('button', { name: 'Add Webhook' }).click();
    await page.getByRole('button', { name: 'Add Transform' }).click();
    await connect(page, 'trigger-webhook', 'main', 'transform');
    await countIs(page.locator('.react-flow__edge'), 1);
    // The transform has no expression: the API refuses with /nodes/1/params/expression.
    await page.keyboard.press('Control+s');
    await page.getByRole('alert').filter({ hasText: 'Not saved' }).waitFor();
    await classMatches(page.getByTestId('node-transform'), /has-problems/);
    expect(await page.getByTestId('node-transform').textContent()).toMatch(/expression/);
    const panel = page.getByRole('region', { name: 'Node transform' });
    await panel.locator('.field-error').first().waitFor();
    await screenshot('validation-problem');

    await page.getByTestId('node-transform').click();
    await classMatches(page.getByTestId('node-transform'), /\bselected\b/);
    await page.keyboard.press('Delete');
    await countIs(page.getByTestId('node-transform'), 0);
    await countIs(page.locator('.react-flow__edge'), 0);
    await page.keyboard.press('Control+z');
    await countIs(page.getByTestId('node-transform'), 1);
    await countIs(page.locator('.react-flow__edge'), 1);
    await screenshot('undo-delete');
  });

  it('smooths the rough edges: trigger drops, tabs, notices, errors, ports, favicon, public URL', async () => {
    const missing: string[] = [];
    page.on('response', (response) => {
      if (response.status() === 404) missing.push(new URL(response.url()).pathname);
    });
    await openSignedIn(page, `${hookflow.url}/flows/new`);
    const icon = await page.locator('link[rel="icon"]').getAttribute('href');
    const iconAnswer = await fetch(new URL(icon as string, hookflow.url));
    expect([iconAnswer.status, iconAnswer.headers.get('content-type')]).toEqual([
      200,
      'image/svg+xml',
    ]);
    await iconAnswer.text();
    await page.getByRole('button', { name: 'Add Webhook' }).click();
    await page.getByRole('button', { name: 'Add Transform' }).click();
    await page.getByRole('button', { name: 'Add Filter' }).click();
    await page.getByRole('button', { name: 'Auto-layout' }).click();

    // A connection dropped onto the trigger says why it is refused, then the notice goes away.
    await dragFromPort(page, 'transform', 'main', page.getByTestId('node-trigger-webhook'));
    const refused = page.getByRole('alert').filter({ hasText: 'a trigger starts the flow' });
    await refused.waitFor();
    await refused.waitFor({ state: 'detached', timeout: 15_000 });
    expect(await page.locator('.react-flow__edge').count()).toBe(0);
    // Dropped onto a node's body (not its port), the connection is made.
    await dragFromPort(page, 'transform', 'main', page.getByTestId('node-filter'));
    await countIs(page.locator('.react-flow__edge'), 1);

    // The filter's port labels sit inside the node, whole.
    const filterBox = (await page.getByTestId('node-filter').boundingBox()) as Box;
    for (const port of ['true', 'false']) {
      const label = page.getByTestId('node-filter').locator('.port-label', { hasText: port });
      const box = (await label.boundingBox()) as Box;
      expect(box.x).toBeGreaterThanOrEqual(filterBox.x);
      expect(box.x + box.width).toBeLessThanOrEqual(filterBox.x + filterBox.width);
      expect(await label.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(
        true,
      );
    }

    // With the Runs tab open, clicking a node shows its settings.
    await page.getByRole('tab', { name: /Runs/ }).click();
    await page.getByTestId('node-transform').click();
    await page.getByRole('region', { name: 'Node transform' }).waitFor();
    expect(await page.getByRole('tab', { name: 'Node' }).getAttribute('aria-selected')).toBe(
      'true',
    );

    // A long preview error wraps inside the panel instead of being cut off.
    await page.getByRole('textbox', { name: 'expression' }).click();
    await page.keyboard.type(`$substring("${'x'.repeat(120)}", `);
    const error = page.getByRole('status', { name: 'Preview error' });
    await error.waitFor();
    expect(await error.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(
      true,
    );
    await screenshot('rough-edges');

    // Info notices go by themselves too.
    await page.keyboard.press('Control+a');
    await page.keyboard.type('{ "n": 1 }');
    await page.locator('#param-filter-condition').waitFor({ state: 'detached' });
    await page.getByTestId('node-filter').click();
    await page.locator('#param-filter-condition').fill('n > 0');
    await page.getByLabel('Flow name').fill('Rough edges');
    await page.keyboard.press('Control+s');
    const saved = page.getByRole('status').filter({ hasText: 'Saved version 1' });
    await saved.waitFor();
    await saved.waitFor({ state: 'detached', timeout: 15_000 });
    const flowId = page.url().split('/').pop() as string;

    // Opened at 127.0.0.1 the localhost hook URLs are fine; opened at a server's name they are
    // not, and the trigger panel says how to fix it.
    await page.getByTestId('node-trigger-webhook').click();
    await page.getByRole('textbox', { name: 'Production URL' }).waitFor();
    expect(await page.getByRole('alert', { name: 'Public URL warning' }).count()).toBe(0);
    const remote = hookflow.url.replace('127.0.0.1', NON_LOOPBACK_HOST);
    await openSignedIn(page, `${remote}/flows/${flowId}`);
    await page.getByTestId('node-trigger-webhook').click();
    const warning = page.getByRole('alert', { name: 'Public URL warning' });
    await warning.waitFor();
    expect(await warning.textContent()).toContain(`HOOKFLOW_PUBLIC_URL=${remote}`);
    await screenshot('public-url-warning');

    // While the stats load, the flow list says so rather than "never".
    let releaseStats: () => void = () => undefined;
    const statsHeld = new Promise<void>((resolve) => (releaseStats = resolve));
    await page.route('**/api/executions?**', async (route) => {
      await statsHeld;
      await route.continue();
    });
    await openSignedIn(page, `${hookflow.url}/`);
    const row = page
      .getByRole('table', { name: 'Flows' })
      .getByRole('row', { name: /Rough edges/ });
    await row.getByText('Loading…').waitFor();
    expect(await row.textContent()).not.toContain('never');
    releaseStats();
    await row.getByText('never').waitFor();
    await page.unroute('**/api/executions?**');
    expect(missing).toEqual([]);
  });

  it('renders node forms from the published param docs: labels, help, units, selects, validation', async () => {
    await openSignedIn(page, `${hookflow.url}/flows/new`);
    // Import placeholders are not offered; every node type has its icon in its category colour.
    await page.getByRole('button', { name: 'Add Webhook' }).waitFor();
    expect(await page.getByRole('button', { name: /^Add Unsupported/ }).count()).toBe(0);
    const palette = page.getByRole('complementary', { name: 'Node types' });
    expect(await palette.locator('.palette-item svg[data-icon="globe"]').count()).toBe(1);
    await page.getByRole('button', { name: 'Add HTTP request' }).click();
    const node = page.getByTestId('node-http-request');
    expect(await node.locator('svg[data-icon="globe"]').count()).toBe(1);
    expect(await node.getAttribute('class')).toContain('category-action');

    const panel = page.getByRole('region', { name: 'Node http-request' });
    expect(await panel.getByLabel('Method').locator('option').allTextContents()).toEqual(
      expect.arrayContaining(['GET', 'POST', 'DELETE']),
    );
    await panel.getByLabel('URL').waitFor();
    expect(await panel.getByText('e.g. https://api.example.com/orders/{{id}}').count()).toBe(0);
    const timeout = panel.getByLabel('Timeout');
    expect(await timeout.getAttribute('type')).toBe('number');
    expect(
      await panel.locator(`#${await timeout.getAttribute('aria-describedby')}`).textContent(),
    ).toBe('ms');
    // Out of range: the message is next to the field, before saving.
    await timeout.fill('50');
    const timeoutProperty = panel
      .locator('.property')
      .filter({ has: page.getByLabel('Timeout', { exact: true }) });
    await timeoutProperty
      .getByRole('note')
      .filter({ hasText: 'Must be at least 100 milliseconds' })
      .waitFor();
    await timeout.fill('5000');
    await countIs(timeoutProperty.getByRole('note'), 0);
    // Headers are key/value rows.
    const headers = panel.getByRole('group', { name: 'Headers' });
    await headers.getByRole('button', { name: /^Add headers entry/ }).click();
    await headers.getByLabel('Headers key 1').fill('X-Source');
    await headers.getByLabel('Headers value 1').fill('hookflow');
    // The credential is picked from the credentials that exist.
    await panel.getByText('Settings').click();
    const credential = panel.getByLabel('Credential');
    expect(await credential.evaluate((element) => element.tagName)).toBe('SELECT');
    expect(await credential.locator('option').first().textContent()).toBe('(none)');
    expect(await unnamedControls(page)).toEqual([]);
    await screenshot('node-form');
  });

  it('imports every example flow through the UI and opens it fitted, without overlapping nodes', async () => {
    const examples = readdirSync(path.join(ROOT_DIR, 'examples'))
      .filter((file) => file.endsWith('.json'))
      .map((file) => ({
        file,
        document: JSON.parse(readFileSync(path.join(ROOT_DIR, 'examples', file), 'utf8')) as {
          format?: string;
          nodes: Array<{ id: string }>;
        },
      }))
      .filter((example) => example.document.format === 'hookflow.flow/v1');
    expect(examples.length).toBeGreaterThan(0);

    const imports = examples.flatMap((example) => [
      { ...example, how: 'file' },
      { ...example, how: 'paste' },
    ]);
    for (const example of imports) {
      await openSignedIn(page, `${hookflow.url}/`);
      if (example.how === 'file') {
        await page
          .getByLabel('Import from file')
          .setInputFiles(path.join(ROOT_DIR, 'examples', example.file));
      } else {
        await page.getByLabel('Or paste flow JSON').fill(JSON.stringify(example.document));
        await page.getByRole('button', { name: 'Import pasted JSON' }).click();
      }
      await page.waitForURL(/\/flows\/[0-9a-f-]{36}$/);
      // Every node inside the visible canvas, without touching the view controls.
      const nodeIds = example.document.nodes.map((node) => node.id);
      await expectNodesInsideCanvas(page, nodeIds);
      if (example.how === 'file') {
        // Opened again by its address (a fresh page load), it is fitted again.
        await page.reload();
        await expectNodesInsideCanvas(page, nodeIds);
      }
      const boxes: Box[] = [];
      for (const node of example.document.nodes) {
        const box = await page.getByTestId(`node-${node.id}`).boundingBox();
        expect(box).not.toBeNull();
        boxes.push(box as Box);
      }
      boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => expect(overlap(a, b)).toBe(false)));
      await screenshot(`import-${example.how}-${example.file.replace(/\.json$/, '')}`);
    }
  });
  it('lists flows with their last run and failures; enables, renames, exports and deletes', async () => {
    await openSignedIn(page, `${hookflow.url}/`);
    const flows = page.getByRole('table', { name: 'Flows' });
    const bigPayments = flows.getByRole('row').filter({ hasText: 'Big payments' });
    await bigPayments.getByText('succeeded').waitFor();
    expect(await bigPayments.getByRole('cell').nth(3).textContent()).toBe('0');
    const imported = flows.getByRole('row').filter({ hasText: 'Stripe payment' }).first();
    const enable = imported.getByRole('checkbox');
    expect(await enable.isChecked()).toBe(false);
    await enable.check();
    await screenshot('flow-list');
    expect(await unnamedControls(page)).toEqual([]);

    page.once('dialog', (dialog) => void dialog.accept('Renamed flow'));
    await imported.getByRole('button', { name: /^Rename/ }).click();
    const renamed = flows.getByRole('row').filter({ hasText: 'Renamed flow' });
    await renamed.waitFor();
    expect(await renamed.getByRole('checkbox').isChecked()).toBe(true);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      renamed.getByRole('button', { name: /^Export/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('Renamed-flow.json');
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8')) as { name: string };
    expect(exported.name).toBe('Renamed flow');

    page.once('dialog', (dialog) => void dialog.accept());
    await renamed.getByRole('button', { name: /^Delete/ }).click();
    await countIs(flows.getByRole('row').filter({ hasText: 'Renamed flow' }), 0);
  });
  it('previews against the sample captured on the test URL and guards unsaved changes', async () => {
    const flow = await hookflow.api<{ id: string; triggers: Array<{ testPath: string }> }>(
      'POST',
      '/api/flows',
      { body: { ...TWO_STEP_FLOW, name: 'captured sample' } },
    );
    await openSignedIn(page, `${hookflow.url}/flows/${flow.body.id}`);
    const captured = await hookflow.post(flow.body.triggers[0].testPath, JSON.stringify({ n: 41 }));
    expect(captured.status).toBe(202);
    await page.getByTestId('node-map').click();
    await page.getByRole('button', { name: 'Use captured sample' }).click();
    await page.getByText(/^Captured /).waitFor();
    expect(await page.getByLabel('Sample message (JSON)').inputValue()).toContain('41');
    await page.getByRole('status', { name: 'Preview' }).filter({ hasText: '42' }).waitFor();
    await screenshot('captured-sample');

    await page.getByTestId('node-hook').click();
    await page.getByRole('button', { name: 'Listen for a test event' }).click();
    await page
      .getByRole('status', { name: 'Listening status' })
      .filter({ hasText: /^Listening/ })
      .waitFor();
    await page.getByRole('button', { name: 'Stop listening' }).waitFor();
    const listened = await hookflow.post(flow.body.triggers[0].testPath, JSON.stringify({ n: 99 }));
    expect(listened.status).toBe(202);
    await page
      .getByRole('group', { name: 'Captured body' })
      .filter({ hasText: '99' })
      .waitFor({ timeout: 15_000 });
    expect(await page.getByRole('group', { name: 'Captured headers' }).textContent()).toContain(
      'content-type',
    );
    await screenshot('listened-test-event');
    expect(await unnamedControls(page)).toEqual([]);
    await page.getByRole('button', { name: 'Use as preview sample' }).click();
    expect(await page.getByLabel('Sample message (JSON)').inputValue()).toContain('99');

    await page.getByLabel('Flow name').fill('captured sample, edited');
    page.once('dialog', (dialog) => void dialog.dismiss());
    await page.getByRole('button', { name: '← Flows' }).click();
    expect(page.url()).toMatch(new RegExp(`/flows/${flow.body.id}$`));
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: '← Flows' }).click();
    await page.getByRole('heading', { name: 'Flows' }).waitFor();
  });
  it('edits switch rules (add, reorder, remove) with a port per rule and an `error` port', async () => {
    await openSignedIn(page, `${hookflow.url}/flows/new`);
    await page.getByRole('button', { name: 'Add Switch' }).click();
    await page.getByRole('button', { name: 'Add Transform' }).click();
    await page.getByTestId('node-switch').click();
    const rules = page.getByRole('group', { name: 'Rules' });
    await rules.getByRole('button', { name: 'Add rule' }).click();
    await rules.getByLabel('Port of rule 1').fill('eu');
    await page.getByRole('textbox', { name: 'Condition of rule 1' }).fill("country = 'DE'");
    await rules.getByRole('button', { name: 'Add rule' }).click();
    await rules.getByLabel('Port of rule 2').fill('us');
    await page.getByRole('textbox', { name: 'Condition of rule 2' }).fill("country = 'US'");
    const port = (node: string, name: string) =>
      page.locator(`.react-flow__handle.source[data-nodeid="${node}"][data-handleid="${name}"]`);
    await countIs(port('switch', 'eu'), 1);
    await countIs(port('switch', 'us'), 1);
    await countIs(port('switch', 'default'), 1);
    // A port two rules share is named as a problem at once.
    await rules.getByLabel('Port of rule 2').fill('eu');
    await rules.getByRole('note').filter({ hasText: 'Another rule has this port' }).waitFor();
    await rules.getByLabel('Port of rule 2').fill('us');
    await countIs(rules.getByRole('note'), 0);

    await rules.getByRole('button', { name: 'Move rule 2 up' }).click();
    expect(await rules.getByLabel('Port of rule 1').inputValue()).toBe('us');
    await page
      .getByRole('textbox', { name: 'Condition of rule 1' })
      .filter({ hasText: "country = 'US'" })
      .waitFor();
    expect(await page.getByRole('textbox', { name: 'Condition of rule 2' }).textContent()).toBe(
      "country = 'DE'",
    );
    await screenshot('switch-rules');
    expect(await unnamedControls(page)).toEqual([]);
    await rules.getByRole('button', { name: 'Remove rule 1' }).click();
    await countIs(port('switch', 'us'), 0);
    expect(await rules.getByLabel('Port of rule 1').inputValue()).toBe('eu');
    await connect(page, 'switch', 'eu', 'transform');
    await countIs(page.locator('.react-flow__edge'), 1);

    await page.getByTestId('node-transform').click();
    await page.getByText('Settings').click();
    await page.getByLabel('On error').selectOption('route');
    await countIs(port('transform', 'error'), 1);
    await screenshot('switch-ports');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: '← Flows' }).click();
  });
  it('sets sender verification and the response mode of a trigger with forms', async () => {
    const credential = await hookflow.api('POST', '/api/credentials', {
      body: { name: 'stripe-signing', type: 'hmac-secret', data: { secrets: ['whsec_test'] } },
    });
    expect(credential.status).toBe(201);
    const flow = await hookflow.api<{ id: string; triggers: Array<{ path: string }> }>(
      'POST',
      '/api/flows',
      { body: { ...TWO_STEP_FLOW, name: 'trigger forms' } },
    );
    await openSignedIn(page, `${hookflow.url}/flows/${flow.body.id}`);
    await page.getByTestId('node-hook').click();
    const response = page.getByRole('group', { name: 'Response' });
    await response.getByLabel('respond').selectOption('when-finished');
    await response.getByLabel('Response timeout').fill('5000');
    const auth = page.getByRole('group', { name: 'Sender verification' });
    const scheme = auth.getByLabel('Provider / scheme');
    // The providers come from the trigger's params schema.
    expect(await scheme.locator('option').allTextContents()).toEqual(
      expect.arrayContaining(['github', 'stripe', 'slack', 'shopify', 'hmac', 'basic-auth']),
    );
    await scheme.selectOption('stripe');
    await auth.getByLabel('Credential').selectOption('stripe-signing');
    await auth.getByLabel('Timestamp tolerance').fill('600');
    // Fields of other schemes are not offered for stripe.
    expect(await auth.getByLabel('Timestamp header').count()).toBe(0);
    expect(await unnamedControls(page)).toEqual([]);
    await screenshot('trigger-auth-form');
    await page.keyboard.press('Control+s');
    await page.getByText('Saved version 2').waitFor();

    const saved = await hookflow.api<{ document: { nodes: Array<{ params: unknown }> } }>(
      'GET',
      `/api/flows/${flow.body.id}`,
    );
    expect(saved.body.document.nodes[0].params).toEqual({
      respond: 'when-finished',
      timeoutMs: 5000,
      auth: { scheme: 'stripe', credential: 'stripe-signing', toleranceSeconds: 600 },
    });
    // The form's settings are live: an unsigned delivery is refused.
    expect((await hookflow.post(flow.body.triggers[0].path, JSON.stringify({ n: 1 }))).status).toBe(
      401,
    );
    expect((await hookflow.api('DELETE', `/api/flows/${flow.body.id}`)).status).toBe(204);
  });
  it('adds a credential (secrets masked), refuses an unknown type and deletes it', async () => {
    await openSignedIn(page, `${hookflow.url}/`);
    await page.getByRole('button', { name: 'Credentials' }).click();
    const form = page.getByRole('form', { name: 'Add a credential' });
    await form.getByLabel(/^Name/).fill('api-token');
    await form.getByLabel(/^Type/).fill('no-such-type');
    await form.getByLabel(/^Secret fields/).fill(JSON.stringify({ token: 's3cret-value-123' }));
    await form.getByRole('button', { name: 'Add credential' }).click();
    await page.getByRole('alert').filter({ hasText: 'type' }).waitFor();
    await form.getByLabel(/^Type/).fill('http-bearer');
    await form.getByRole('button', { name: 'Add credential' }).click();
    const table = page.getByRole('table', { name: 'Credentials' });
    await table.getByRole('row').filter({ hasText: 'api-token' }).waitFor();
    expect(await page.content()).not.toContain('s3cret-value-123');
    // "Used by": flows whose nodes name the credential.
    const user = await hookflow.api<{ id: string }>('POST', '/api/flows', {
      body: {
        ...TWO_STEP_FLOW,
        name: 'uses api-token',
        nodes: [TWO_STEP_FLOW.nodes[0], { ...TWO_STEP_FLOW.nodes[1], credential: 'api-token' }],
      },
    });
    expect(user.status).toBe(201);
    await openSignedIn(page, `${hookflow.url}/credentials`);
    await table
      .getByRole('row')
      .filter({ hasText: 'api-token' })
      .getByRole('cell')
      .filter({ hasText: 'uses api-token' })
      .waitFor();
    expect(await unnamedControls(page)).toEqual([]);
    await screenshot('credentials');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete credential api-token' }).click();
    await countIs(table.getByRole('row').filter({ hasText: 'api-token' }), 0);
    expect((await hookflow.api('DELETE', `/api/flows/${user.body.id}`)).status).toBe(204);
  });
  it('shows a conflicting save in a dialog, keeps both sides, diffs, restores and publishes', async () => {
    interface FlowBody {
      id: string;
      name: string;
      version: number;
      publishedVersion: number;
      document: { nodes: Array<{ id: string; params: { expression?: string } }> };
    }
    const flow = await hookflow.api<FlowBody>('POST', '/api/flows', {
      body: { ...TWO_STEP_FLOW, name: 'versioned' },
    });
    const id = flow.body.id;
    const withExpression = (expression: string, name = 'versioned') => ({
      ...TWO_STEP_FLOW,
      name,
      nodes: [TWO_STEP_FLOW.nodes[0], { ...TWO_STEP_FLOW.nodes[1], params: { expression } }],
    });
    await openSignedIn(page, `${hookflow.url}/flows/${id}`);
    await page.getByText('Version 1', { exact: true }).waitFor();

    // Someone else saves version 2 while this tab still edits version 1.
    const theirs = await hookflow.api<FlowBody>('PUT', `/api/flows/${id}`, {
      body: { ...withExpression('{ "n": n + 2 }'), baseVersion: 1, message: 'their change' },
    });
    expect(theirs.body.version).toBe(2);
    await page.getByTestId('node-map').click();
    await page.getByRole('textbox', { name: 'expression' }).fill('{ "n": n * 10 }');
    await page.getByLabel('Version message').fill('my change');
    await page.keyboard.press('Control+s');
    const dialog = page.getByRole('dialog', { name: 'Someone else saved this flow' });
    await dialog.filter({ hasText: 'their change' }).waitFor();
    const diff = dialog.getByRole('region', { name: 'Their version against yours' });
    expect(await diff.textContent()).toContain('n + 2');
    expect(await diff.textContent()).toContain('n * 10');
    expect(await unnamedControls(page)).toEqual([]);
    await screenshot('version-conflict');
    await dialog.getByRole('button', { name: 'Save mine on top of theirs' }).click();
    await page.getByText('Saved version 3').waitFor();
    await countIs(dialog, 0);
    const afterOverwrite = await hookflow.api<FlowBody>('GET', `/api/flows/${id}`);
    expect(afterOverwrite.body.document.nodes[1].params.expression).toBe('{ "n": n * 10 }');

    // Again, and this time mine goes to a new flow: their version stays as it is.
    await hookflow.api('PUT', `/api/flows/${id}`, {
      body: { ...withExpression('{ "n": n + 4 }'), baseVersion: 3, message: 'theirs again' },
    });
    await page.getByLabel('Flow name').fill('versioned, mine');
    await page.keyboard.press('Control+s');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Save mine as a new flow' }).click();
    await page.waitForURL(
      (url) => /\/flows\/[0-9a-f-]{36}$/.test(url.pathname) && !url.pathname.endsWith(id),
    );
    await page.getByText('Version 1', { exact: true }).waitFor();
    expect(await page.getByLabel('Flow name').inputValue()).toBe('versioned, mine (my copy)');
    const original = await hookflow.api<FlowBody>('GET', `/api/flows/${id}`);
    expect(original.body).toMatchObject({ name: 'versioned', version: 4 });

    // The history: authors, messages, published; diff two versions; restore one as a draft.
    await openSignedIn(page, `${hookflow.url}/flows/${id}`);
    await page.getByRole('tab', { name: 'Versions' }).click();
    const versions = page.getByRole('region', { name: 'Versions' });
    const version = (n: number) => versions.getByRole('listitem', { name: `Version ${n}` });
    await version(4).filter({ hasText: 'published' }).waitFor();
    expect(await version(3).textContent()).toContain('my change');
    expect(await version(2).textContent()).toContain('their change');
    await versions.getByLabel('From').selectOption('1');
    await versions.getByLabel('to', { exact: true }).selectOption('3');
    await versions.getByRole('button', { name: 'Compare' }).click();
    const compared = versions.getByRole('region', { name: 'Diff of version 1 and 3' });
    await compared.filter({ hasText: 'n * 10' }).waitFor();
    expect(await compared.textContent()).toContain('n + 1');
    await version(1).getByRole('button', { name: 'Restore v1 as draft' }).click();
    await page.getByText('Version 1 restored as draft version 5').waitFor();
    await page.getByText('Version 5 (draft; v4 published)').waitFor();
    const restored = await hookflow.api<FlowBody>('GET', `/api/flows/${id}`);
    expect(restored.body).toMatchObject({ version: 5, publishedVersion: 4 });
    expect(restored.body.document.nodes[1].params.expression).toBe('{ "n": n + 1 }');
    await version(5).filter({ hasText: 'draft' }).waitFor();
    await screenshot('versions');
    expect(await unnamedControls(page)).toEqual([]);
    await version(5).getByRole('button', { name: 'Publish v5' }).click();
    await page.getByText('Version 5 published').waitFor();
    const published = await hookflow.api<FlowBody>('GET', `/api/flows/${id}`);
    expect(published.body.publishedVersion).toBe(5);
    await page.getByRole('tab', { name: 'Node' }).click();
    await page.getByTestId('node-map').click();
    expect(await page.getByRole('textbox', { name: 'expression' }).textContent()).toBe(
      '{ "n": n + 1 }',
    );
  });
});

/** Waits (bounded) until a locator matches: playwright-core ships no assertion library. */
async function waitUntil(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const countIs = (locator: Locator, count: number) =>
  waitUntil(async () => (await locator.count()) === count, `${count} of ${locator}`);

const classMatches = (locator: Locator, pattern: RegExp) =>
  waitUntil(async () => pattern.test((await locator.getAttribute('class')) ?? ''), `${pattern}`);
