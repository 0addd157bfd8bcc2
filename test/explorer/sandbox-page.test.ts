/** Apollo Sandbox's landing page (GET /graphql for browsers) links to the offline explorer. */
import request from 'supertest';

import { SANDBOX_CSP } from '../../src/http/security-headers';
import { createTestApp, type TestApp } from '../support/test-app';

describe('the Sandbox page', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(() => t.close());

  it('links to the offline explorer in plain HTML ahead of the CDN scripts, styled under Apollo’s own nonce', async () => {
    const res = await request(t.app).get('/graphql').set('Accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toBe(SANDBOX_CSP);
    const html = res.text;
    const link = html.indexOf('<a href="/explorer">Open the offline GraphQL explorer</a>');
    expect(link).toBeGreaterThan(html.indexOf('<body>'));
    expect(link).toBeLessThan(html.indexOf('<script'));
    const nonce = /'nonce-([0-9a-f]{64})'/.exec(html)![1];
    expect(html).toContain(`<style nonce="${nonce}">`);
    // Apollo's policy still lists only its own CDN hosts, under that same nonce.
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="script-src 'self' 'nonce-[0-9a-f]{64}' https:\/\/apollo-server-landing-page/);
  });

  it('gives each page its own nonce, the bar’s style included', async () => {
    const nonces = await Promise.all([1, 2].map(async () => {
      const { text } = await request(t.app).get('/graphql').set('Accept', 'text/html');
      return [/'nonce-([0-9a-f]{64})'/.exec(text)![1], /<style nonce="([0-9a-f]{64})">\n {2}\.cm-explorer-link/.exec(text)![1]];
    }));
    expect(nonces[0][0]).toBe(nonces[0][1]);
    expect(nonces[1][0]).toBe(nonces[1][1]);
    expect(nonces[0][0]).not.toBe(nonces[1][0]);
  });

  it('gives non-browser GETs no landing page and no link: without a key they are told to send one', async () => {
    const res = await request(t.app).get('/graphql').set('Accept', 'application/json');
    expect(res.status).toBe(401);
    expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(res.text).not.toContain('explorer');
  });
});
