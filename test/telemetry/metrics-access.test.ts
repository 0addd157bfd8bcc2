/**
 * Who may read /metrics on the service's port (contract §8): the metrics token (METRICS_TOKEN) or an admin
 * key; an ordinary key is forbidden, no credentials or a wrong token are unauthenticated, in the
 * contract's error shape.
 */
import request from 'supertest';

import { ApiKeyRole } from '../../src/tenancy/api-key-role';
import { makeKey, makeOrganisation } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';
import { Scrape } from './scrape';

const TOKEN = 'metrics-token-for-the-access-tests';
const PROMETHEUS_TEXT = /^text\/plain; version=0\.0\.4/;

describe('reading /metrics', () => {
  let t: TestApp;
  let admin: string;
  let ordinary: string;

  beforeAll(async () => {
    t = await createTestApp('sqlite', { METRICS_TOKEN: TOKEN });
    const em = t.orm.em.fork();
    const organisation = await makeOrganisation(t.keys, em);
    admin = (await makeKey(t.keys, em, organisation, { role: ApiKeyRole.ADMIN })).secret;
    ordinary = (await makeKey(t.keys, em, organisation)).secret;
  });
  afterAll(() => t.close());

  it('answers the Prometheus text format for the metrics token', async () => {
    const res = await request(t.app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    expect(res.headers['content-type']).toMatch(PROMETHEUS_TEXT);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(new Scrape(res.text).typeOf('caller_memory_http_request_duration_seconds')).toBe('HISTOGRAM');
  });

  it('answers it for an admin key, in any of the ways a key is sent', async () => {
    await request(t.app).get('/metrics').set('Authorization', `Bearer ${admin}`).expect(200).expect('content-type', PROMETHEUS_TEXT);
    await request(t.app).get('/metrics').set('X-Api-Key', admin).expect(200);
  });

  it('refuses an ordinary key with 403 FORBIDDEN', async () => {
    const res = await request(t.app).get('/metrics').set('Authorization', `Bearer ${ordinary}`).expect(403);
    expect(res.body).toEqual({ error: 'Forbidden', message: expect.stringContaining('admin') });
  });

  it('refuses a request without credentials with 401 and a challenge', async () => {
    const res = await request(t.app).get('/metrics').expect(401);
    expect(res.headers['www-authenticate']).toContain('Bearer');
    expect(res.body.error).toBe('Unauthorized');
    expect(res.text).not.toContain('caller_memory_');
  });

  it('refuses a wrong token with 401', async () => {
    const res = await request(t.app).get('/metrics').set('Authorization', `Bearer ${TOKEN}x`).expect(401);
    expect(res.headers['www-authenticate']).toContain('Bearer');
    await request(t.app).get('/metrics').set('Authorization', `Bearer ${TOKEN.slice(0, -1)}`).expect(401);
  });

  it('answers only GET (405 otherwise)', async () => {
    await request(t.app).post('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(405);
  });

  it('times the scrapes themselves under the /metrics route', async () => {
    await request(t.app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    const res = await request(t.app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    expect(new Scrape(res.text).histogram('caller_memory_http_request_duration_seconds', { route: '/metrics', method: 'GET', status: '200' })?.count).toBeGreaterThanOrEqual(1);
  });
});

describe('reading /metrics without METRICS_TOKEN set', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(() => t.close());

  it('takes no token at all: a bearer that is no key is unauthenticated', async () => {
    await request(t.app).get('/metrics').set('Authorization', 'Bearer anything-at-all-sixteen').expect(401);
  });
});
