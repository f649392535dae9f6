import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page, Response } from 'playwright-core';
import { ROOT_DIR } from './support/browser';
import {
  describeBrowser,
  expectNodesInsideCanvas,
  openSignedIn,
  startEditorSession,
  unnamedControls,
  type EditorSession,
} from './support/editor-session';
import type { TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

/**
 * The flow list's import in a real browser: an n8n export by file and a Node-RED export by paste
 * go through POST /api/flows/import/<source>, the report (counts, nodes that were not simply
 * converted, credentials, disabled) shows before leaving, and the flow opens on the canvas.
 * Screenshots go to .test-output/editor-import/.
 */
const SCREENSHOTS = path.join(ROOT_DIR, '.test-output/editor-import');
const fixturePath = (tool: string, name: string) =>
  path.join(ROOT_DIR, 'test/fixtures', tool, name);

interface ReportAnswer {
  flow: { id: string; name: string; enabled: boolean };
  report: {
    nodes: Array<{ sourceName: string; outcome: string; nodeIds: string[]; notes: string[] }>;
    warnings: string[];
    summary: { converted: number; approximated: number; unsupported: number };
  };
}

/** Webhook → A → B → A: a valid n8n workflow whose conversion has a loop. */
const setNode = (name: string, x: number) => ({
  id: name.toLowerCase(),
  name,
  type: 'n8n-nodes-base.set',
  typeVersion: 3.4,
  position: [x, 0],
  parameters: { assignments: { assignments: [] }, options: {} },
});
const LOOPING_N8N = {
  name: 'Loop',
  nodes: [
    {
      id: 'hook',
      name: 'Webhook',
      type: 'n8n-nodes-base.webhook',
      typeVersion: 2,
      position: [0, 0],
      parameters: { httpMethod: 'POST', path: 'loop', options: {} },
    },
    setNode('A', 200),
    setNode('B', 400),
  ],
  connections: {
    Webhook: { main: [[{ node: 'A', type: 'main', index: 0 }]] },
    A: { main: [[{ node: 'B', type: 'main', index: 0 }]] },
    B: { main: [[{ node: 'A', type: 'main', index: 0 }]] },
  },
};

const isImportAnswer = (response: Response, source: string) =>
  response.url().endsWith(`/api/flows/import/${source}`) && response.request().method() === 'POST';

describeBrowser('editor import (browser)', () => {
  let session: EditorSession;
  let hookflow: TestApp;
  let page: Page;
  const screenshot = (name: string) => session.screenshot(name);

  /** The report's rows for nodes that were not simply converted: [name, outcome, notes]. */
  const reportRows = () =>
    page
      .getByRole('table', { name: 'Nodes not simply converted' })
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => [
          row.querySelector('th')?.textContent ?? '',
          row.querySelectorAll('td')[1]?.textContent ?? '',
          [...row.querySelectorAll('td:last-child li')].map((li) => li.textContent ?? ''),
        ]),
      );
  const expectedRows = (answer: ReportAnswer) =>
    answer.report.nodes
      .filter((node) => node.outcome !== 'converted')
      .map((node) => [node.sourceName, node.outcome, node.notes]);

  /** Opens the imported flow with the keyboard and checks every node it made is on the canvas. */
  const openOnCanvas = async (answer: ReportAnswer) => {
    const open = page.getByRole('button', { name: 'Open imported flow' });
    await open.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/flows/${answer.flow.id}$`));
    const nodeIds = answer.report.nodes.flatMap((node) => node.nodeIds);
    expect(nodeIds.length).toBeGreaterThan(3);
    // Opened fitted: every node made by the conversion lies inside the canvas, untouched.
    await expectNodesInsideCanvas(page, nodeIds);
    expect(await page.getByLabel('Enabled').isChecked()).toBe(false);
  };

  beforeAll(async () => {
    session = await startEditorSession({
      viewport: { width: 1400, height: 900 },
      screenshotDir: SCREENSHOTS,
      fullPage: true,
    });
    ({ hookflow, page } = session);
  });
  afterAll(async () => {
    await session?.close();
  });

  it('imports an n8n "export:workflow --all" file and reports it before opening it', async () => {
    await openSignedIn(page, `${hookflow.url}/`);
    expect(await page.getByLabel('Source').inputValue()).toBe('auto');
    const answered = page.waitForResponse((response) => isImportAnswer(response, 'n8n'));
    await page
      .getByLabel('Import from file')
      .setInputFiles(fixturePath('n8n', 'github-push-digest.json'));
    const response = await answered;
    expect(response.status()).toBe(201);
    const answer = (await response.json()) as ReportAnswer;
    // As test/import-n8n.e2e-spec.ts expects of this fixture.
    expect(answer.report.summary).toEqual({ converted: 4, approximated: 2, unsupported: 1 });

    const report = page.getByRole('region', { name: /^Imported “GitHub/ });
    await report.waitFor();
    // Focus moves to the report, so keyboard and screen-reader users land on it.
    expect(await page.evaluate('document.activeElement?.id')).toBe('import-report-title');
    expect(await page.getByLabel('Conversion summary').textContent()).toBe(
      '4 converted, 2 approximated, 1 unsupported',
    );
    const rows = await reportRows();
    expect(rows).toEqual(expectedRows(answer));
    expect(rows.map((row) => row.slice(0, 2))).toEqual([
      ['GitHub Push', 'approximated'],
      ['Summarize Branch', 'unsupported'],
      ['Branch Digest', 'approximated'],
    ]);
    const warnings = page.getByRole('list', { name: 'Warnings' }).getByRole('listitem');
    expect(await warnings.allTextContents()).toEqual(answer.report.warnings);
    const missing = page.getByRole('list', { name: 'Missing credentials' }).getByRole('listitem');
    // Both Slack nodes ("Commit to Slack", "Branch Digest") use the n8n credential "Slack Bot".
    const slackAt = expect.stringMatching(/^Slack-Bot at \/nodes\/\d+\/credential$/);
    expect(await missing.allTextContents()).toEqual([slackAt, slackAt]);
    expect(await report.getByRole('link', { name: 'credentials page' }).getAttribute('href')).toBe(
      '/credentials',
    );
    expect(await page.getByTestId('import-disabled').textContent()).toMatch(
      /^The flow was saved disabled: flows converted from n8n are always saved disabled .*, and it uses a credential not created yet \(Slack-Bot\)\./,
    );
    // The list already shows the new, disabled flow behind the report.
    const row = page.getByRole('table', { name: 'Flows' }).getByRole('row').nth(1);
    await row.getByRole('link').waitFor();
    expect(await row.getByRole('checkbox').isChecked()).toBe(false);
    expect(await unnamedControls(page)).toEqual([]);
    await screenshot('n8n-report');

    await openOnCanvas(answer);
    await screenshot('n8n-canvas');
  });

  it('imports a pasted Node-RED export and reports it', async () => {
    await openSignedIn(page, `${hookflow.url}/`);
    const text = readFileSync(fixturePath('node-red', 'orders-to-slack.json'), 'utf8');
    await page.getByLabel('Or paste flow JSON').fill(text);
    const answered = page.waitForResponse((response) => isImportAnswer(response, 'node-red'));
    await page.getByRole('button', { name: 'Import pasted JSON' }).click();
    const answer = (await (await answered).json()) as ReportAnswer;
    // As test/import-node-red.e2e-spec.ts expects of this fixture.
    expect(answer.report.summary).toEqual({ converted: 10, approximated: 1, unsupported: 1 });

    await page.getByRole('region', { name: /^Imported “.*” from Node-RED$/ }).waitFor();
    expect(await page.getByLabel('Conversion summary').textContent()).toBe(
      '10 converted, 1 approximated, 1 unsupported',
    );
    const rows = await reportRows();
    expect(rows).toEqual(expectedRows(answer));
    expect(rows[0]).toEqual([
      'Reply',
      'approximated',
      ['Node-RED answers msg.statusCode set earlier in the flow; Hookflow answers 200'],
    ]);
    expect(rows[1].slice(0, 2)).toEqual(['Legacy scoring', 'unsupported']);
    expect(String(rows[1][2])).toMatch(/function runs JavaScript/);
    expect(await page.getByLabel('Or paste flow JSON').inputValue()).toBe('');
    await screenshot('node-red-report');

    await openOnCanvas(answer);
    await screenshot('node-red-canvas');
  });

  it('explains JSON that is no export, and shows the paths of exports the API refuses or cannot save', async () => {
    await openSignedIn(page, `${hookflow.url}/`);
    const paste = page.getByLabel('Or paste flow JSON');
    await paste.fill('{"hello": "world", "items": [1, 2, 3]}');
    await page.getByRole('button', { name: 'Import pasted JSON' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Cannot import this' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain(
      'Not a flow export: found an object with "hello", "items".',
    );
    expect(await alert.textContent()).toMatch(/hookflow\.flow\/v1.*n8n.*Node-RED/);
    await screenshot('not-an-export');

    await paste.fill('{ "nodes": [ ');
    await page.getByRole('button', { name: 'Import pasted JSON' }).click();
    await page.getByRole('alert').filter({ hasText: 'This is not JSON' }).waitFor();

    // Chosen by hand, the body goes to the API, which names where it is wrong.
    await page.getByLabel('Source').selectOption('node-red');
    await paste.fill('[{"id": "a", "type": "http in", "z": "t", "wires": "b"}]');
    const answered = page.waitForResponse((response) => isImportAnswer(response, 'node-red'));
    await page.getByRole('button', { name: 'Import pasted JSON' }).click();
    const refused = await answered;
    expect(refused.status()).toBe(400);
    const body = (await refused.json()) as { error: { details: Array<{ path: string }> } };
    const pointer = body.error.details[0].path;
    expect(pointer).toMatch(/^\/0/);
    const problem = page.getByRole('alert').filter({ hasText: 'Node-RED flow was refused (400' });
    await problem.waitFor();
    const paths = await waitFor('the problem paths', async () => {
      const items = await problem.getByRole('list', { name: 'Problems by path' }).locator('code');
      const texts = await items.allTextContents();
      return texts.length > 0 ? texts : undefined;
    });
    expect(paths).toEqual([pointer]);
    await screenshot('refused-with-path');

    // A loop converts, but Hookflow flows cannot have one: 422 with the problems by path.
    await page.getByLabel('Source').selectOption('auto');
    await paste.fill(JSON.stringify(LOOPING_N8N));
    const unsaved = page.waitForResponse((response) => isImportAnswer(response, 'n8n'));
    await page.getByRole('button', { name: 'Import pasted JSON' }).click();
    const loop = await unsaved;
    expect(loop.status()).toBe(422);
    const loopBody = (await loop.json()) as { error: { details: Array<{ path: string }> } };
    expect(loopBody.error.details.length).toBeGreaterThan(0);
    const unsavable = page
      .getByRole('alert')
      .filter({ hasText: 'The n8n workflow was converted but cannot be saved (422' });
    await unsavable.waitFor();
    expect(
      await unsavable
        .getByRole('list', { name: 'Problems by path' })
        .locator('code')
        .allTextContents(),
    ).toEqual(loopBody.error.details.map((detail) => detail.path || '/'));
    await screenshot('unsavable-loop');
  });
});
