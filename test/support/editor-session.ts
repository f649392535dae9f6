import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  browserUnavailable,
  ensureEditorBuilt,
  freshScreenshotDir,
  launchBrowser,
} from './browser';
import { sqlite, type TestDatabase } from './databases';
import { startTestApp, TEST_API_KEY, type TestApp } from './test-app';
import { waitFor } from './wait-for';

/**
 * What the browser suites (editor, editor import, accounts in the editor) share: a describe that
 * is skipped with its reason where Chromium is missing, the built editor served by the real app on
 * SQLite with one browser page, signing in with the API key, and the accessible-name check.
 */

/** `describe` when Chromium is here; otherwise one skipped test that says why. */
export function describeBrowser(title: string, suite: () => void): void {
  const unavailable = browserUnavailable();
  if (unavailable) {
    describe(title, () => {
      it.skip(`skipped: ${unavailable}`, () => undefined);
    });
    return;
  }
  describe(title, suite);
}

export interface EditorSessionOptions {
  viewport: { width: number; height: number };
  /** Browser permissions granted to the app's origin (e.g. the clipboard). */
  permissions?: string[];
  /** Emptied at the start; screenshot(name) writes numbered PNGs into it. */
  screenshotDir?: string;
  /** Screenshots of the whole page rather than the viewport. */
  fullPage?: boolean;
}

export interface EditorSession {
  database: TestDatabase;
  hookflow: TestApp;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Saves the page as `<dir>/NN-<name>.png`, NN counting up from 01. */
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

/** Builds the editor if needed, boots the app on a fresh SQLite database and opens one page. */
export async function startEditorSession(options: EditorSessionOptions): Promise<EditorSession> {
  ensureEditorBuilt();
  const { screenshotDir } = options;
  if (screenshotDir) freshScreenshotDir(screenshotDir);
  let database: TestDatabase | undefined;
  let hookflow: TestApp | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await hookflow?.close();
    await database?.drop();
  };
  try {
    database = await sqlite.create();
    hookflow = await startTestApp(database.env);
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: options.viewport });
    if (options.permissions) {
      await context.grantPermissions(options.permissions, { origin: hookflow.url });
    }
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    let shot = 0;
    const screenshot = async (name: string) => {
      if (!screenshotDir) throw new Error('startEditorSession was given no screenshotDir');
      shot += 1;
      await page.screenshot({
        path: path.join(screenshotDir, `${String(shot).padStart(2, '0')}-${name}.png`),
        fullPage: options.fullPage ?? false,
      });
    };
    return { database, hookflow, browser, context, page, screenshot, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Opens a page of the editor, signing in with the API key first when the tab has none. */
export async function openSignedIn(page: Page, url: string): Promise<void> {
  await page.goto(url);
  const key = page.getByLabel('API key');
  const app = page.locator('.editor, .flow-list');
  await Promise.race([key.waitFor(), app.first().waitFor()]);
  if (await key.isVisible()) {
    await key.fill(TEST_API_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await app.first().waitFor();
  }
}

/**
 * Controls without an accessible name (aria-label, aria-labelledby, a label, title or text),
 * described by tag and class; evaluated in the page. Visually hidden file inputs count: they
 * still take focus and are read out.
 */
export async function unnamedControls(page: Page): Promise<string[]> {
  const script = `[...document.querySelectorAll('button, input, select, textarea, a, [role="button"]')]
    .filter((el) => el.type !== 'hidden' && (el.offsetParent !== null || el.type === 'file'))
    .filter((el) => {
      const labelled = el.getAttribute('aria-labelledby');
      const name =
        el.getAttribute('aria-label') ||
        (labelled && document.getElementById(labelled)?.textContent) ||
        (el.labels && [...el.labels].map((l) => l.textContent).join('')) ||
        el.getAttribute('title') ||
        (el.tagName === 'BUTTON' || el.tagName === 'A' ? el.textContent : '');
      return !name || !name.trim();
    })
    .map((el) => el.tagName.toLowerCase() + '.' + el.className)`;
  return (await page.evaluate(script)) as string[];
}

/** Node ids whose box is not wholly inside the canvas pane (empty when all are visible). */
async function nodesOutsideCanvas(page: Page, nodeIds: readonly string[]): Promise<string[]> {
  const pane = await page.locator('.react-flow__pane').boundingBox();
  if (!pane) return [...nodeIds];
  const outside: string[] = [];
  for (const id of nodeIds) {
    const box = await page.getByTestId(`node-${id}`).boundingBox();
    const inside =
      box !== null &&
      box.width > 0 &&
      box.x >= pane.x &&
      box.y >= pane.y &&
      box.x + box.width <= pane.x + pane.width &&
      box.y + box.height <= pane.y + pane.height;
    if (!inside) outside.push(id);
  }
  return outside;
}

/**
 * Waits for the nodes to be drawn and expects every one inside the visible canvas, without
 * touching the view controls (a flow opens fitted to its nodes).
 */
export async function expectNodesInsideCanvas(
  page: Page,
  nodeIds: readonly string[],
): Promise<void> {
  for (const id of nodeIds) await page.getByTestId(`node-${id}`).waitFor();
  let outside: string[] = [...nodeIds];
  await waitFor(
    'every node inside the canvas',
    async () => {
      outside = await nodesOutsideCanvas(page, nodeIds);
      return outside.length === 0 ? true : undefined;
    },
    { attempts: 40 },
  ).catch(() => undefined);
  // The ids still outside name the failure better than a timeout.
  expect(outside).toEqual([]);
}
