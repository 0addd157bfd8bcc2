/**
 * CORS in a real browser: a page served from another origin calls /graphql and /v1 with fetch, as a web
 * app would. Chromium sends the preflight itself; a listed origin reads the answers, an unlisted one is
 * stopped by the browser. The page's server and the API listen on different ports of this machine
 * (different origins).
 */
import { createServer, type Server } from 'node:http';

import type { Browser, Page } from 'playwright-core';

import { launchBrowser } from '../support/browser';
import { listeningApp, listenOnLoopback, type ListeningApp } from '../support/listening-app';
import { ENGINES } from '../support/scratch-database';

/** What a page's fetch got: the status and body it could read, or the error the browser gave it. */
type Outcome = { status: number; body: unknown; requestId: string | null } | { error: string };

/** Runs fetch in the page, as the page's own script would. */
function fetchFromPage(page: Page, url: string, init: { method?: string; headers?: Record<string, string>; body?: string }): Promise<Outcome> {
  return page.evaluate(
    async ({ url, init }) => {
      try {
        const res = await fetch(url, init);
        return { status: res.status, body: await res.json(), requestId: res.headers.get('x-request-id') };
      } catch (error) {
        return { error: String(error) };
      }
    },
    { url, init },
  );
}

describe.each(ENGINES)('CORS in Chromium on %s', (engine) => {
  let browser: Browser;
  let pages: Server;
  let api: ListeningApp;
  /** The same page server under two origins: 127.0.0.1 is listed, localhost is not. */
  let listedOrigin: string;
  let unlistedOrigin: string;

  beforeAll(async () => {
    pages = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Web app</title><p>Web app'));
    listedOrigin = await listenOnLoopback(pages);
    unlistedOrigin = listedOrigin.replace('127.0.0.1', 'localhost');
    api = await listeningApp(engine, { env: { CORS_ORIGINS: listedOrigin } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await new Promise((resolve) => pages?.close(resolve));
  });

  /** Every URL the pages asked for: only the page's server and the API. */
  const requested: string[] = [];
  afterEach(() => {
    expect(requested.filter((url) => !url.startsWith(listedOrigin) && !url.startsWith(unlistedOrigin) && !url.startsWith(api.origin))).toEqual([]);
  });

  /**
   * A page opened on `origin`. No request routing: Playwright answers CORS preflights itself while it
   * routes requests, which would hide the service's answer. The page loads nothing but the API.
   */
  async function pageOn(origin: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    page.on('request', (req) => requested.push(req.url()));
    await page.goto(`${origin}/`);
    return page;
  }

  const query = (text: string) => `/graphql?query=${encodeURIComponent(text)}`;

  it('a listed origin queries over GET, mutates over POST and calls /v1, reading every answer', async () => {
    const page = await pageOn(listedOrigin);
    const headers = { Authorization: `Bearer ${api.key}` };
    const get = await fetchFromPage(page, `${api.origin}${query('{ viewer { environment } }')}`, { headers });
    expect(get).toEqual({ status: 200, body: { data: { viewer: { environment: 'TEST' } } }, requestId: expect.any(String) });

    const json = { ...headers, 'Content-Type': 'application/json' };
    const start = await fetchFromPage(page, `${api.origin}/graphql`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ query: 'mutation { startCall(input: { callId: "browser-1", hints: { ani: "4155550901" } }) { replayed } }' }),
    });
    expect(start).toMatchObject({ status: 200, body: { data: { startCall: { replayed: false } } } });

    const end = await fetchFromPage(page, `${api.origin}/v1/calls/end`, { method: 'POST', headers: json, body: JSON.stringify({ call_id: 'browser-1', intent: 'billing' }) });
    expect(end).toMatchObject({ status: 200, body: { call_id: 'browser-1', intents_updated: 1 } });

    // An error is readable too, with the request id a script may quote.
    const refused = await fetchFromPage(page, `${api.origin}/v1/calls/end`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(refused).toMatchObject({ status: 401, requestId: expect.any(String) });
  });

  it('an unlisted origin is stopped by the browser, and its mutation never runs', async () => {
    const page = await pageOn(unlistedOrigin);
    const outcome = await fetchFromPage(page, `${api.origin}/graphql`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${api.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { startCall(input: { callId: "browser-2", hints: { ani: "4155550902" } }) { replayed } }' }),
    });
    expect(outcome).toEqual({ error: expect.stringMatching(/Failed to fetch/) });
    // The preflight got no CORS answer, so the browser never sent the mutation.
    const call = await fetchFromPage(await pageOn(listedOrigin), `${api.origin}${query('{ call(callId: "browser-2") { callId } }')}`, { headers: { Authorization: `Bearer ${api.key}` } });
    expect(call).toMatchObject({ status: 200, body: { data: { call: null } } });
  });
});
