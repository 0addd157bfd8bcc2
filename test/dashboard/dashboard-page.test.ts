/**
 * The dashboard page over HTTP, on calls seeded through the real API: the signed-in key's organisation and
 * environment, the periods asked for, the figures and ROI table worked out by hand, the report embedded
 * for the charts exactly as the metrics service returns it, and bad dates answered with the form again.
 */
import request from 'supertest';

import { ManualClock } from '../../src/shared/clock';
import { Organisation } from '../../src/tenancy/organisation.entity';
import { Environment } from '../../src/tenancy/environment';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';
import { DashboardBrowser, makeKeys } from './dashboard-client';
import { EXACT, EXACT_FIGURES, EXACT_TIME_ZONE, seedCalls } from './seeded-calls';

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe.each(ENGINES)('the dashboard page on %s', (engine) => {
  let t: TestApp;
  let clock: ManualClock;
  let keys: Awaited<ReturnType<typeof makeKeys>>;
  let b: DashboardBrowser;

  beforeAll(async () => {
    clock = new ManualClock();
    t = await createTestApp(engine, {}, clock);
    const em = t.orm.em.fork();
    keys = await makeKeys(t.keys, em, 'Northwind Care', Environment.TEST);
    await t.keys.setTimeZone(em, keys.organisation.slug, EXACT_TIME_ZONE);
    await seedCalls(
      async (path, body) => {
        const res = await request(t.app).post(path).set('Authorization', `Bearer ${keys.standard.secret}`).send(body as object);
        return { status: res.status, body: res.body as Record<string, unknown> };
      },
      clock,
      EXACT,
    );
    clock.set(new Date('2026-03-20T06:00:00Z'));
    b = new DashboardBrowser(t.app);
    expect((await b.signIn(keys.admin.secret)).status).toBe(303);
  });
  afterAll(() => t.close());

  it('names the organisation, environment and time zone, and defaults to the last 28 local days', async () => {
    const res = await b.get('/dashboard');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>Outcomes: Northwind Care · test</h1>');
    expect(text(res.text)).toContain('21 Feb – 20 Mar 2026 · days in Asia/Tokyo · as of 20 Mar 2026, 15:00');
    expect(res.text).toContain('id="from" name="from" value="2026-02-21"');
    expect(res.text).toContain('id="to" name="to" value="2026-03-20"');
    expect(text(res.text)).toContain('Pick a comparison period or a go-live date above to see the before/after ROI table.');
  });

  it('shows the go-live comparison with the figures and ROI table worked out by hand', async () => {
    const res = await b.get('/dashboard?go_live=2026-03-09&days=7');
    expect(res.status).toBe(200);
    const page = text(res.text);
    expect(page).toContain('After: 9–15 Mar 2026 · Before: 2–8 Mar 2026');
    const after = EXACT_FIGURES.after;
    for (const [label, value] of [
      ['Calls', after.calls],
      ['Repeat-call rate', after.repeat],
      ['First-contact resolution', after.fcr],
      ['First-contact resolution (proxy)', after.proxy],
      ['Average handle time', after.aht],
      ['CSAT', after.csat],
      ['Open intents', after.open],
    ]) {
      expect(res.text).toContain(`<span class="figure-label">${label}</span>\n        <span class="figure-value">${value}</span>`);
    }
    for (const [label, [before, afterValue, improvement]] of Object.entries(EXACT_FIGURES.roi)) {
      expect(page).toContain(`${label} ${before} ${afterValue} ${improvement}`);
    }
  });

  it('embeds for the charts exactly the report the metrics service returns', async () => {
    const res = await b.get('/dashboard?from=2026-03-09&to=2026-03-15&compare_from=2026-03-02&compare_to=2026-03-08');
    const json = /<script type="application\/json" id="metrics-report">([^<]*)<\/script>/.exec(res.text)![1];
    const em = t.orm.em.fork();
    const tenant = { organisationId: keys.organisation.id, environment: Environment.TEST };
    const expected = await t.services.metrics.report(em, tenant, {
      period: { from: '2026-03-09', to: '2026-03-15' },
      compareTo: { from: '2026-03-02', to: '2026-03-08' },
    });
    expect(JSON.parse(json)).toEqual(expected);
    expect(expected.current.callsPerDay.map((d) => [d.day, d.calls])).toEqual(Object.entries(EXACT_FIGURES.afterPerDay));
  });

  it('counts days in UTC, as the metrics do, when the stored time zone is unknown to this runtime (no 500)', async () => {
    const em = t.orm.em.fork();
    const other = await makeKeys(t.keys, em, 'Zoneless Ltd', Environment.TEST);
    // A name the CLI accepted under another runtime's time-zone data, or an edit made in the database.
    await em.nativeUpdate(Organisation, { id: other.organisation.id }, { timeZone: 'Mars/Olympus_Mons' });
    const browser = new DashboardBrowser(t.app);
    expect((await browser.signIn(other.admin.secret)).status).toBe(303);
    const res = await browser.get('/dashboard');
    expect(res.status).toBe(200);
    expect(text(res.text)).toContain('21 Feb – 20 Mar 2026 · days in UTC · as of 20 Mar 2026, 06:00');
  });

  it.each([
    ['from=2026-02-30', 'From: “2026-02-30” is not a date.'],
    ['from=2026-03-10&to=2026-03-01', 'Period: the start date must be on or before the end date.'],
    ['from=2026-03-01&from=2026-03-02', 'From was given more than once: give it once.'],
    ['compare_from=2026-03-01', 'Comparison: give both dates'],
    ['go_live=2026-03-09&days=0', 'Days on each side: “0” must be a whole number from 1 to 183.'],
    ['go_live=9998-12-30&days=7', 'to must be a calendar date, YYYY-MM-DD.'],
    [`from=${'%3Cscript%3E'.repeat(50)}`, 'From: “&lt;script&gt;'],
  ])('answers ?%s with the form again, a clear message and 400, never 500', async (query, message) => {
    const res = await b.get(`/dashboard?${query}`);
    expect(res.status).toBe(400);
    expect(res.text).toContain('These dates cannot be shown:');
    expect(res.text).toContain(message);
    expect(res.text).toContain('<form method="get" action="/dashboard"');
    expect(res.text).not.toContain('<script>');
    expect(res.text).not.toContain('metrics-report');
  });
});
