/** The dashboard's query string: the period, the comparison, the go-live form, and every bad input named. */
import { parseDashboardQuery } from '../../src/dashboard/dashboard-query';
import { localDay } from '../../src/metrics/local-days';

const TODAY = '2026-02-07';

describe('the dashboard query', () => {
  it('defaults to the last 28 local days, today included, with no comparison', () => {
    expect(parseDashboardQuery({}, TODAY)).toMatchObject({
      ok: true,
      mode: 'range',
      request: { period: { from: '2026-01-11', to: '2026-02-07' }, compareTo: null },
      form: { from: '2026-01-11', to: '2026-02-07' },
    });
  });

  it('takes an explicit period and comparison period', () => {
    const query = parseDashboardQuery({ from: '2026-02-01', to: '2026-02-14', compare_from: '2026-01-18', compare_to: '2026-01-31' }, TODAY);
    expect(query).toMatchObject({
      ok: true,
      request: { period: { from: '2026-02-01', to: '2026-02-14' }, compareTo: { from: '2026-01-18', to: '2026-01-31' } },
    });
  });

  it('turns a go-live date and N days into Before = the N days before and After = N days from go-live', () => {
    expect(parseDashboardQuery({ go_live: '2026-03-01', days: '14' }, TODAY)).toMatchObject({
      ok: true,
      mode: 'go-live',
      request: { period: { from: '2026-03-01', to: '2026-03-14' }, compareTo: { from: '2026-02-15', to: '2026-02-28' } },
      // The range form shows the same periods.
      form: { goLive: '2026-03-01', days: '14', from: '2026-03-01', to: '2026-03-14', compareFrom: '2026-02-15', compareTo: '2026-02-28' },
    });
    // Across a year end, and with the default of 14 days.
    expect(parseDashboardQuery({ go_live: '2026-01-03' }, TODAY)).toMatchObject({
      ok: true,
      form: { days: '14' },
      request: { period: { from: '2026-01-03', to: '2026-01-16' }, compareTo: { from: '2025-12-20', to: '2026-01-02' } },
    });
  });

  it('refuses dates that are not calendar dates, in words', () => {
    const query = parseDashboardQuery({ from: '2026-02-30', to: 'yesterday' }, TODAY);
    expect(query).toMatchObject({
      ok: false,
      problems: ['From: “2026-02-30” is not a date. Use YYYY-MM-DD, e.g. 2026-02-07.', 'To: “yesterday” is not a date. Use YYYY-MM-DD, e.g. 2026-02-07.'],
    });
    expect(parseDashboardQuery({ to: 'yesterday' }, TODAY)).toMatchObject({ ok: false, problems: ['To: “yesterday” is not a date. Use YYYY-MM-DD, e.g. 2026-02-07.'] });
  });

  it('refuses a period that runs backwards or is longer than a year', () => {
    expect(parseDashboardQuery({ from: '2026-02-10', to: '2026-02-01' }, TODAY)).toMatchObject({
      ok: false,
      problems: ['Period: the start date must be on or before the end date.'],
    });
    expect(parseDashboardQuery({ from: '2024-01-01', to: '2026-01-01' }, TODAY)).toMatchObject({
      ok: false,
      problems: ['Period: pick at most 366 days (this is 732).'],
    });
  });

  it('refuses half a comparison period', () => {
    expect(parseDashboardQuery({ compare_from: '2026-01-01' }, TODAY)).toMatchObject({
      ok: false,
      problems: ['Comparison: give both dates (compare from and compare to), or neither.'],
    });
  });

  it('refuses a repeated field, a nested one, and a bad number of days, without echoing more than 40 characters', () => {
    expect(parseDashboardQuery({ from: ['2026-01-01', '2026-01-02'] }, TODAY)).toMatchObject({ ok: false, problems: ['From was given more than once: give it once.'] });
    expect(parseDashboardQuery({ to: { a: '1' } }, TODAY)).toMatchObject({ ok: false });
    for (const days of ['0', '184', '-3', '1.5', 'ten', '9'.repeat(500)]) {
      const query = parseDashboardQuery({ go_live: '2026-03-01', days }, TODAY);
      expect(query.ok).toBe(false);
      if (!query.ok) expect(query.problems[0]).toMatch(/^Days on each side: “.{0,41}” must be a whole number from 1 to 183\.$/);
    }
    expect(parseDashboardQuery({ days: '7' }, TODAY)).toMatchObject({ ok: false, problems: ['Go-live date: enter a date (YYYY-MM-DD).'] });
  });

  it('echoes a bad value without bidi overrides, so a crafted link cannot turn the problem sentence around', () => {
    const query = parseDashboardQuery({ from: '\u202Eetad a ton si', to: '2026-02-07' }, TODAY);
    expect(query).toMatchObject({ ok: false, problems: ['From: “etad a ton si” is not a date. Use YYYY-MM-DD, e.g. 2026-02-07.'] });
  });

  it('knows today by the organisation’s time zone', () => {
    const instant = new Date('2026-02-07T03:30:00Z');
    expect(localDay(instant, 'UTC')).toBe('2026-02-07');
    expect(localDay(instant, 'America/Los_Angeles')).toBe('2026-02-06');
    expect(localDay(instant, 'Pacific/Auckland')).toBe('2026-02-07');
    expect(localDay(new Date('2026-02-07T12:00:00Z'), 'Pacific/Kiritimati')).toBe('2026-02-08');
  });
});
