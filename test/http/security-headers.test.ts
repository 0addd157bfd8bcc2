/**
 * Security headers on every answer (issue 9, item 13): nosniff, frame denial, no referrer, no caching of
 * anything (every /v1 and /graphql answer may carry caller data, errors included), a CSP, and HSTS only
 * on requests that came over HTTPS, which behind a proxy needs TRUST_PROXY.
 */
import request from 'supertest';

import { SANDBOX_CSP, STRICT_CSP } from '../../src/http/security-headers';
import { makeKey, makeOrganisation } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';

const VIEWER = { query: '{ viewer { environment } }' };

describe('security headers', () => {
  let t: TestApp;
  let behindProxy: TestApp;
  let auth: { Authorization: string };

  beforeAll(async () => {
    t = await createTestApp('sqlite', { GRAPHQL_SANDBOX: 'true' });
    behindProxy = await createTestApp('sqlite', { TRUST_PROXY: 'loopback' });
    const em = t.orm.em.fork();
    auth = { Authorization: `Bearer ${(await makeKey(t.keys, em, await makeOrganisation(t.keys, em))).secret}` };
  });
  afterAll(async () => {
    await t.close();
    await behindProxy.close();
  });

  const answers: [string, () => request.Test][] = [
    ['a REST answer', () => request(t.app).post('/v1/calls/start').set(auth).send({ call_id: 'h1', ani: '4155550101' })],
    ['a REST 401', () => request(t.app).post('/v1/calls/start').send({ call_id: 'h1' })],
    ['a REST 400', () => request(t.app).post('/v1/calls/start').set(auth).send({})],
    ['a REST 405', () => request(t.app).get('/v1/calls/start').set(auth)],
    ['a GraphQL answer', () => request(t.app).post('/graphql').set(auth).send(VIEWER)],
    ['a GraphQL 401', () => request(t.app).post('/graphql').send(VIEWER)],
    ['a GraphQL validation error', () => request(t.app).post('/graphql').set(auth).send({ query: '{ nope }' })],
    [
      'a GraphQL unknown persisted query (Apollo marks it private, no-cache)',
      () => request(t.app).post('/graphql').set(auth).send({ extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }),
    ],
    ['a 404', () => request(t.app).get('/nowhere')],
    ['a probe', () => request(t.app).get('/healthz')],
  ];

  it.each(answers)('sets nosniff, frame denial, no referrer, no-store and a strict CSP on %s', async (_case, send) => {
    const res = await send();
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
      'content-security-policy': STRICT_CSP,
    });
    expect(STRICT_CSP).toContain("frame-ancestors 'none'");
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('serves the Sandbox landing page without a key, under a CSP that frames nobody and Apollo’s own nonce policy', async () => {
    const res = await request(t.app).get('/graphql').set('Accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toBe(SANDBOX_CSP);
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['cache-control']).toBe('no-store');
    // The page's scripts, styles and frame are governed by the per-page nonce policy Apollo writes into it.
    expect(res.text).toMatch(/<meta http-equiv="Content-Security-Policy" content="script-src 'self' 'nonce-[0-9a-f]{64}'/);
  });

  it('sends HSTS only when the request came over HTTPS, and believes X-Forwarded-Proto only from a trusted proxy', async () => {
    const trusted = await request(behindProxy.app).get('/healthz').set('X-Forwarded-Proto', 'https');
    expect(trusted.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');

    const plain = await request(behindProxy.app).get('/healthz');
    expect(plain.headers['strict-transport-security']).toBeUndefined();

    // Without TRUST_PROXY anybody could send the header: it is ignored.
    const untrusted = await request(t.app).get('/healthz').set('X-Forwarded-Proto', 'https');
    expect(untrusted.headers['strict-transport-security']).toBeUndefined();
  });
});
