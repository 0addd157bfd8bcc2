/** The links start answers carry: based on PUBLIC_URL or the request's host, and the same for a replayed start. */
import request from 'supertest';

import { ManualClock } from '../../src/shared/clock';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, createTestAppOn, type TestApp } from '../support/test-app';
import { callerApi, DANA_HINTS, NEW_CALLER_HINTS, NOW } from './screen-pop-fixture';

describe.each(ENGINES)('screen-pop links in start answers on %s', (engine) => {
  let t: TestApp;
  const clock = new ManualClock(NOW);

  beforeAll(async () => {
    t = await createTestApp(engine, { PUBLIC_URL: 'https://memory.example.com/cm' }, clock);
  });
  afterAll(() => t.close());

  it('bases links on PUBLIC_URL, path included, and serves the page’s assets under it', async () => {
    const api = await callerApi(t);
    const res = await api.start({ call_id: 'pub-1', ...NEW_CALLER_HINTS });
    const link: string = res.body.flat.screen_pop_url;
    expect(link).toMatch(/^https:\/\/memory\.example\.com\/cm\/screen-pop\/[A-Za-z0-9_-]{120}$/);
    // Behind the proxy the service sees the path without /cm.
    const page = await request(t.app).get(`/screen-pop/${link.split('/').pop()}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('href="/cm/assets/screen-pop.css"');
  });

  it('replays the same link for a retried start, over REST, ?format=flat and GraphQL', async () => {
    const api = await callerApi(t);
    const first = await api.start({ call_id: 'replay-1', ...DANA_HINTS });
    clock.advance(3_000);
    const again = await api.start({ call_id: 'replay-1', ...DANA_HINTS });
    const flat = await api.start({ call_id: 'replay-1', ...DANA_HINTS }, t.app, '/v1/calls/start?format=flat');
    const gql = await request(t.app)
      .post('/graphql')
      .set('Authorization', `Bearer ${api.key}`)
      .send({
        query: 'mutation($input: StartCallInput!) { startCall(input: $input) { replayed screenPopUrl } }',
        variables: { input: { callId: 'replay-1', hints: { ani: '+1 617 555 0100', externalIds: [{ key: 'crm_id', value: 'C-1001' }], lineType: 'MOBILE' } } },
      });
    expect(gql.body.errors).toBeUndefined();
    expect(gql.body.data.startCall.replayed).toBe(true);
    const link = first.body.flat.screen_pop_url;
    expect([again.body.flat.screen_pop_url, flat.body.screen_pop_url, gql.body.data.startCall.screenPopUrl]).toEqual([link, link, link]);
  });
});

describe('screen-pop links without PUBLIC_URL', () => {
  let t: TestApp;
  let proxied: TestApp;
  const clock = new ManualClock(NOW);

  beforeAll(async () => {
    t = await createTestApp('sqlite', {}, clock);
    proxied = await createTestAppOn(t.database, { TRUST_PROXY: 'loopback' }, clock);
  });
  afterAll(async () => {
    await proxied.close();
    await t.close();
  });

  const startVia = async (app: TestApp, headers: Record<string, string>) => {
    const api = await callerApi(app);
    let req = request(app.app).post('/v1/calls/start').set('Authorization', `Bearer ${api.key}`);
    for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
    const res = await req.send({ call_id: 'host-1', ...NEW_CALLER_HINTS });
    return res.body.flat.screen_pop_url as string;
  };

  it('bases links on the request’s Host, ignoring forwarded headers from a proxy it does not trust', async () => {
    const link = await startVia(t, { Host: 'Agent-Desk.example.com:8443', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'evil.example' });
    expect(link).toMatch(/^http:\/\/agent-desk\.example\.com:8443\/screen-pop\/[A-Za-z0-9_-]{120}$/);
  });

  it('believes X-Forwarded-Proto and X-Forwarded-Host from a proxy TRUST_PROXY names', async () => {
    const link = await startVia(proxied, { Host: 'internal:4000', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'memory.example.org' });
    expect(link).toMatch(/^https:\/\/memory\.example\.org\/screen-pop\/[A-Za-z0-9_-]{120}$/);
  });

  it('falls back on localhost for a Host header that is no host name', async () => {
    const link = await startVia(t, { Host: 'evil.example/phish?x=' });
    expect(link).toMatch(/^http:\/\/localhost\/screen-pop\//);
  });
});
