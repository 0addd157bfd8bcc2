/**
 * The per-organisation rate limit over HTTP (contract §7–§8) on both engines (SQLite: the in-process
 * limiter; PostgreSQL: the rate_limit_counters table): the limit with its 10% grace, then 429 with
 * Retry-After and the IETF RateLimit fields, recovery once Retry-After has passed, one limit for /v1 and
 * /graphql and both keys, 401s and refusals uncounted, the organisation's own limit, unlimited (0).
 * The counting tests run with an hour-long window: a fresh organisation has no earlier window, and no window
 * boundary (which moves the rolling count) falls inside a test on a slow machine. The recovery test runs
 * with a 2 s window and sends its bursts concurrently, so each lands within one window.
 */
import { setTimeout as sleep } from 'node:timers/promises';

import request from 'supertest';

import { ENGINES } from '../support/scratch-database';
import { limitedOrg, nextWindow, rateFields, startCall, viewerQuery } from '../support/rate-limited-org';
import { createTestApp, type TestApp } from '../support/test-app';

const SHORT_WINDOW_MS = 2000;
// 10 per window, 11 with the grace.
const ENV = { RATE_LIMIT_PER_MINUTE: '10', RATE_LIMIT_WINDOW_SECONDS: '3600', AUTH_FAILURE_LIMIT: '1000', GRAPHQL_SANDBOX: 'true' };
const POLICY = '"organisation";q=11;w=3600';

describe.each(ENGINES)('the rate limit on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine, ENV);
  });
  afterAll(() => t.close());

  it('admits the limit with its 10% grace, then answers 429 with Retry-After and the RateLimit fields', async () => {
    const org = await limitedOrg(t);
    for (let i = 0; i < 11; i++) {
      const ok = await startCall(t.app, org.testKey);
      expect(ok.status).toBe(200);
      expect(rateFields(ok)).toEqual({ policy: POLICY, limit: `"organisation";r=${10 - i};t=${ok.headers.ratelimit.split('t=')[1]}` });
    }
    const refused = await startCall(t.app, org.testKey);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ error: 'Too Many Requests', message: expect.stringContaining('Rate limit exceeded') });
    expect(refused.headers['retry-after']).toMatch(/^[1-9][0-9]*$/);
    expect(rateFields(refused)).toEqual({ policy: POLICY, limit: `"organisation";r=0;t=${refused.headers['retry-after']}` });
  });

  it('shares one limit between /v1 and /graphql and between the organisation’s test and prod keys', async () => {
    const org = await limitedOrg(t);
    for (let i = 0; i < 4; i++) expect((await startCall(t.app, org.testKey)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await viewerQuery(t.app, org.testKey)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await startCall(t.app, org.prodKey)).status).toBe(200);
    const graphql = await viewerQuery(t.app, org.prodKey);
    expect(graphql.status).toBe(429);
    expect(graphql.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(graphql.headers['retry-after']).toMatch(/^[1-9][0-9]*$/);
    expect(rateFields(graphql).policy).toBe(POLICY);
    expect((await startCall(t.app, org.testKey)).status).toBe(429);
    // Another organisation has its own limit.
    expect((await startCall(t.app, (await limitedOrg(t)).testKey)).status).toBe(200);
  });

  it('never counts requests refused with 401 (a revoked key, no key)', async () => {
    const org = await limitedOrg(t);
    await t.orm.em.fork().getConnection().execute('update api_keys set revoked_at = ? where id = ?', [new Date(), org.testKeyId]);
    for (let i = 0; i < 15; i++) {
      const refused = await startCall(t.app, org.testKey);
      expect(refused.status).toBe(401);
      expect(rateFields(refused)).toEqual({});
    }
    for (let i = 0; i < 5; i++) expect((await request(t.app).post('/v1/calls/start').send({ call_id: 'no-key' })).status).toBe(401);
    const first = await startCall(t.app, org.prodKey);
    expect(first.status).toBe(200);
    expect(first.headers.ratelimit).toMatch(/^"organisation";r=10;t=\d+$/);
  });

  it('applies the organisation’s own limit from the organisations table', async () => {
    const org = await limitedOrg(t, 3);
    for (let i = 0; i < 3; i++) {
      const ok = await startCall(t.app, org.testKey);
      expect(ok.status).toBe(200);
      expect(ok.headers['ratelimit-policy']).toBe('"organisation";q=3;w=3600');
    }
    expect((await startCall(t.app, org.testKey)).status).toBe(429);
  });

  it('sends the RateLimit fields of each request, one count apart, for an organisation counted from leases (a large limit)', async () => {
    // 100,000 an hour: 110,000 with the grace, leases of 64 counts; the third request on is decided at once (checkNow).
    const org = await limitedOrg(t, 100_000);
    const remaining: number[] = [];
    for (let i = 0; i < 6; i++) {
      const ok = await startCall(t.app, org.testKey);
      expect(ok.status).toBe(200);
      expect(rateFields(ok).policy).toBe('"organisation";q=110000;w=3600');
      remaining.push(Number(/r=(\d+)/.exec(ok.headers.ratelimit)![1]));
    }
    expect(remaining).toEqual([109_999, 109_998, 109_997, 109_996, 109_995, 109_994]);
  });

  it('neither counts nor sends RateLimit fields for an organisation whose limit is 0 (unlimited)', async () => {
    const org = await limitedOrg(t, 0);
    for (let i = 0; i < 20; i++) {
      const ok = await startCall(t.app, org.testKey);
      expect(ok.status).toBe(200);
      expect(rateFields(ok)).toEqual({});
    }
  });

  it('counts a request once though it passes both the /v1/customers and the /v1 mounts', async () => {
    const org = await limitedOrg(t);
    const unknown = await request(t.app).get('/v1/customers').set('Authorization', `Bearer ${org.testKey}`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.ratelimit).toMatch(/^"organisation";r=10;/);
    expect((await startCall(t.app, org.testKey)).headers.ratelimit).toMatch(/^"organisation";r=9;/);
  });

  it('leaves the Sandbox page a browser opens on /graphql alone', async () => {
    const page = await request(t.app).get('/graphql').set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(rateFields(page)).toEqual({});
  });

  it('counts refusals in the limit-refusals metric', async () => {
    const before = await refusals(t);
    const org = await limitedOrg(t, 1);
    expect((await startCall(t.app, org.testKey)).status).toBe(200);
    expect((await startCall(t.app, org.testKey)).status).toBe(429);
    expect((await viewerQuery(t.app, org.testKey)).status).toBe(429);
    expect(await refusals(t)).toBe(before + 2);
  });
});

describe.each(ENGINES)('the rate limit with a 2 s window on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine, { ...ENV, RATE_LIMIT_WINDOW_SECONDS: '2' });
  });
  afterAll(() => t.close());

  it('admits again once Retry-After has passed, refused requests not having counted', async () => {
    const org = await limitedOrg(t);
    await nextWindow(SHORT_WINDOW_MS);
    const burst = async (n: number) => Promise.all(Array.from({ length: n }, () => startCall(t.app, org.testKey)));
    expect((await burst(11)).map((r) => r.status)).toEqual(Array(11).fill(200));
    const refused = await burst(9);
    expect(refused.map((r) => r.status)).toEqual(Array(9).fill(429));
    // Had the refusals counted, the wait they announced would not be enough.
    const wait = Math.max(...refused.map((r) => Number(r.headers['retry-after'])));
    await sleep(wait * 1000);
    expect((await startCall(t.app, org.testKey)).status).toBe(200);
  });
});

describe('the rate limit set to 0 for every organisation (RATE_LIMIT_PER_MINUTE=0)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite', { RATE_LIMIT_PER_MINUTE: '0' });
  });
  afterAll(() => t.close());

  it('sends no RateLimit fields and refuses nothing', async () => {
    const org = await limitedOrg(t);
    for (let i = 0; i < 20; i++) {
      const ok = await (i % 2 ? viewerQuery(t.app, org.testKey) : startCall(t.app, org.testKey));
      expect(ok.status).toBe(200);
      expect(rateFields(ok)).toEqual({});
    }
  });
});

/** The rate refusals counted so far. */
async function refusals(t: TestApp): Promise<number> {
  const metric = await t.services.telemetry.limitRefusals.get();
  return metric.values.find((v) => v.labels.limit === 'rate')?.value ?? 0;
}
