/**
 * Real headless Chromium for page tests: Debian's `chromium` (installed by scripts/test when missing),
 * driven by playwright-core, never a downloaded browser. Every context starts empty; the flags keep
 * Chromium from dialling hosts this machine cannot reach.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Where Debian installs Chromium. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Starts Chromium; close it in afterAll. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS, headless: true });
}

/** What a page did that it should not: console errors, CSP violations, failed or off-host requests. */
export interface PageProblems {
  consoleErrors: string[];
  offHostRequests: string[];
  failedRequests: string[];
}

/**
 * A fresh context and page (1280×720 unless told) that records problems and aborts every request that
 * leaves `origin`, so a page that needs the internet fails its test instead of passing on a connected machine.
 */
export async function openPage(
  browser: Browser,
  origin: string,
  viewport = { width: 1280, height: 720 },
): Promise<{ context: BrowserContext; page: Page; problems: PageProblems }> {
  const context = await browser.newContext({ viewport, javaScriptEnabled: true });
  const problems: PageProblems = { consoleErrors: [], offHostRequests: [], failedRequests: [] };
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('data:')) return route.continue();
    problems.offHostRequests.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(message.text());
  });
  page.on('requestfailed', (request) => problems.failedRequests.push(`${request.url()} ${request.failure()?.errorText ?? ''}`));
  return { context, page, problems };
}

/** axe-core's WCAG 2 A/AA violations on the page as it is now (rule id and the first offending node). */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the debugging protocol, which the page's CSP does not govern.
  await page.evaluate(source);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (o: unknown) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => `${v.id}: ${v.nodes[0]?.target.join(' ')}`);
  });
  return violations;
}

/**
 * Saves a screenshot under docs/screenshots/ when UPDATE_SCREENSHOTS=1 (how the README's pictures are made);
 * otherwise does nothing, so ordinary runs leave the tree clean.
 */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  if (process.env.UPDATE_SCREENSHOTS !== '1') return;
  const dir = join(__dirname, '..', '..', 'docs', 'screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}
