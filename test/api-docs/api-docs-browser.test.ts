/**
 * The REST reference page in real headless Chromium with no network beyond the service: every request
 * that leaves the service's origin is aborted and recorded (openPage), and the page's CSP violations show
 * as console errors. SQLite only: the page reads the document; its one real call is tested on both
 * engines elsewhere.
 */
import type { Browser, Page } from 'playwright-core';

import { accessibilityViolations, launchBrowser, openPage, saveScreenshot, type PageProblems } from '../support/browser';
import { listeningApp, type ListeningApp } from '../support/listening-app';

describe('the REST reference page in Chromium', () => {
  let s: ListeningApp;
  let browser: Browser;

  beforeAll(async () => {
    s = await listeningApp('sqlite');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await s.close();
  });

  const expectNoProblems = (problems: PageProblems) => expect(problems).toEqual({ consoleErrors: [], offHostRequests: [], failedRequests: [] });
  const operation = (page: Page, path: string) => page.locator('.opblock', { has: page.locator('.opblock-summary-path', { hasText: new RegExp(`^${path}$`) }) });

  it('renders the document and both operations from the service alone, without console errors or CSP violations', async () => {
    const { context, page, problems } = await openPage(browser, s.origin);
    try {
      const answer = await page.goto(`${s.origin}/docs/api`);
      expect(answer?.headers()['content-security-policy']).toContain("script-src 'self'");
      await page.getByRole('heading', { name: /Caller Memory REST API/ }).waitFor();
      await operation(page, '/v1/calls/start').waitFor();
      await operation(page, '/v1/calls/end').waitFor();
      await saveScreenshot(page, 'api-docs');
      // The schemas and an operation's details open too (Swagger UI renders more on demand).
      await page.getByRole('button', { name: 'Schemas' }).click();
      await page.locator('.json-schema-2020-12__title', { hasText: /^FlatStartAnswer$/ }).waitFor();
      await operation(page, '/v1/calls/end').locator('.opblock-summary-control').click();
      await operation(page, '/v1/calls/end').getByText('Save what the call taught us').first().waitFor();
      await operation(page, '/v1/calls/end').locator('.responses-table').first().waitFor();
      expectNoProblems(problems);
      // Swagger UI's own contrast and unlabelled pickers are fixed by api-docs.css and api-docs.js.
      expect(await accessibilityViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('runs a real start with a key given to Authorize, and shows the 200 answer', async () => {
    const { context, page, problems } = await openPage(browser, s.origin);
    try {
      await page.goto(`${s.origin}/docs/api`);
      await page.getByRole('button', { name: 'Authorize' }).first().click();
      // Swagger UI's authorization box (a plain div, not a dialog role): the Bearer value, applied, closed.
      const bearer = page.locator('.modal-ux .auth-container', { hasText: 'bearerAuth' });
      await bearer.getByLabel('auth-bearer-value').fill(s.key);
      await bearer.getByRole('button', { name: 'Apply credentials' }).click();
      await bearer.getByRole('button', { name: 'Close' }).click();

      const start = operation(page, '/v1/calls/start');
      await start.locator('.opblock-summary-control').click();
      await start.getByRole('button', { name: 'Try it out' }).click();
      await start.getByRole('button', { name: 'Execute' }).click();
      const live = start.locator('.live-responses-table tbody .response-col_status').first();
      await live.waitFor();
      expect((await live.textContent())?.trim()).toBe('200');
      await expect(start.locator('.live-responses-table tbody .response-col_description').first().textContent()).resolves.toContain('"customer_ref"');
      if (process.env.UPDATE_SCREENSHOTS === '1') await start.locator('.live-responses-table').first().screenshot({ path: '/tmp/api-docs-try-it.png' });
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  }, 120_000);
});
