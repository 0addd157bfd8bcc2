/** How the dashboard writes its numbers: percentages, m:ss, scores, days and periods, and the ROI table's Improvement cell. */
import {
  formatCount,
  formatDay,
  formatDuration,
  formatImprovement,
  formatPercent,
  formatPeriod,
  formatRoiValue,
  formatScore,
  formatShortDay,
  NOT_ENOUGH_DATA,
} from '../../src/dashboard/dashboard-format';
import type { RoiRow } from '../../src/metrics/metrics.types';

const row = (overrides: Partial<RoiRow>): RoiRow => ({
  metric: 'averageHandleTime',
  label: 'Average handle time',
  better: 'lower',
  before: 390,
  after: 315,
  improvement: (390 - 315) / 390,
  ...overrides,
});

describe('dashboard number formats', () => {
  it('writes shares as percentages with one decimal, and null as "not enough data"', () => {
    expect(formatPercent(0)).toBe('0.0%');
    expect(formatPercent(4 / 18)).toBe('22.2%');
    expect(formatPercent(0.75)).toBe('75.0%');
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatPercent(null)).toBe(NOT_ENOUGH_DATA);
    expect(NOT_ENOUGH_DATA).toBe('not enough data');
  });

  it('writes handle times as minutes:seconds, rounded to the second, minutes past 59 kept', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(5)).toBe('0:05');
    expect(formatDuration(365.4)).toBe('6:05');
    expect(formatDuration(59.6)).toBe('1:00');
    expect(formatDuration(4500)).toBe('75:00');
    expect(formatDuration(null)).toBe(NOT_ENOUGH_DATA);
  });

  it('writes CSAT with two decimals and counts with thousands separators', () => {
    expect(formatScore(4.333333)).toBe('4.33');
    expect(formatScore(5)).toBe('5.00');
    expect(formatScore(null)).toBe(NOT_ENOUGH_DATA);
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(0)).toBe('0');
  });

  it('writes days and periods as people read them, across month and year ends', () => {
    expect(formatDay('2026-02-07')).toBe('Sat 7 Feb 2026');
    expect(formatShortDay('2026-02-07')).toBe('Sat 7 Feb');
    expect(formatPeriod({ from: '2026-02-01', to: '2026-02-28' })).toBe('1–28 Feb 2026');
    expect(formatPeriod({ from: '2026-01-25', to: '2026-02-07' })).toBe('25 Jan – 7 Feb 2026');
    expect(formatPeriod({ from: '2025-12-20', to: '2026-01-02' })).toBe('20 Dec 2025 – 2 Jan 2026');
    expect(formatPeriod({ from: '2026-02-07', to: '2026-02-07' })).toBe('7 Feb 2026');
  });

  it('writes each ROI value in its metric unit', () => {
    expect(formatRoiValue('averageHandleTime', 390)).toBe('6:30');
    expect(formatRoiValue('firstContactResolution', 0.65)).toBe('65.0%');
    expect(formatRoiValue('repeatCallRate', 0.22)).toBe('22.0%');
    expect(formatRoiValue('csat', 3.8)).toBe('3.80');
    expect(formatRoiValue('csat', null)).toBe(NOT_ENOUGH_DATA);
  });
});

describe('the Improvement cell', () => {
  it('shows a shorter handle time as a fall, marked better', () => {
    expect(formatImprovement(row({}))).toEqual({ change: '−19.2%', arrow: '▼', verdict: 'better', tone: 'good' });
  });

  it('shows a longer handle time as a rise, marked worse', () => {
    expect(formatImprovement(row({ before: 300, after: 330, improvement: -0.1 }))).toEqual({ change: '+10.0%', arrow: '▲', verdict: 'worse', tone: 'bad' });
  });

  it('shows a higher first-contact resolution as a rise, marked better, and a lower one as a fall, marked worse', () => {
    const fcr = { metric: 'firstContactResolution', label: 'First-contact resolution', better: 'higher' } as const;
    expect(formatImprovement(row({ ...fcr, before: 0.65, after: 0.78, improvement: 0.2 }))).toEqual({ change: '+20.0%', arrow: '▲', verdict: 'better', tone: 'good' });
    expect(formatImprovement(row({ ...fcr, before: 0.8, after: 0.6, improvement: -0.25 }))).toEqual({ change: '−25.0%', arrow: '▼', verdict: 'worse', tone: 'bad' });
  });

  it('shows a lower repeat-call rate as a fall, marked better', () => {
    const repeat = { metric: 'repeatCallRate', label: 'Repeat-call rate', better: 'lower' } as const;
    expect(formatImprovement(row({ ...repeat, before: 0.22, after: 0.12, improvement: (0.22 - 0.12) / 0.22 }))).toEqual({
      change: '−45.5%',
      arrow: '▼',
      verdict: 'better',
      tone: 'good',
    });
  });

  it('says "no change" when the value did not move (to a tenth of a percent)', () => {
    expect(formatImprovement(row({ before: 300, after: 300, improvement: 0 }))).toEqual({ change: '0.0%', arrow: '', verdict: 'no change', tone: 'neutral' });
    expect(formatImprovement(row({ before: 300, after: 299.9, improvement: 0.1 / 300 }))).toMatchObject({ verdict: 'no change' });
  });

  it('says "not enough data" when either period is empty', () => {
    expect(formatImprovement(row({ before: null, improvement: null }))).toEqual({ change: NOT_ENOUGH_DATA, arrow: '', verdict: '', tone: 'neutral' });
    expect(formatImprovement(row({ after: null, improvement: null }))).toMatchObject({ change: NOT_ENOUGH_DATA });
  });

  it('says the change is not comparable when Before is 0', () => {
    const repeat = { metric: 'repeatCallRate', label: 'Repeat-call rate', better: 'lower' } as const;
    expect(formatImprovement(row({ ...repeat, before: 0, after: 0.1, improvement: null }))).toMatchObject({ change: 'not comparable (Before is 0)', verdict: '' });
  });
});
