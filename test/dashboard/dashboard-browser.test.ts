/**
 * The outcomes dashboard in real headless Chromium, on calls seeded through the real /v1/calls/start and
 * /v1/calls/end API with a hand-moved clock: keyboard sign-in, charts drawn, numbers equal to the ones
 * worked out by hand (seeded-calls.ts), the ROI table, sign-out and the Back button, axe, a phone screen,
 * and no request leaving the service. SQLite only: the page's data is tested on both engines elsewhere.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Browser, Locator, Page } from 'playwright-core';

import { ManualClock } from '../../src/shared/clock';
import { Environment } from '../../src/tenancy/environment';
import { usageReport } from '../../src/usage/usage-report';
import { accessibilityViolations, launchBrowser, openPage, saveScreenshot, type PageProblems } from '../support/browser';
import { createTestApp, type TestApp } from '../support/test-app';
import { makeKeys } from './dashboard-client';
import { EXACT, EXACT_AFTER_IDS, EXACT_FIGURES, EXACT_GO_LIVE, EXACT_TIME_ZONE, richCalls, seedCalls, type Poster } from './seeded-calls';

const NOW = new Date('2026-03-20T09:30:00Z');

describe('the outcomes dashboard in Chromium', () => {
  let t: TestApp;
  let server: Server;
  let origin: string;
  let browser: Browser;
  const clock = new ManualClock();
  let exact: Awaited<ReturnType<typeof makeKeys>>;
  let rich: Awaited<ReturnType<typeof makeKeys>>;
  let recommendations: Map<string, string>;

  /** Posts to the running service with a key, as an IVR would. */
  const poster =
    (key: string): Poster =>
    async (path, body) => {
      const res = await fetch(`${origin}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };

  beforeAll(async () => {
    t = await createTestApp('sqlite', {}, clock);
    const em = t.orm.em.fork();
    exact = await makeKeys(t.keys, em, 'Northwind Care', Environment.TEST);
    await t.keys.setTimeZone(em, exact.organisation.slug, EXACT_TIME_ZONE);
    rich = await makeKeys(t.keys, em, 'Acme Support', Environment.PROD);
    await t.keys.setTimeZone(em, rich.organisation.slug, 'Europe/London');
    server = t.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    recommendations = await seedCalls(poster(exact.standard.secret), clock, EXACT);
    await seedCalls(poster(rich.standard.secret), clock, richCalls('2026-02-06', '2026-03-19', '2026-03-06'));
    // A monthly quota for the usage panel (set after seeding, so every seeded call counted).
    await t.orm.em.getConnection().execute('update organisations set monthly_quota = ? where id = ?', [100_000, rich.organisation.id]);
    clock.set(NOW);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  const expectNoProblems = (problems: PageProblems) => expect(problems).toEqual({ consoleErrors: [], offHostRequests: [], failedRequests: [] });
  /** The focused element's id, or its text. */
  const focused = (page: Page) => page.evaluate('document.activeElement && (document.activeElement.id || document.activeElement.textContent.trim())');
  /** Non-transparent pixels drawn on a canvas. */
  const drawnPixels = (canvas: Locator) =>
    canvas.evaluate((element) => {
      const c = element as unknown as { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let drawn = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) drawn++;
      return drawn;
    });
  /** A table row's cells (after its header cell), as shown. */
  const cells = (row: Locator) => row.getByRole('cell').allInnerTexts();

  async function signIn(page: Page, key: string): Promise<void> {
    await page.goto(`${origin}/dashboard/sign-in`);
    await page.getByLabel('API key', { exact: true }).fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${origin}/dashboard`);
  }

  async function compareGoLive(page: Page, goLive: string, days: number): Promise<void> {
    await page.getByLabel('Go-live date', { exact: true }).fill(goLive);
    await page.getByLabel('Days on each side', { exact: true }).fill(String(days));
    await page.getByRole('button', { name: 'Compare' }).click();
    await page.waitForURL(/go_live=/);
  }

  it('signs in with the keyboard alone: Tab to the API key field, type, Enter', async () => {
    const { context, page, problems } = await openPage(browser, origin);
    try {
      await page.goto(`${origin}/dashboard`);
      expect(page.url()).toBe(`${origin}/dashboard/sign-in`);
      expect(await accessibilityViolations(page)).toEqual([]);
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe('Skip to main content');
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe('api-key');
      await page.keyboard.type(exact.admin.secret);
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe('Sign in');
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${origin}/dashboard`);
      await page.getByRole('heading', { level: 1, name: 'Outcomes: Northwind Care · test' }).waitFor();
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('tells a standard key apart from an admin key on the page itself', async () => {
    const { context, page, problems } = await openPage(browser, origin);
    try {
      await page.goto(`${origin}/dashboard/sign-in`);
      await page.getByLabel('API key', { exact: true }).fill(exact.standard.secret);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').getByText('This is an ordinary API key').waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);
      // The refusal is a 403 page, which Chromium reports as a failed resource in the console.
      expect(problems.offHostRequests).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('draws every chart, each with an accessible name that summarises it', async () => {
    const { context, page, problems } = await openPage(browser, origin);
    try {
      await signIn(page, exact.admin.secret);
      await compareGoLive(page, EXACT_GO_LIVE.goLive, EXACT_GO_LIVE.days);
      const charts = [
        page.getByRole('img', { name: 'Calls per day, 9–15 Mar 2026: 9 calls; busiest day Wed 11 Mar 2026 with 2. 4 recognised, 0 to confirm, 5 new.' }),
        page.getByRole('img', { name: /^How callers were recognised: recognised 44\.4%/ }),
        page.getByRole('img', { name: /^Top intents by calls: refund 4, billing 2, / }),
      ];
      for (const chart of charts) {
        expect(await chart.count()).toBe(1);
        expect(await drawnPixels(chart)).toBeGreaterThan(1000);
      }
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('shows numbers equal to the seeded calls: calls, recognition shares, AHT, repeat rate, FCR, CSAT, and the ROI table', async () => {
    const { context, page, problems } = await openPage(browser, origin);
    try {
      await signIn(page, exact.admin.secret);
      await compareGoLive(page, EXACT_GO_LIVE.goLive, EXACT_GO_LIVE.days);
      expect(await page.getByText('After: 9–15 Mar 2026 · Before: 2–8 Mar 2026').count()).toBe(1);

      const figures = page.getByRole('region', { name: 'Headline figures, 9–15 Mar 2026' }).getByRole('listitem');
      const shown = Object.fromEntries((await figures.allInnerTexts()).map((text) => text.split('\n').slice(0, 2)));
      const after = EXACT_FIGURES.after;
      expect(shown).toMatchObject({
        Calls: after.calls,
        'Repeat-call rate': after.repeat,
        'First-contact resolution': after.fcr,
        'First-contact resolution (proxy)': after.proxy,
        'Average handle time': after.aht,
        CSAT: after.csat,
        'Open intents': after.open,
      });

      // Recognition as the API answered each start of the period.
      const said = EXACT_AFTER_IDS.map((id) => recommendations.get(id));
      const count = (r: string) => said.filter((s) => s === r).length;
      const share = (n: number) => `${((n / said.length) * 100).toFixed(1)}%`;
      const recognition = page.getByRole('table', { name: 'Recognition, in numbers' });
      expect(await cells(recognition.getByRole('row', { name: /^Recognised/ }))).toEqual([String(count('reuse')), share(count('reuse'))]);
      expect(await cells(recognition.getByRole('row', { name: /^To confirm/ }))).toEqual([String(count('confirm')), share(count('confirm'))]);
      expect(await cells(recognition.getByRole('row', { name: /^New/ }))).toEqual([String(count('ignore')), share(count('ignore'))]);
      expect(shown['Recognised']).toBe(share(count('reuse')));

      const perDay = page.getByRole('table', { name: 'Calls per day, in numbers' });
      const rows = await perDay.getByRole('row').allInnerTexts();
      expect(rows.slice(1, -1).map((r) => r.split('\t').slice(0, 2))).toEqual(
        Object.entries(EXACT_FIGURES.afterPerDay).map(([day, calls]) => [
          new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).replace(',', ''),
          String(calls),
        ]),
      );

      const roi = page.getByRole('region', { name: 'Before and after (ROI)' });
      for (const [metric, expected] of Object.entries(EXACT_FIGURES.roi)) {
        expect(await cells(roi.getByRole('row', { name: new RegExp(`^${metric} `) }))).toEqual(expected);
      }
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('signs out to the sign-in page, and Back does not bring the figures back', async () => {
    const { context, page, problems } = await openPage(browser, origin);
    try {
      await signIn(page, exact.admin.secret);
      await compareGoLive(page, EXACT_GO_LIVE.goLive, EXACT_GO_LIVE.days);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(`${origin}/dashboard/sign-in?reason=signed-out`);
      await page.getByText('You have signed out.').waitFor();
      await page.goBack();
      await page.waitForLoadState('load');
      expect(page.url()).toMatch(new RegExp(`^${origin}/dashboard/sign-in`));
      expect(await page.getByRole('heading', { name: /^Outcomes/ }).count()).toBe(0);
      expect(await page.content()).not.toContain(EXACT_FIGURES.after.aht);
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('passes axe and fits a phone screen without sideways scrolling', async () => {
    const { context, page, problems } = await openPage(browser, origin, { width: 390, height: 844 });
    try {
      await signIn(page, rich.admin.secret);
      await compareGoLive(page, '2026-03-06', 14);
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      expect(await drawnPixels(page.getByRole('img', { name: /^Calls per day/ }))).toBeGreaterThan(1000);
      expect(await accessibilityViolations(page)).toEqual([]);
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('keeps a 128-character intent name inside its table, on a phone and on a desktop', async () => {
    const long = await makeKeys(t.keys, t.orm.em.fork(), 'Long Words', Environment.TEST);
    const post = poster(long.standard.secret);
    const intent = 'i'.repeat(128);
    expect((await post('/v1/calls/start', { call_id: 'long-1', ani: '+14155550177' })).status).toBe(200);
    expect((await post('/v1/calls/end', { call_id: 'long-1', intent })).status).toBe(200);
    for (const viewport of [{ width: 390, height: 844 }, { width: 1280, height: 720 }]) {
      const { context, page, problems } = await openPage(browser, origin, viewport);
      try {
        await signIn(page, long.admin.secret);
        await page.getByRole('table', { name: 'Top intents by calls' }).getByRole('rowheader', { name: intent }).waitFor();
        expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(viewport.width);
        expectNoProblems(problems);
      } finally {
        await context.close();
      }
    }
  });

  it('shows this month’s starts, ends, identified share and the quota used and left in the usage panel', async () => {
    const organisationId = rich.organisation.id;
    const usage = await usageReport(t.orm.em.fork(), organisationId, '2026-03', 100_000, NOW);
    expect(usage.callsStarted).toBeGreaterThan(0);
    const { context, page, problems } = await openPage(browser, origin);
    try {
      await signIn(page, rich.admin.secret);
      const panel = page.getByRole('region', { name: 'Usage, March 2026 (UTC)' });
      const row = (name: string) => cells(panel.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) }));
      const count = (n: number) => n.toLocaleString('en-US');
      const prod = usage.environments[1]!;
      expect(await row('Prod')).toEqual([count(prod.callsStarted), count(prod.callsEnded), `${((prod.identifiedShare ?? 0) * 100).toFixed(1)}%`]);
      expect(await row('Test')).toEqual(['0', '0', 'no starts']);
      expect(await panel.locator('.quota-line').innerText()).toBe(`${count(usage.used)} of 100,000 used · ${count(100_000 - usage.used)} left`);
      expect(await panel.getByRole('meter').getAttribute('value')).toBe(String(usage.used));
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('shows weeks of traffic before and after a go-live date on an agent desktop (the screenshot)', async () => {
    const { context, page, problems } = await openPage(browser, origin);
    try {
      await signIn(page, rich.admin.secret);
      await compareGoLive(page, '2026-03-06', 14);
      await page.getByRole('heading', { level: 1, name: 'Outcomes: Acme Support · prod' }).waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
      await saveScreenshot(page, 'dashboard');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });
});
