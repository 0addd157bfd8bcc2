/** The offline explorer over HTTP: when it is served, with which headers, and that it needs nothing from elsewhere. */
import request from 'supertest';

import { pageCsp } from '../../src/pages/page-policy';
import { createTestApp, type TestApp } from '../support/test-app';

const scriptTags = (html: string) => [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => ({ attributes: m[1], body: m[2] }));
const assetLinks = (html: string) => [...html.matchAll(/(?:src|href)="([^"]*\/assets\/[^"]+)"/g)].map((m) => m[1]);
const settingsOf = (html: string) => JSON.parse(scriptTags(html).find((s) => s.attributes.includes('id="explorer-settings"'))!.body);

describe('the offline explorer page', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(() => t.close());

  it('is served without a key under the page CSP (inline styles for GraphiQL only), noindex and no-store', async () => {
    const res = await request(t.app).get('/explorer');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe(pageCsp({ inlineStyles: true }));
    expect(res.headers['content-security-policy']).toContain("script-src 'self';");
    expect(res.headers['x-robots-tag']).toBe('noindex, nofollow');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.text).toContain('<meta name="robots" content="noindex, nofollow">');
  });

  it('has an API key field of type password with a hint, and says the key stays in this tab', async () => {
    const { text } = await request(t.app).get('/explorer');
    expect(text).toContain('<label for="api-key">API key</label>');
    // Nameless, so no form submission can carry the key (explorer.js reads the field itself).
    expect(text).toMatch(/<input id="api-key" type="password"[^>]*aria-describedby="api-key-hint"/);
    expect(text).toContain('npm run keys -- create');
    expect(text).toContain('sessionStorage, never localStorage');
  });

  it('runs no inline script: scripts are files of the service, data is a JSON block', async () => {
    const { text } = await request(t.app).get('/explorer');
    const scripts = scriptTags(text);
    expect(scripts.filter((s) => !/type="application\/json"/.test(s.attributes)).map((s) => s.attributes.match(/src="([^"]+)"/)?.[1])).toEqual([
      '/assets/react.production.min.js',
      '/assets/react-dom.production.min.js',
      '/assets/graphiql.min.js',
      '/assets/explorer.js',
    ]);
    for (const script of scripts.filter((s) => !/type="application\/json"/.test(s.attributes))) expect(script.body).toBe('');
    expect(settingsOf(text)).toMatchObject({ endpoint: '/graphql', introspection: true });
  });

  it('loads every file from the service itself, nothing from another host', async () => {
    const { text } = await request(t.app).get('/explorer');
    expect(text).not.toMatch(/(src|href)="(https?:)?\/\//);
    const links = assetLinks(text);
    expect(links).toEqual(expect.arrayContaining(['/assets/pages.css', '/assets/graphiql.min.css', '/assets/explorer.css', '/assets/explorer.js']));
    for (const link of links) {
      const asset = await request(t.app).get(link);
      expect([link, asset.status]).toEqual([link, 200]);
      expect(asset.headers['content-type']).toMatch(link.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
      expect(Number(asset.headers['content-length'])).toBeGreaterThan(100);
    }
  });

  it('serves the browser builds of the installed packages: GraphiQL’s UMD bundle and React’s production builds', async () => {
    const graphiql = await request(t.app).get('/assets/graphiql.min.js');
    expect(graphiql.text).toContain('window.GraphiQL = ');
    const react = await request(t.app).get('/assets/react.production.min.js');
    expect(react.text).toMatch(/^\/\*\*\n \* @license React\n \* react\.production\.min\.js/);
    expect(react.text).toContain('"18.3.1"');
    const reactDom = await request(t.app).get('/assets/react-dom.production.min.js');
    expect(reactDom.text).toMatch(/^\/\*\*\n \* @license React\n \* react-dom\.production\.min\.js/);
  });

  it('answers odd requests to its path without an error: other methods are 404s, parameters are ignored, HEAD has no body', async () => {
    for (const method of ['post', 'put', 'delete', 'patch'] as const) {
      const res = await request(t.app)[method]('/explorer').send('{"x":1}');
      expect([method, res.status, res.body]).toEqual([method, 404, { error: 'Not Found', message: `No route for ${method.toUpperCase()} /explorer` }]);
    }
    const hostile = await request(t.app).get(`/explorer?url=%3Cscript%3E&url=2&endpoint=https://evil.example&x=${'a'.repeat(6000)}`);
    expect(hostile.status).toBe(200);
    expect(settingsOf(hostile.text).endpoint).toBe('/graphql');
    expect(hostile.text).not.toContain('evil.example');
    const head = await request(t.app).head('/explorer');
    expect(head.status).toBe(200);
    expect(head.text).toBeFalsy();
    expect(head.headers['content-security-policy']).toBe(pageCsp({ inlineStyles: true }));
  });
});

describe('the offline explorer behind a proxy path (PUBLIC_URL)', () => {
  it('posts to /graphql and loads its files under PUBLIC_URL’s path, and Sandbox links to it there', async () => {
    const t = await createTestApp('sqlite', { PUBLIC_URL: 'https://memory.example.com/caller-memory/' });
    try {
      const { text } = await request(t.app).get('/explorer');
      expect(settingsOf(text).endpoint).toBe('/caller-memory/graphql');
      expect(assetLinks(text).length).toBeGreaterThan(5);
      for (const link of assetLinks(text)) expect(link).toMatch(/^\/caller-memory\/assets\//);
      expect(text).toContain('<a href="/caller-memory/graphql">Apollo Sandbox');
      const sandbox = await request(t.app).get('/graphql').set('Accept', 'text/html');
      expect(sandbox.text).toContain('<a href="/caller-memory/explorer">Open the offline GraphQL explorer</a>');
    } finally {
      await t.close();
    }
  });
});

describe('the offline explorer with introspection off', () => {
  it('says there are no docs or completion and asks GraphiQL for no schema', async () => {
    const t = await createTestApp('sqlite', { GRAPHQL_INTROSPECTION: 'false' });
    try {
      const { status, text } = await request(t.app).get('/explorer');
      expect(status).toBe(200);
      expect(text).toContain('Introspection is off on this service');
      expect(settingsOf(text).introspection).toBe(false);
    } finally {
      await t.close();
    }
  });
});

describe('the offline explorer with Sandbox off (the production default)', () => {
  it('is a 404 in the error shape, like Sandbox itself', async () => {
    const t = await createTestApp('sqlite', { GRAPHQL_SANDBOX: 'false' });
    try {
      const res = await request(t.app).get('/explorer');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: 'Not Found', message: 'No route for GET /explorer' });
      expect(res.headers['cache-control']).toBe('no-store');
      const sandbox = await request(t.app).get('/graphql').set('Accept', 'text/html');
      expect(sandbox.text).not.toContain('offline GraphQL explorer');
    } finally {
      await t.close();
    }
  });

  it('is served in production only when GRAPHQL_SANDBOX=true', async () => {
    const env = { NODE_ENV: 'production', APP_SECRET: 'x'.repeat(48) };
    const off = await createTestApp('sqlite', env);
    const on = await createTestApp('sqlite', { ...env, GRAPHQL_SANDBOX: 'true' });
    try {
      expect((await request(off.app).get('/explorer')).status).toBe(404);
      expect((await request(on.app).get('/explorer')).status).toBe(200);
    } finally {
      await off.close();
      await on.close();
    }
  });
});
