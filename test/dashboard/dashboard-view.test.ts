/** The dashboard's view model: one report written out as the page shows it. */
import { dashboardView, reportView, scriptJson } from '../../src/dashboard/dashboard.view';
import type { DashboardForm } from '../../src/dashboard/dashboard-query';
import { emptyPeriod, periodMetrics, report } from './metrics-report.fixture';

const FORM: DashboardForm = { from: '2026-02-01', to: '2026-02-03', compareFrom: '', compareTo: '', goLive: '', days: '' };

describe('the dashboard view model', () => {
  it('names the organisation and environment, and the time in the organisation’s zone', () => {
    const view = dashboardView({
      organisationName: 'Acme Support',
      environment: 'prod',
      timeZone: 'America/New_York',
      now: new Date('2026-02-07T03:30:00Z'),
      form: FORM,
      problems: [],
      signOutCsrf: 'token',
      report: report(periodMetrics()),
    });
    expect(view.heading).toBe('Acme Support · prod');
    expect(view.timeZone).toBe('America/New_York');
    // 03:30 UTC is still the evening before in New York.
    expect(view.asOf).toBe('6 Feb 2026, 22:30');
  });

  it('writes the headline figures with units, counts and definitions in words', () => {
    const figures = Object.fromEntries(reportView(report(periodMetrics())).figures.map((f) => [f.label, f]));
    expect(figures['Calls']).toMatchObject({ value: '20', detail: '16 with a start and an end' });
    expect(figures['Recognised']).toMatchObject({ value: '60.0%', detail: '12 of 20 calls' });
    expect(figures['Repeat-call rate']).toMatchObject({ value: '22.2%', detail: '4 of 18 contacts repeated; 2 transfers not counted' });
    expect(figures['Repeat-call rate'].definition).toContain('within 7 days');
    expect(figures['Repeat-call rate'].definition).toContain('within 15 minutes is a transfer');
    expect(figures['First-contact resolution']).toMatchObject({ value: '75.0%', detail: '6 of 8 resolved intents' });
    expect(figures['First-contact resolution'].definition).toBe('Share of the intents resolved in the period that were resolved on first contact (by the call that raised them or its transfer).');
    expect(figures['First-contact resolution (proxy)']).toMatchObject({ value: '77.8%' });
    expect(figures['First-contact resolution (proxy)'].definition).toContain('1 − repeat-call rate');
    expect(figures['Average handle time']).toMatchObject({ value: '6:05', detail: 'over 16 calls (minutes:seconds)' });
    expect(figures['CSAT']).toMatchObject({ value: '4.33', detail: '9 responses' });
    expect(figures['CSAT'].definition).toContain('“csat”');
    expect(figures['Open intents']).toMatchObject({ value: '5', detail: '1 abandoned' });
  });

  it('counts one CSAT response in the singular', () => {
    const one = periodMetrics();
    one.csat = { ...one.csat, responses: 1, average: 5 };
    const figures = Object.fromEntries(reportView(report(one)).figures.map((f) => [f.label, f]));
    expect(figures['CSAT']).toMatchObject({ value: '5.00', detail: '1 response' });
  });

  it('says "not enough data" for every rate of an empty period, never 0% or NaN', () => {
    const view = reportView(report(emptyPeriod()));
    const values = Object.fromEntries(view.figures.map((f) => [f.label, f.value]));
    expect(values).toEqual({
      Calls: '0',
      Recognised: 'not enough data',
      'Repeat-call rate': 'not enough data',
      'First-contact resolution': 'not enough data',
      'First-contact resolution (proxy)': 'not enough data',
      'Average handle time': 'not enough data',
      CSAT: 'not enough data',
      'Open intents': '0',
    });
    expect(view.figures.filter((f) => f.empty).map((f) => f.label)).toEqual(['Recognised', 'Average handle time', 'CSAT', 'Repeat-call rate', 'First-contact resolution', 'First-contact resolution (proxy)']);
    expect(view.recognition.rows.map((r) => r.share)).toEqual(['not enough data', 'not enough data', 'not enough data']);
    expect(view.intents.summary).toBe('Top intents by calls: none in this period.');
  });

  it('gives every chart a text summary and a table of its numbers', () => {
    const view = reportView(report(periodMetrics()));
    expect(view.callsPerDay.summary).toBe('Calls per day, 1–3 Feb 2026: 20 calls; busiest day Mon 2 Feb 2026 with 12. 12 recognised, 3 to confirm, 5 new.');
    expect(view.callsPerDay.rows[1]).toEqual({ day: '2026-02-02', label: 'Mon 2 Feb 2026', short: 'Mon 2 Feb', calls: '12', recognised: '8', toConfirm: '2', unrecognised: '2' });
    expect(view.callsPerDay.total).toMatchObject({ label: 'Total', short: 'Total', calls: '20', recognised: '12', toConfirm: '3', unrecognised: '5' });
    expect(view.recognition.summary).toBe('How callers were recognised: recognised 60.0%, to confirm 15.0%, new 25.0%.');
    expect(view.intents.summary).toBe('Top intents by calls: billing 9, refund 4.');
    expect(view.intents.byAttempts).toEqual([
      { name: 'billing', calls: '9', attempts: '11' },
      { name: 'refund', calls: '4', attempts: '9' },
    ]);
  });

  it('builds the ROI table only with a comparison period, Before from it and After from the current one', () => {
    expect(reportView(report(periodMetrics())).roi).toBeNull();
    const before = emptyPeriod({ from: '2026-01-18', to: '2026-01-31' });
    const after = periodMetrics({ period: { from: '2026-02-01', to: '2026-02-14' } });
    const roi = reportView(
      report(after, before, [
        { metric: 'averageHandleTime', label: 'Average handle time', better: 'lower', before: null, after: 365.4, improvement: null },
        { metric: 'firstContactResolution', label: 'First-contact resolution', better: 'higher', before: 0.5, after: 0.75, improvement: 0.5 },
      ]),
    ).roi;
    expect(roi).toEqual({
      beforeLabel: '18–31 Jan 2026',
      afterLabel: '1–14 Feb 2026',
      rows: [
        { label: 'Average handle time', before: 'not enough data', after: '6:05', improvement: { change: 'not enough data', arrow: '', verdict: '', tone: 'neutral' } },
        { label: 'First-contact resolution', before: '50.0%', after: '75.0%', improvement: { change: '+50.0%', arrow: '▲', verdict: 'better', tone: 'good' } },
      ],
    });
  });

  it('embeds the report as JSON that cannot close its script element', () => {
    const hostile = periodMetrics({ intents: { open: 0, abandoned: 0, topByVolume: [{ name: '</script><script>alert(1)</script>&', calls: 1, attempts: 1 }], topByAttempts: [] } });
    const json = reportView(report(hostile)).json;
    expect(json).not.toMatch(/[<>&]/);
    expect(JSON.parse(json)).toEqual(report(hostile));
    expect(scriptJson({ a: '<!--' })).toBe('{"a":"\\u003c!--"}');
  });
});
