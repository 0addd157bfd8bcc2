/**
 * The agent screen pop in real headless Chromium, opened from the `flat.screen_pop_url` a real
 * `/v1/calls/start` answered through the listening service. Every request that leaves the service is
 * aborted and recorded (openPage). SQLite only: the page's reads are tested on both engines over HTTP.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Browser, Page } from 'playwright-core';

import { ManualClock } from '../../src/shared/clock';
import { accessibilityViolations, launchBrowser, openPage, saveScreenshot, type PageProblems } from '../support/browser';
import { createTestApp, type TestApp } from '../support/test-app';
import { callerApi, DANA_HINTS, NEW_CALLER_HINTS, NOW, SAM_HINTS, seedDana, seedSam, type CallerApi } from './screen-pop-fixture';

const PHONE = { width: 390, height: 844 };

/** The page's `document`, as much of it as these tests read (evaluated in the browser; no DOM types here). */
interface PageDocument {
  activeElement: { id: string } | null;
  documentElement: { scrollWidth: number };
}

describe('the screen pop in Chromium', () => {
  let t: TestApp;
  let server: Server;
  let origin: string;
  let browser: Browser;
  let api: CallerApi;
  const clock = new ManualClock(NOW);
  const links: Record<'dana' | 'sam' | 'stranger', string> = { dana: '', sam: '', stranger: '' };

  /** A start sent to the listening service, as a Five9 connector would: the link names its host. */
  async function startLink(body: object): Promise<string> {
    const res = await fetch(`${origin}/v1/calls/start`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${api.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { flat: { screen_pop_url: string } }).flat.screen_pop_url;
  }

  beforeAll(async () => {
    t = await createTestApp('sqlite', {}, clock);
    api = await callerApi(t);
    await seedDana(api, clock);
    await seedSam(api, clock);
    server = t.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    links.dana = await startLink({ call_id: 'five9-7731', ...DANA_HINTS });
    links.sam = await startLink({ call_id: 'five9-7732', ...SAM_HINTS });
    links.stranger = await startLink({ call_id: 'five9-7733', ...NEW_CALLER_HINTS });
    browser = await launchBrowser();
  });
  beforeEach(() => clock.set(new Date(NOW.getTime() + 90_000)));
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  const expectNoProblems = (problems: PageProblems) => expect(problems).toEqual({ consoleErrors: [], offHostRequests: [], failedRequests: [] });
  const region = (page: Page, name: string) => page.getByRole('region', { name });
  const texts = (page: Page, name: string, role: 'listitem' | 'term' | 'definition') => region(page, name).getByRole(role).allInnerTexts();

  async function open(link: string, viewport?: { width: number; height: number }) {
    const opened = await openPage(browser, origin, viewport);
    const response = await opened.page.goto(link);
    return { ...opened, status: response?.status() };
  }

  it('opens from a real start answer on the service’s own host', () => {
    for (const link of Object.values(links)) expect(link.startsWith(`${origin}/screen-pop/`)).toBe(true);
  });

  it('shows a returning caller: who, how recognised, the open refund, saved details and the last 10 calls', async () => {
    const { context, page, problems, status } = await open(links.dana);
    try {
      expect(status).toBe(200);
      await expect(page.title()).resolves.toBe('Screen pop: Dana Smith · Caller Memory');
      await page.getByRole('heading', { level: 1, name: 'Returning caller, very likely Dana Smith' }).waitFor();
      await page.getByText('Very high confidence (0.95)').waitFor();
      await page.getByText('In one line: Last called yesterday (2026-02-06) about refund_request (open). Notes: Left a voicemail about the refund.', { exact: true }).waitFor();
      expect(await texts(page, 'How we recognised them', 'listitem')).toEqual(['Same mobile number as 12 earlier calls', 'CRM id matched', 'Last called 1 day ago']);
      expect(await texts(page, 'Open requests', 'listitem')).toEqual(['Refund request: 2nd attempt, first raised 5 days ago, last 2 days ago']);
      expect(await texts(page, 'Saved details', 'term')).toEqual(['Name', 'Callback note', 'Last summary', 'CSAT (satisfaction score)', 'Preferred language', 'Tier']);
      const details = (await texts(page, 'Saved details', 'definition')).map((d) => d.replace(/\s+/g, ' '));
      expect(details[0]).toMatch(/^Dana Smith saved 40 days ago, from crm$/);
      expect(details[5]).toMatch(/^VIP saved 40 days ago, from crm$/);
      const calls = region(page, 'Earlier calls');
      await calls.getByText('The last 10 of 12 earlier calls, newest first. Times are in UTC.').waitFor();
      const table = calls.getByRole('table', { name: 'Earlier calls, newest first' });
      expect(await table.getByRole('row').count()).toBe(11);
      const second = table.getByRole('row').nth(2);
      await second.getByRole('rowheader', { name: /^2 days ago/ }).waitFor();
      expect(await second.getByRole('cell').allInnerTexts()).toEqual([
        '8 min 17 s',
        'Refund request, still open',
        'Chased the refund for order 77-1043; finance escalated it (ticket FIN-5521). Saved last summary and CSAT',
      ]);
      expect(await accessibilityViolations(page)).toEqual([]);
      await saveScreenshot(page, 'screen-pop');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('warns visibly before anything else for a confirm-level caller', async () => {
    const { context, page, problems } = await open(links.sam);
    try {
      await page.getByRole('heading', { level: 1, name: 'Probably Sam Lee: confirm before sharing account details' }).waitFor();
      const warning = page.getByRole('note', { name: 'Warning' });
      expect(await warning.isVisible()).toBe(true);
      expect(await warning.innerText()).toMatch(/^Confirm identity first\. We are not sure who this is\./);
      expect(await texts(page, 'How we recognised them', 'listitem')).toEqual(['Same phone number as 1 earlier call', 'Last called 3 days ago']);
      expect(await accessibilityViolations(page)).toEqual([]);
      await saveScreenshot(page, 'screen-pop-confirm');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('calls a stranger a new caller, and says in words that there is nothing yet', async () => {
    const { context, page, problems } = await open(links.stranger);
    try {
      await page.getByRole('heading', { level: 1, name: 'New caller' }).waitFor();
      for (const words of ['No open requests.', 'No saved details.', 'No earlier calls. Times are in UTC.', 'In one line: First call.']) {
        expect(await page.getByText(words, { exact: true }).isVisible()).toBe(true);
      }
      expect(await page.getByRole('note', { name: 'Warning' }).count()).toBe(0);
      expect(await accessibilityViolations(page)).toEqual([]);
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('shows the 403 page, in words, for a tampered link and for an expired one', async () => {
    const token = links.dana.split('/').pop()!;
    const tampered = `${origin}/screen-pop/${token.slice(0, 50)}${token[50] === 'x' ? 'y' : 'x'}${token.slice(51)}`;
    const cases: [string, string, string][] = [
      [tampered, 'This screen-pop link is not valid', 'Open the screen pop again from the current call in your agent desktop.'],
      [links.dana, 'This screen-pop link has expired', 'Screen-pop links work for 12 hours after the call starts. Open the newest link from the call.'],
    ];
    for (const [link, heading, words] of cases) {
      if (link === links.dana) clock.set(new Date(NOW.getTime() + 13 * 3_600_000));
      const { context, page, problems, status } = await open(link);
      try {
        expect(status).toBe(403);
        await page.getByRole('heading', { level: 1, name: heading }).waitFor();
        expect(await page.getByText(words).isVisible()).toBe(true);
        expect(await page.getByText('Dana Smith').count()).toBe(0);
        expect(await accessibilityViolations(page)).toEqual([]);
        // Chromium reports the document's own 403 status on the console; nothing else may appear there.
        expect(problems.consoleErrors.filter((e) => !/status of 403/.test(e))).toEqual([]);
        expect([problems.offHostRequests, problems.failedRequests]).toEqual([[], []]);
      } finally {
        await context.close();
      }
    }
  });

  it('is keyboard-navigable: the skip link comes first and moves focus to the page’s content', async () => {
    const { context, page, problems } = await open(links.dana);
    try {
      await page.keyboard.press('Tab');
      const skip = page.getByRole('link', { name: 'Skip to main content' });
      expect(await skip.evaluate((e) => e === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement)).toBe(true);
      expect(await skip.isVisible()).toBe(true);
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => (globalThis as unknown as { document: PageDocument }).document.activeElement?.id)).toBe('main');
      expect(page.url()).toBe(`${links.dana}#main`);
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('fits a phone: no horizontal scrolling, the calls table read as labelled lines', async () => {
    for (const link of [links.dana, links.sam]) {
      const { context, page, problems } = await open(link, PHONE);
      try {
        expect(await page.evaluate(() => (globalThis as unknown as { document: PageDocument }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
        await page.getByRole('heading', { level: 1 }).waitFor();
        expect(await accessibilityViolations(page)).toEqual([]);
        expectNoProblems(problems);
      } finally {
        await context.close();
      }
    }
  });

  it('fits a phone and a desktop when the caller’s texts are single words hundreds of characters long', async () => {
    const word = (letter: string, length: number) => letter.repeat(length);
    const hints = { identity_hints: { ani: '+1 312 555 0111', external_ids: { [word('k', 64)]: 'K-1' } } };
    await api.start({ call_id: `x${word('a', 255)}`, ...hints });
    await api.end({
      call_id: `x${word('a', 255)}`,
      intent: word('i', 128),
      variables: { name: word('N', 300), notes: word('W', 600), [word('v', 64)]: { value: word('V', 300), source: word('s', 64) } },
    });
    const link = await startLink({ call_id: `y${word('b', 255)}`, ...hints });
    for (const viewport of [PHONE, { width: 1280, height: 720 }]) {
      const { context, page, problems } = await open(link, viewport);
      try {
        await page.getByRole('heading', { level: 1, name: /^Returning caller/ }).waitFor();
        expect(await page.evaluate(() => (globalThis as unknown as { document: PageDocument }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
        expectNoProblems(problems);
      } finally {
        await context.close();
      }
    }
  });
});
