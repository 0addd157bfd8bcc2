/**
 * The offline explorer in real headless Chromium with no network beyond the service: every request that
 * leaves the service's origin is aborted and recorded (openPage), so a page that needed the internet fails.
 * SQLite only: the page runs the service's ordinary GraphQL, tested on both engines elsewhere.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Browser, Locator, Page } from 'playwright-core';
import request from 'supertest';

import { accessibilityViolations, launchBrowser, openPage, saveScreenshot, type PageProblems } from '../support/browser';
import { makeKey, makeOrganisation } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';

const RUN = 'Execute query (Ctrl-Enter)';
// What axe still finds in GraphiQL's own widget (CodeMirror 5's scroll box, which keyboard users scroll with the
// cursor instead); our markup has none, and explorer.css/explorer.js fix the rest (see docs/decisions.md).
const GRAPHIQL_VIOLATIONS = ['scrollable-region-focusable'];

describe('the offline explorer in Chromium', () => {
  let t: TestApp;
  let server: Server;
  let origin: string;
  let browser: Browser;
  let secret: string;

  beforeAll(async () => {
    t = await createTestApp('sqlite');
    const em = t.orm.em.fork();
    secret = (await makeKey(t.keys, em, await makeOrganisation(t.keys, em, { name: 'Acme Support' }))).secret;
    const start = await request(t.app).post('/v1/calls/start').set('Authorization', `Bearer ${secret}`).send({ call_id: 'explorer-1', ani: '4155550101' });
    expect(start.status).toBe(200);
    const end = await request(t.app)
      .post('/v1/calls/end')
      .set('Authorization', `Bearer ${secret}`)
      .send({ call_id: 'explorer-1', intent: 'Refund request', variables: { first_name: 'Dana', plan: 'gold' } });
    expect(end.status).toBe(200);
    server = t.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  const resultPane = (page: Page) => page.getByRole('region', { name: 'Result Window' });
  const expectNoProblems = (problems: PageProblems) => expect(problems).toEqual({ consoleErrors: [], offHostRequests: [], failedRequests: [] });
  // Element callbacks run in the browser (the project compiles without DOM types, so they reach it through `e`).
  const isFocused = (locator: Locator) => locator.evaluate((e) => e === e.ownerDocument.activeElement);
  const focusedName = (page: Page): Promise<string> =>
    page.locator(':focus').evaluate((e) => e.getAttribute('aria-label') ?? e.labels?.[0]?.textContent ?? e.textContent?.trim() ?? e.tagName);

  // axe walks the DOM for a while: it fails if GraphiQL is still adding or removing nodes (a tooltip, a pane).
  const domSettled = (page: Page) =>
    page.locator('body').evaluate(
      (body) =>
        new Promise<void>((resolve) => {
          const done = () => {
            observer.disconnect();
            resolve();
          };
          let quiet = setTimeout(done, 300);
          const observer = new body.ownerDocument.defaultView.MutationObserver(() => {
            clearTimeout(quiet);
            quiet = setTimeout(done, 300);
          });
          observer.observe(body, { childList: true, subtree: true });
        }),
    );

  async function openExplorer(viewport?: { width: number; height: number }) {
    const opened = await openPage(browser, origin, viewport);
    await opened.page.goto(`${origin}/explorer`);
    await opened.page.getByRole('button', { name: RUN }).waitFor();
    return opened;
  }

  async function useKey(page: Page, key: string) {
    await page.getByLabel('API key', { exact: true }).fill(key);
    await page.getByRole('button', { name: 'Use key' }).click();
  }

  it('runs a query with the key from the field and shows the service’s answer, with no request leaving the service', async () => {
    const { context, page, problems } = await openExplorer();
    try {
      await useKey(page, secret);
      await page.getByRole('button', { name: RUN }).click();
      await resultPane(page).getByText('"Acme Support"').waitFor();
      const result = await resultPane(page).innerText();
      expect(result).toContain('"environment": "TEST"');
      expect(result).toContain('"totalCount": 1');
      expect(result).toContain('"callCount": 1');
      expect(result).toContain('"name": "refund_request"');
      expectNoProblems(problems);
      await page.getByRole('button', { name: RUN }).focus();
      await saveScreenshot(page, 'explorer');
    } finally {
      await context.close();
    }
  });

  it('loads the schema once the key is set: the docs list the query fields', async () => {
    const { context, page, problems } = await openExplorer();
    try {
      await useKey(page, secret);
      await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
      await page.getByRole('link', { name: 'Query', exact: true }).click();
      await page.getByRole('link', { name: 'customerByIdentity' }).waitFor();
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('shows UNAUTHENTICATED in the result pane for a wrong key', async () => {
    const { context, page, problems } = await openExplorer();
    try {
      await useKey(page, 'sk_test_not-a-real-key');
      await page.getByRole('button', { name: RUN }).click();
      await resultPane(page).getByText('"UNAUTHENTICATED"').waitFor();
      // The browser reports the refused requests themselves (the query, and GraphiQL's schema fetch): nothing else.
      expect(problems.consoleErrors.length).toBeGreaterThan(0);
      for (const error of problems.consoleErrors) expect(error).toMatch(/status of 401 \(Unauthorized\)/);
      expect(problems.offHostRequests).toEqual([]);
      expect(problems.failedRequests).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('refuses a value that cannot be a key without sending it', async () => {
    const { context, page, problems } = await openExplorer();
    try {
      await useKey(page, 'sk_test_ä b');
      await page.getByRole('status').getByText('That is not an API key').waitFor();
      expect(await page.evaluate(() => sessionStorage.getItem('caller-memory:explorer:api-key'))).toBeNull();
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('keeps the key in this tab only (sessionStorage, never localStorage), and forgets it on request', async () => {
    const { context, page, problems } = await openExplorer();
    try {
      await useKey(page, secret);
      const stored = () => page.evaluate(() => ({ session: sessionStorage.getItem('caller-memory:explorer:api-key'), local: { ...localStorage } }));
      expect(await stored()).toEqual({ session: secret, local: {} });
      await page.reload();
      await page.getByRole('button', { name: RUN }).waitFor();
      expect(await page.getByLabel('API key', { exact: true }).inputValue()).toBe(secret);
      await page.getByRole('button', { name: 'Forget key' }).click();
      expect(await stored()).toEqual({ session: null, local: {} });
      expect(await page.getByLabel('API key', { exact: true }).inputValue()).toBe('');
      expectNoProblems(problems);
      // A new tab (a new context here) starts without a key.
      const other = await openExplorer();
      expect(await other.page.getByLabel('API key', { exact: true }).inputValue()).toBe('');
      await other.context.close();
    } finally {
      await context.close();
    }
  });

  it('keeps the key out of the address when the form is sent before its script runs (or with scripts off)', async () => {
    // The scripts are deferred and GraphiQL's is 3.5 MB: Enter in the field can come first.
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(`${origin}/explorer`);
      await page.getByLabel('API key', { exact: true }).fill(secret);
      await Promise.all([page.waitForEvent('framenavigated'), page.getByLabel('API key', { exact: true }).press('Enter')]);
      expect(page.url()).not.toContain(secret);
      expect(page.url()).not.toContain('api-key');
    } finally {
      await context.close();
    }
  });

  it('reaches the API key field and the run button by Tab with their names, out of the editor too, and runs by keyboard', async () => {
    const { context, page, problems } = await openExplorer();
    try {
      const keyField = page.getByLabel('API key', { exact: true });
      const run = page.getByRole('button', { name: RUN });
      for (let i = 0; i < 5 && !(await isFocused(keyField)); i++) await page.keyboard.press('Tab');
      expect(await isFocused(keyField)).toBe(true);
      await page.keyboard.type(secret);
      await page.keyboard.press('Enter');
      await page.getByRole('status').getByText('Key set for this tab').waitFor();

      const visited: string[] = [];
      for (let i = 0; i < 40 && !(await isFocused(run)); i++) {
        await page.keyboard.press('Tab');
        visited.push(await focusedName(page));
      }
      expect(await isFocused(run)).toBe(true);
      // In order: our form's buttons, GraphiQL's sidebar, then through the query editor (Tab leaves it) to Run.
      expect(visited.slice(0, 2)).toEqual(['Use key', 'Forget key']);
      expect(visited).toContain('Open settings dialog');
      expect(visited.slice(-2)).toEqual(['Query editor', RUN]);

      await page.keyboard.press('Enter');
      await resultPane(page).getByText('"Acme Support"').waitFor();
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('has no accessibility violations outside GraphiQL’s widget, and only the known ones inside it', async () => {
    const { context, page, problems } = await openExplorer();
    try {
      await useKey(page, secret);
      // With the schema loaded and the docs open, so axe sees the docs pane too.
      await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
      await page.getByRole('link', { name: 'Query', exact: true }).waitFor();
      await page.getByRole('button', { name: RUN }).click();
      await resultPane(page).getByText('"Acme Support"').waitFor();
      await page.mouse.move(0, 0);
      await domSettled(page);
      const violations = await accessibilityViolations(page);
      for (const violation of violations) {
        const target = violation.slice(violation.indexOf(': ') + 2);
        const insideGraphiql = await page.locator(target).first().evaluate((e) => e.closest('#graphiql') !== null);
        expect([violation, insideGraphiql]).toEqual([violation, true]);
      }
      expect(violations.map((violation) => violation.slice(0, violation.indexOf(': ')))).toEqual(GRAPHIQL_VIOLATIONS);
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('opens GraphiQL’s dialogs, docs and history without a CSP violation (the reason for inline styles)', async () => {
    const { context, page, problems } = await openExplorer();
    try {
      await useKey(page, secret);
      for (const name of ['Open settings dialog', 'Open short keys dialog']) {
        await page.getByRole('button', { name }).click();
        await page.getByRole('dialog').waitFor();
        await page.keyboard.press('Escape');
        await page.getByRole('dialog').waitFor({ state: 'detached' });
      }
      await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
      await page.getByRole('link', { name: 'Query', exact: true }).waitFor();
      await page.getByRole('button', { name: RUN }).click();
      await page.getByRole('button', { name: 'Show History' }).click();
      await page.getByRole('button', { name: 'Set active' }).first().waitFor();
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('fits a phone screen and still runs a query there', async () => {
    const { context, page, problems } = await openExplorer({ width: 390, height: 844 });
    try {
      await useKey(page, secret);
      await page.getByRole('button', { name: RUN }).click();
      await resultPane(page).getByText('"Acme Support"').waitFor();
      expect(await page.locator('html').evaluate((e) => e.scrollWidth)).toBeLessThanOrEqual(390);
      expect(await page.getByLabel('API key', { exact: true }).isVisible()).toBe(true);
      expectNoProblems(problems);
      await saveScreenshot(page, 'explorer-phone');
    } finally {
      await context.close();
    }
  });

  it('is one keystroke away on the Sandbox page when the internet is unreachable', async () => {
    const { context, page, problems } = await openPage(browser, origin);
    try {
      await page.goto(`${origin}/graphql`);
      // Apollo's page wants its CDN, which this test (like an isolated network) cannot reach.
      expect(problems.offHostRequests.some((url) => url.startsWith('https://embeddable-sandbox.cdn.apollographql.com/'))).toBe(true);
      const link = page.getByRole('link', { name: 'Open the offline GraphQL explorer' });
      expect(await link.isVisible()).toBe(true);
      await page.keyboard.press('Tab');
      expect(await isFocused(link)).toBe(true);
      await page.keyboard.press('Enter');
      await page.getByLabel('API key', { exact: true }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/explorer');
    } finally {
      await context.close();
    }
  });
});
