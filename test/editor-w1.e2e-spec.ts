import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { ROOT_DIR } from './support/browser';
import {
  describeBrowser,
  openSignedIn,
  startEditorSession,
  unnamedControls,
  type EditorSession,
} from './support/editor-session';
import { startSink, type Sink } from './support/sink';
import type { TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

/**
 * W1 (webhook → transform → filter → HTTP request) built in the browser as a new user builds it:
 * every node after the trigger comes from a "+" and its searchable picker (no edge is dragged),
 * forms are filled by their visible labels, `data.object.amount` is inserted by autocomplete;
 * then save, enable, post, and read the run: its path on the canvas and the transform's output
 * as a table. Screenshots go to .test-output/editor-w1/; with HOOKFLOW_DOC_IMAGES=1 the four the
 * README shows are copied to docs/images/.
 */
const SCREENSHOTS = path.join(ROOT_DIR, '.test-output/editor-w1');
const DOC_IMAGES = path.join(ROOT_DIR, 'docs/images');
const PAYMENT = JSON.parse(
  readFileSync(path.join(ROOT_DIR, 'examples/payment-succeeded.json'), 'utf8'),
) as { data: { object: { customer: string; amount: number } } };

/** Adds the next node with the "+" after `after` (and `port`): search, arrow, Enter. */
async function addAfter(page: Page, after: string, search: string): Promise<void> {
  await page.getByRole('button', { name: `Add a node after ${after}`, exact: true }).click();
  const node = after.split(' ')[0];
  const picker = page.getByRole('dialog', { name: new RegExp(`^Add a node after ${node}\\b`) });
  const field = picker.getByRole('combobox', { name: 'Search node types to add' });
  // Focus starts in the search: typing goes straight into it.
  expect(await field.evaluate((element) => element === element.ownerDocument.activeElement)).toBe(
    true,
  );
  await page.keyboard.type(search);
  await page.keyboard.press('Enter');
  await picker.waitFor({ state: 'detached' });
}

/** Types into a CodeMirror expression field found by its visible label. */
async function typeInto(field: Locator, text: string): Promise<void> {
  await field.click();
  await field.page().keyboard.type(text);
}

describeBrowser('editor: build W1 with the "+" picker (browser)', () => {
  let session: EditorSession;
  let hookflow: TestApp;
  let page: Page;
  let sink: Sink;
  const shots = new Map<string, string>();
  let shot = 0;
  const screenshot = async (name: string) => {
    shot += 1;
    const file = path.join(SCREENSHOTS, `${String(shot).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file });
    shots.set(name, file);
  };

  beforeAll(async () => {
    sink = await startSink();
    session = await startEditorSession({
      viewport: { width: 1400, height: 900 },
      screenshotDir: SCREENSHOTS,
    });
    ({ hookflow, page } = session);
  });
  afterAll(async () => {
    await session?.close();
    await sink?.close();
  });

  it('builds, saves, enables and runs W1, then shows the run path and the output table', async () => {
    await openSignedIn(page, `${hookflow.url}/`);
    await page.getByRole('button', { name: 'New flow' }).click();
    await page.getByLabel('Flow name').fill('W1: big payments');
    await page.getByRole('button', { name: 'Add Webhook' }).click();
    await page.getByLabel('Sample message (JSON)').fill(JSON.stringify(PAYMENT));

    // Transform, from the "+" after the trigger; its panel opens at once.
    await addAfter(page, 'trigger-webhook', 'transf');
    const transform = page.getByRole('region', { name: 'Node transform' });
    const expression = transform.getByRole('textbox', { name: 'Expression' });
    await typeInto(expression, "{ 'customer': data.object.customer, 'cents': data.object.am");
    const suggestions = page.getByRole('listbox', { name: 'Suggestions for Expression' });
    await suggestions.getByRole('option', { name: /^data\.object\.amount/ }).waitFor();
    await screenshot('node-form');
    await page.keyboard.press('Enter');
    await page.keyboard.type(' }');
    expect(await expression.textContent()).toBe(
      "{ 'customer': data.object.customer, 'cents': data.object.amount }",
    );
    await transform
      .getByRole('status', { name: 'Preview' })
      .filter({ hasText: String(PAYMENT.data.object.amount) })
      .waitFor();

    // Filter after the transform, HTTP request after the filter's `true`.
    await addAfter(page, 'transform', 'filter');
    const filter = page.getByRole('region', { name: 'Node filter' });
    await typeInto(filter.getByRole('textbox', { name: 'Condition' }), 'cents > 10000');
    await addAfter(page, 'filter true', 'http');
    const request = page.getByRole('region', { name: 'Node http-request' });
    await request.getByLabel('Method').selectOption('POST');
    await typeInto(request.getByRole('textbox', { name: 'URL' }), `${sink.url}/payments`);
    await request.getByLabel('Timeout').fill('5000');
    expect(await page.locator('.react-flow__edge').count()).toBe(3);
    expect(await unnamedControls(page)).toEqual([]);

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved version 1').waitFor();
    await page.getByLabel('Enabled').check();
    await page.getByText('Flow enabled').waitFor();
    await screenshot('canvas');

    await page.getByTestId('node-trigger-webhook').click();
    const url = await page.getByRole('textbox', { name: 'Production URL' }).inputValue();
    const hookPath = new URL(url).pathname;
    // Another event (its own id: Stripe's event id is the delivery's dedup key), a small amount.
    const small = {
      ...PAYMENT,
      id: 'evt_small_payment',
      data: { object: { ...PAYMENT.data.object, amount: 900 } },
    };
    expect((await hookflow.post(hookPath, JSON.stringify(small))).status).toBe(202);
    expect((await hookflow.post(hookPath, JSON.stringify(PAYMENT))).status).toBe(202);
    await waitFor('the payment at the payments API', async () =>
      sink.received.length === 1 ? true : undefined,
    );
    expect(JSON.parse(sink.received[0].body)).toEqual({
      customer: PAYMENT.data.object.customer,
      cents: PAYMENT.data.object.amount,
    });

    await page.getByRole('tab', { name: /Runs/ }).click();
    const runs = page.getByRole('button', { name: /^Run .* succeeded$/ });
    await waitFor('both runs in the list', async () =>
      (await runs.count()) === 2 ? true : undefined,
    );
    // Each run says what started it and how long it took; the list filters by status.
    const list = page.getByRole('region', { name: 'Runs' }).locator('.run-list');
    await list.getByText('payment_intent.succeeded').nth(1).waitFor();
    expect(await list.locator('.run-duration').allTextContents()).toEqual([
      expect.stringMatching(/^\d+(\.\d)? m?s$/),
      expect.stringMatching(/^\d+(\.\d)? m?s$/),
    ]);
    await page.getByLabel('Status').selectOption('failed');
    await waitFor('no failed runs listed', async () =>
      (await runs.count()) === 0 ? true : undefined,
    );
    await page.getByLabel('Status').selectOption('succeeded');
    await waitFor('both runs again', async () => ((await runs.count()) === 2 ? true : undefined));
    await screenshot('run-list');
    // The newest run is first: the big payment, which went all the way.
    await runs.first().click();
    const taken = page.locator('.react-flow__edge.run-path');
    await waitFor('the run path on three edges', async () =>
      (await taken.count()) === 3 ? true : undefined,
    );
    for (const edge of await taken.all()) expect(await edge.textContent()).toContain('1 item');

    const output = page.getByRole('table', { name: 'Output of transform (table)' });
    expect(await output.locator('th').allTextContents()).toEqual(['customer', 'cents']);
    expect(await output.locator('tbody tr').first().locator('td').allTextContents()).toEqual([
      PAYMENT.data.object.customer,
      String(PAYMENT.data.object.amount),
    ]);
    await screenshot('run-view');

    // The small payment stopped at the filter: the request edge is not on its path.
    await runs.nth(1).click();
    await waitFor('the small payment path', async () =>
      (await taken.count()) === 2 ? true : undefined,
    );

    // A field of the transform's input in that run, dragged into its expression, inserts its path.
    await page.getByRole('tab', { name: 'Node' }).click();
    await page.getByTestId('node-transform').click();
    const input = page
      .getByRole('region', { name: 'Step transform' })
      .getByRole('group', { name: 'Input of transform' });
    await input.getByText('Schema', { exact: true }).click();
    const currency = input.locator('.field-path', { hasText: /^data\.object\.currency$/ });
    // Notices leave by themselves and shift the page: drag once the layout is still.
    await page.locator('.notice').waitFor({ state: 'detached', timeout: 15_000 });
    await expression.scrollIntoViewIfNeeded();
    await currency.dragTo(expression);
    await waitFor('the dragged path in the expression', async () =>
      (await expression.textContent())?.includes('data.object.currency') ? true : undefined,
    );

    // When the payments API fails, the failed node says what happened and how to fix it.
    sink.reply(() => ({ status: 500, body: { error: 'down' } }));
    const failing = { ...PAYMENT, id: 'evt_api_down' };
    expect((await hookflow.post(hookPath, JSON.stringify(failing))).status).toBe(202);
    await page.getByRole('tab', { name: /Runs/ }).click();
    await page.getByLabel('Status').selectOption('all');
    const failed = page.getByRole('button', { name: /^Run .* failed$/ });
    await failed.waitFor();
    await failed.click();
    const failure = page
      .getByRole('region', { name: 'Step http-request' })
      .getByRole('alert', { name: 'Step error' });
    await failure.waitFor();
    expect(await failure.textContent()).toMatch(/answered 500.*How to fix it: the target answered/);
    await screenshot('failed-step');

    if (process.env.HOOKFLOW_DOC_IMAGES === '1') {
      mkdirSync(DOC_IMAGES, { recursive: true });
      for (const name of ['canvas', 'node-form', 'run-view', 'run-list']) {
        copyFileSync(shots.get(name) as string, path.join(DOC_IMAGES, `editor-${name}.png`));
      }
    }
  });
});
