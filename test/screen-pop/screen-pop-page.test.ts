/** GET /screen-pop/:token over HTTP on both engines: what it shows, who it refuses, its headers, and that it only reads. */
import request from 'supertest';

import { ManualClock } from '../../src/shared/clock';
import { ScreenPopLinks } from '../../src/screen-pop/screen-pop-links';
import { Environment } from '../../src/tenancy/environment';
import { databaseState } from '../support/database-state';
import { statementsOf } from '../support/query-counter';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, createTestAppOn, type TestApp } from '../support/test-app';
import { callerApi, DANA_HINTS, NEW_CALLER_HINTS, NOW, pathOf, SAM_HINTS, seedDana, seedSam, type CallerApi } from './screen-pop-fixture';

const HOUR = 3_600_000;
const INVALID = 'This screen-pop link is not valid';
const EXPIRED = 'This screen-pop link has expired';

/** The call row behind a platform call id: what a link is signed over. */
async function callRow(t: TestApp, callId: string) {
  const [row] = await t.orm.em.getConnection().execute('select id, organisation_id, environment, customer_id from calls where call_id = ?', [callId]);
  return { id: row.id as string, organisationId: row.organisation_id as string, environment: row.environment as Environment, customer: { id: row.customer_id as string } };
}

describe.each(ENGINES)('the screen-pop page on %s', (engine) => {
  let t: TestApp;
  let api: CallerApi;
  let danaLink: string;
  let danaContext: string;
  const clock = new ManualClock(NOW);

  beforeAll(async () => {
    t = await createTestApp(engine, {}, clock);
    api = await callerApi(t);
    await seedDana(api, clock);
    await seedSam(api, clock);
    const dana = await api.start({ call_id: 'dana-now', ...DANA_HINTS });
    danaLink = dana.body.flat.screen_pop_url;
    danaContext = dana.body.flat.context;
  });
  beforeEach(() => clock.set(new Date(NOW.getTime() + 90_000)));
  afterAll(() => t.close());

  const get = (path: string) => request(t.app).get(path);

  it('shows a returning caller’s page, in words, from the link a real start answered', async () => {
    const res = await get(pathOf(danaLink));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    for (const text of [
      '<h1 id="sp-headline">Returning caller, very likely Dana Smith</h1>',
      'Very high confidence (0.95)',
      '<li>Same mobile number as 12 earlier calls</li>',
      '<li>CRM id matched</li>',
      '<li>Last called 1 day ago</li>',
      '<li>Refund request: 2nd attempt, first raised 5 days ago, last 2 days ago</li>',
      '<dt>Tier</dt>',
      'VIP',
      '<dt>Last summary</dt>',
      'Chased the refund for order 77-1043; finance escalated it (ticket FIN-5521).',
      'The last 10 of 12 earlier calls, newest first.',
      'Left a voicemail about the refund.',
      'Refund request, still open',
      'no end recorded',
      // The start answer's one-line context, as the IVR got it.
      `<span class="sp-label">In one line:</span> ${danaContext}</p>`,
    ]) {
      expect(res.text).toContain(text);
    }
    expect(res.text.match(/<th scope="row"/g)).toHaveLength(10);
  });

  it('escapes what callers and platforms wrote', async () => {
    const start = await api.start({ call_id: '<script>alert(1)</script>', identity_hints: { ani: '+1 303 555 0111' } });
    await api.end({ call_id: '<script>alert(1)</script>', variables: { name: '<img src=x onerror=alert(1)>' } });
    const res = await get(pathOf(start.body.flat.screen_pop_url));
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('<script>alert');
    expect(res.text).not.toContain('<img src=x');
    expect(res.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('sends no-store, no-referrer, noindex and a page CSP that lets nobody frame it by default', async () => {
    const res = await get(pathOf(danaLink));
    expect(res.headers).toMatchObject({
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-robots-tag': 'noindex, nofollow',
      'x-frame-options': 'DENY',
    });
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('lets the agent desktops named in SCREEN_POP_FRAME_ANCESTORS frame it, the 403 page too', async () => {
    const framed = await createTestAppOn(t.database, { SCREEN_POP_FRAME_ANCESTORS: 'https://app.five9.com, https://flex.twilio.com' }, clock);
    try {
      for (const path of [pathOf(danaLink), '/screen-pop/not-a-token']) {
        const res = await request(framed.app).get(path);
        expect(res.headers['content-security-policy']).toContain('frame-ancestors https://app.five9.com https://flex.twilio.com');
        expect(res.headers['x-frame-options']).toBeUndefined();
        expect(res.headers['cache-control']).toBe('no-store');
      }
    } finally {
      await framed.close();
    }
  });

  it('answers a tampered, truncated, padded or hostile link with the 403 page, in words, never a 500', async () => {
    const token = pathOf(danaLink).split('/').pop()!;
    const flip = (i: number) => token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
    const tokens = [flip(0), flip(1), flip(60), flip(119), token.slice(0, -1), token.slice(0, 40), `${token}A`, `${token}%3D`, '%00', '..%2F..%2Fpackage.json', 'é', 'x'.repeat(8000), `${token}%20`, '%', `${token.slice(0, 100)}%E0%A4%A`];
    for (const bad of tokens) {
      const res = await get(`/screen-pop/${bad}`);
      expect([bad.slice(0, 20), res.status]).toEqual([bad.slice(0, 20), 403]);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.text).toContain(`<h1>${INVALID}</h1>`);
    }
  });

  it('answers an expired link with the expired page, from exactly the call’s start + SCREEN_POP_TTL_HOURS', async () => {
    clock.set(new Date(NOW.getTime() + 12 * HOUR - 1000));
    expect((await get(pathOf(danaLink))).status).toBe(200);
    clock.set(new Date(NOW.getTime() + 12 * HOUR));
    const res = await get(pathOf(danaLink));
    expect(res.status).toBe(403);
    expect(res.text).toContain(`<h1>${EXPIRED}</h1>`);
    expect(res.text).toContain('Screen-pop links work for 12 hours after the call starts. Open the newest link from the call.');
  });

  it('refuses a validly signed link for another organisation, environment or customer, or a call that does not exist', async () => {
    const links = new ScreenPopLinks({ appSecret: t.config.appSecret, ttlMs: t.config.pages.screenPopTtlMs }, clock);
    const dana = await callRow(t, 'dana-now');
    const sam = await callRow(t, 'sam-1');
    const other = await callerApi(t);
    await other.start({ call_id: 'other-org-call', ...NEW_CALLER_HINTS });
    const foreign = await callRow(t, 'other-org-call');
    const link = (call: typeof dana) => pathOf(links.urlFor('http://x', { ...call, startedAt: NOW }));

    expect((await get(link(dana))).status).toBe(200);
    const refused = [
      link({ ...dana, organisationId: foreign.organisationId }),
      link({ ...dana, environment: Environment.PROD }),
      link({ ...dana, customer: sam.customer }),
      link({ ...foreign, organisationId: dana.organisationId }),
      link({ ...dana, id: '019bd5a0-0000-7000-8000-000000000999' }),
    ];
    for (const path of refused) {
      const res = await get(path);
      expect(res.status).toBe(403);
      expect(res.text).toContain(INVALID);
    }
  });

  it('asks to confirm a confirm-level caller and calls a stranger a new caller', async () => {
    const sam = await get(pathOf((await api.start({ call_id: 'sam-2', ...SAM_HINTS })).body.flat.screen_pop_url));
    expect(sam.text).toContain('Probably Sam Lee: confirm before sharing account details');
    expect(sam.text).toContain('<div class="notice warning" role="note" aria-label="Warning"><strong>Confirm identity first.</strong>');
    const stranger = await get(pathOf((await api.start({ call_id: 'new-1', ...NEW_CALLER_HINTS })).body.flat.screen_pop_url));
    expect(stranger.text).toContain('<h1 id="sp-headline">New caller</h1>');
    expect(stranger.text).toContain('No open requests.');
    expect(stranger.text).toContain('No saved details.');
    expect(stranger.text).toContain('No earlier calls.');
  });

  it('only reads: valid, invalid and expired links and HEAD change no row and send no write', async () => {
    // The request log's batch of the setup's /v1 requests is written now, not while the page's statements are counted.
    await t.requestLog.flush();
    const before = await databaseState(t.orm);
    const statements = await statementsOf(t.orm, async () => {
      await get(pathOf(danaLink)).expect(200);
      await request(t.app).head(pathOf(danaLink)).expect(200);
      await get('/screen-pop/tampered').expect(403);
      clock.set(new Date(NOW.getTime() + 13 * HOUR));
      await get(pathOf(danaLink)).expect(403);
    });
    expect(await databaseState(t.orm)).toEqual(before);
    expect(statements.length).toBeGreaterThan(0);
    expect(statements.filter((s) => !/^\s*select\b/i.test(s))).toEqual([]);
  });

  it('reads a few indexed queries however long the history: no query without a key or a limit', async () => {
    const statements = await statementsOf(t.orm, () => get(pathOf(danaLink)).expect(200));
    // Organisation, call, intents, variables, 10 earlier calls, the earlier-call count, external ids, and
    // one look-up per open intent with more than one attempt.
    expect(statements).toHaveLength(8);
    for (const statement of statements) expect(statement).toMatch(/ id = |customer_id = /);
  });

  // SQLite's planner has no statistics here and chose the tenant's index until told, so this is a test of
  // SQLite's plans only (not a skip on PostgreSQL, whose plans follow statistics: scripts/bench-screen-pop.ts
  // shows their speed).
  if (engine === 'sqlite') {
    it('reads calls through the customer’s (customer_id, started_at) index, never the tenant’s calls', async () => {
      const sent: { query: string; params: unknown[] }[] = [];
      const logger = t.orm.config.getLogger();
      const logQuery = logger.logQuery;
      logger.logQuery = function (this: unknown, context) {
        sent.push({ query: context.query ?? '', params: (context.params as unknown[]) ?? [] });
        return logQuery.call(this, context);
      };
      try {
        await get(pathOf(danaLink)).expect(200);
      } finally {
        logger.logQuery = logQuery;
      }
      const plans = await Promise.all(sent.map(({ query, params }) => t.orm.em.getConnection().execute(`explain query plan ${query}`, params)));
      const details = plans.map((rows) => rows.map((row: { detail: string }) => row.detail).join('; '));
      for (const detail of details) expect(detail).not.toMatch(/\bSCAN\b|organisation_id_environment_started_at/);
      expect(details.filter((d) => d.includes('calls_customer_id_started_at_index'))).toHaveLength(3);
    });
  }

  it('answers HEAD like GET without a body, and other methods with 405 naming GET and HEAD', async () => {
    const head = await request(t.app).head(pathOf(danaLink));
    expect(head.status).toBe(200);
    expect(head.headers['cache-control']).toBe('no-store');
    expect(head.text).toBeUndefined();
    expect((await request(t.app).head('/screen-pop/tampered')).status).toBe(403);
    for (const method of ['post', 'put', 'patch', 'delete'] as const) {
      const res = await request(t.app)[method](pathOf(danaLink)).send('x=1');
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD');
    }
  });

  it('needs no API key and ignores a wrong one', async () => {
    const res = await get(pathOf(danaLink)).set('Authorization', 'Bearer sk_test_wrong');
    expect(res.status).toBe(200);
  });

  it('follows the call when its customer was merged into another: shows the customer it now belongs to', async () => {
    const first = await api.start({ call_id: 'merge-a', identity_hints: { ani: '+1 503 555 0123' } });
    await api.end({ call_id: 'merge-a', variables: { name: 'Pat Jones (old record)' } });
    const link = first.body.flat.screen_pop_url;
    const target = await api.start({ call_id: 'merge-b', identity_hints: { external_ids: { crm_id: 'C-2002' } } });
    await api.end({ call_id: 'merge-b', variables: { name: 'Pat Jones' }, intent: 'warranty_claim' });
    const merged = await request(t.app)
      .post('/graphql')
      .set('Authorization', `Bearer ${api.key}`)
      .send({ query: 'mutation($s: ID!, $t: ID!) { mergeCustomers(sourceRef: $s, targetRef: $t) { ref } }', variables: { s: first.body.customer_ref, t: target.body.customer_ref } });
    expect(merged.body.errors).toBeUndefined();

    const res = await get(pathOf(link));
    expect(res.status).toBe(200);
    expect(res.text).toContain('merged with another since the call started');
    expect(res.text).toContain('Pat Jones');
    expect(res.text).toContain('Warranty claim: 1st attempt');
    // The replayed start names the survivor now; both links open the same page.
    const replayed = await api.start({ call_id: 'merge-a', identity_hints: { ani: '+1 503 555 0123' } });
    expect((await get(pathOf(replayed.body.flat.screen_pop_url))).status).toBe(200);
  });
});
