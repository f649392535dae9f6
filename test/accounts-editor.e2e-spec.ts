import type { BrowserContext, Page } from 'playwright-core';
import { describeBrowser, startEditorSession, type EditorSession } from './support/editor-session';
import { TEST_API_KEY, type TestApp } from './support/test-app';

/**
 * The editor's accounts in a real browser: the first visit creates the owner, a later visit signs
 * in with the password (an HttpOnly cookie the page cannot read), and signing out ends it.
 */
describeBrowser('accounts in the editor (browser)', () => {
  let session: EditorSession;
  let hookflow: TestApp;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    session = await startEditorSession({ viewport: { width: 1200, height: 800 } });
    ({ hookflow, context, page } = session);
  });
  afterAll(async () => {
    await session?.close();
  });

  const flowsHeading = () => page.getByRole('heading', { name: 'Flows' });

  it('creates the owner account on the first visit and is signed in by a session cookie', async () => {
    await page.goto(`${hookflow.url}/`);
    await page.getByRole('heading', { name: 'Create the owner account' }).waitFor();
    await page.getByLabel('Name').fill('Olive');
    await page.getByLabel('Email').fill('olive@example.com');
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Create the owner account' }).click();
    await flowsHeading().waitFor();

    const cookies = await context.cookies(hookflow.url);
    expect(cookies.find((cookie) => cookie.name === 'hookflow_session')).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
    });
    expect(await page.evaluate('document.cookie')).toBe('');

    // The session survives a reload (the key form is not needed) and can change things.
    await page.reload();
    await flowsHeading().waitFor();
    await page.getByRole('button', { name: 'New flow' }).click();
    await page.getByLabel('Flow name').waitFor();
    await page.goBack();
    await flowsHeading().waitFor();
  });

  it('signs out, refuses a wrong password, and signs in with the right one', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Password').waitFor();
    expect(await page.getByRole('heading', { name: 'Create the owner account' }).count()).toBe(0);
    const cookies = await context.cookies(hookflow.url);
    expect(cookies.find((cookie) => cookie.name === 'hookflow_session')).toBeUndefined();

    await page.getByLabel('Email').fill('olive@example.com');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('alert').filter({ hasText: 'email or password is wrong' }).waitFor();

    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Continue' }).click();
    await flowsHeading().waitFor();
  });

  it('lets the owner create a read key at /keys, shown once, and revoke it', async () => {
    // Reached from the flow list, and at its own address after a reload.
    await flowsHeading().waitFor();
    await page.getByRole('button', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/keys');
    await page.reload();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    await page.getByLabel('Key name').fill('dashboard');
    await page.getByLabel('Scope').selectOption('read');
    await page.getByRole('button', { name: 'Create key' }).click();
    const shown = page.getByRole('status').locator('code');
    await shown.waitFor();
    const key = (await shown.textContent()) ?? '';
    expect(key).toMatch(/^hf_/);
    const row = page.getByRole('row').filter({ hasText: 'dashboard' });
    await row.getByText('olive@example.com').waitFor();

    const flows = await hookflow.api('GET', '/api/flows', { auth: `Bearer ${key}` });
    expect(flows.status).toBe(200);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Revoke dashboard' }).click();
    await row.getByText(/^revoked/).waitFor();
    expect((await hookflow.api('GET', '/api/flows', { auth: `Bearer ${key}` })).status).toBe(401);
    await page.getByRole('button', { name: '← Flows' }).click();
    await flowsHeading().waitFor();
  });

  it('still signs in with an API key from the same page', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').fill(TEST_API_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await flowsHeading().waitFor();
  });
});
