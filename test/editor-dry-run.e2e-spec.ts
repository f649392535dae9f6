import type { Page } from 'playwright-core';
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
 * Issue #17 in the browser: "Test against recent deliveries" beside Save runs the draft on the
 * flow's recorded deliveries, shows the counts, a table per delivery and a side-by-side diff,
 * and publishes from there.
 */
jest.setTimeout(120_000);

function shopFlow(sinkUrl: string, draft: boolean) {
  const total = draft ? 'sum' : 'total';
  return {
    format: 'hookflow.flow/v1',
    name: 'Orders to the shop API',
    nodes: [
      { id: 'hook', type: 'trigger.webhook', params: {} },
      {
        id: 'map',
        type: 'transform',
        params: { expression: `{ 'order': id, '${total}': amount }` },
      },
      { id: 'big', type: 'filter', params: { condition: `${total} > 10` } },
      {
        id: 'call',
        type: 'http.request',
        params: {
          url: `${sinkUrl}/orders/{{order}}`,
          body: `{ 'order': order, '${total}': ${total} }`,
        },
      },
    ],
    edges: [
      { from: 'hook', to: 'map' },
      { from: 'map', to: 'big' },
      { from: 'big', port: 'true', to: 'call' },
    ],
  };
}

describeBrowser('editor: test a draft against recent deliveries', () => {
  let session: EditorSession;
  let hookflow: TestApp;
  let page: Page;
  let sink: Sink;
  let flowId: string;

  beforeAll(async () => {
    sink = await startSink();
    session = await startEditorSession({ viewport: { width: 1400, height: 900 } });
    ({ hookflow, page } = session);
    const imported = await hookflow.api<{ id: string; triggers: Array<{ path: string }> }>(
      'POST',
      '/api/flows/import',
      { body: shopFlow(sink.url, false) },
    );
    expect(imported.status).toBe(201);
    flowId = imported.body.id;
    // Amounts 5 and 8 stay below the filter; 20, 30 and 40 reach the shop API.
    for (const [index, amount] of [5, 20, 8, 30, 40].entries()) {
      const body = JSON.stringify({ id: `o${index}`, amount });
      expect((await hookflow.post(imported.body.triggers[0].path, body)).status).toBe(202);
    }
    await waitFor('the five runs to finish', async () => {
      const page = await hookflow.api<{ items: Array<{ status: string }> }>(
        'GET',
        `/api/executions?flowId=${flowId}`,
      );
      const done = page.body.items.filter((run) => run.status === 'succeeded').length;
      return done === 5 ? done : undefined;
    });
    const saved = await hookflow.api('PUT', `/api/flows/${flowId}`, {
      body: { ...shopFlow(sink.url, true), baseVersion: 1, draft: true },
    });
    expect(saved.status).toBe(200);
  });
  afterAll(async () => {
    await session?.close();
    await sink?.close();
  });

  it('shows the counts and a side-by-side diff, sends nothing, and publishes from there', async () => {
    const sent = sink.received.length;
    await openSignedIn(page, `${hookflow.url}/flows/${flowId}`);
    await page.getByRole('button', { name: 'Test against recent deliveries' }).click();
    const dialog = page.getByRole('dialog', { name: 'Test against recent deliveries' });
    await dialog.getByLabel('Last deliveries').fill('5');
    await dialog.getByRole('button', { name: 'Run test' }).click();
    await dialog.getByRole('table', { name: 'Deliveries compared' }).waitFor();

    // Every delivery's map output renames `total`; the three that passed also send another body.
    expect(await dialog.getByLabel('Unchanged deliveries', { exact: true }).textContent()).toBe(
      '0',
    );
    expect(await dialog.getByLabel('Changed deliveries', { exact: true }).textContent()).toBe('5');
    expect(await dialog.getByLabel('Failed deliveries', { exact: true }).textContent()).toBe('0');
    expect(await dialog.getByRole('row').count()).toBe(6);

    // Newest first: delivery 1 is o4 (amount 40).
    await dialog.getByRole('button', { name: 'Compare delivery 1' }).click();
    const output = dialog.getByRole('region', { name: 'Output of map' });
    expect(JSON.parse((await output.getByLabel('Published output').textContent()) ?? '')).toEqual({
      order: 'o4',
      total: 40,
    });
    expect(JSON.parse((await output.getByLabel('Draft output').textContent()) ?? '')).toEqual({
      order: 'o4',
      sum: 40,
    });
    const request = dialog.getByRole('region', { name: 'Request of call' });
    expect(await request.locator('.diff-changes li').allTextContents()).toEqual([
      '/body/sum: — → 40',
      '/body/total: 40 → —',
    ]);
    expect(await unnamedControls(page)).toEqual([]);
    expect(sink.received.length).toBe(sent);

    await dialog.getByRole('button', { name: 'Publish version 2' }).click();
    await page.getByText('Version 2 published').waitFor();
    const flow = await hookflow.api<{ publishedVersion: number }>('GET', `/api/flows/${flowId}`);
    expect(flow.body.publishedVersion).toBe(2);
  });
});
