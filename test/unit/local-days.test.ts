/** Local days as instants (metrics/local-days.ts): DST days of 23 and 25 hours, skipped midnights, period rules. */
import { AppError } from '../../src/errors/app-error';
import { checkPeriod, localDays, startOfLocalDay } from '../../src/metrics/local-days';

const HOUR = 3_600_000;
const iso = (d: Date) => d.toISOString();

describe('local days', () => {
  it('starts a UTC day at midnight UTC and an Indian day five and a half hours earlier', () => {
    expect(iso(startOfLocalDay('UTC', '2026-03-01'))).toBe('2026-03-01T00:00:00.000Z');
    expect(iso(startOfLocalDay('Asia/Kolkata', '2026-03-01'))).toBe('2026-02-28T18:30:00.000Z');
  });

  it('gives New York a 23-hour day when clocks go forward and a 25-hour day when they go back', () => {
    const spring = localDays('America/New_York', { from: '2026-03-07', to: '2026-03-09' });
    expect(spring.bounds.map(iso)).toEqual(['2026-03-07T05:00:00.000Z', '2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z', '2026-03-10T04:00:00.000Z']);
    expect((spring.bounds[2]!.getTime() - spring.bounds[1]!.getTime()) / HOUR).toBe(23);
    const autumn = localDays('America/New_York', { from: '2026-11-01', to: '2026-11-01' });
    expect((autumn.bounds[1]!.getTime() - autumn.bounds[0]!.getTime()) / HOUR).toBe(25);
  });

  it('starts a day whose midnight is skipped at the first instant after the gap', () => {
    // Chile moves its clocks from 00:00 to 01:00 on the first Sunday of September.
    expect(iso(startOfLocalDay('America/Santiago', '2026-09-06'))).toBe('2026-09-06T04:00:00.000Z');
    // Samoa skipped 30 December 2011 altogether: that day has no length.
    expect(startOfLocalDay('Pacific/Apia', '2011-12-30').getTime()).toBe(startOfLocalDay('Pacific/Apia', '2011-12-31').getTime());
  });

  it('lists every day of a period across a month and a year boundary', () => {
    expect(localDays('UTC', { from: '2025-12-30', to: '2026-01-02' }).days).toEqual(['2025-12-30', '2025-12-31', '2026-01-01', '2026-01-02']);
    expect(localDays('UTC', { from: '2028-02-28', to: '2028-03-01' }).days).toEqual(['2028-02-28', '2028-02-29', '2028-03-01']);
  });

  it('refuses impossible dates, backwards periods and periods over 366 days, naming each problem', () => {
    const issues = (from: string, to: string) => {
      try {
        checkPeriod({ from, to }, ['compareTo']);
      } catch (error) {
        return (error as AppError).issues;
      }
      return undefined;
    };
    expect(issues('2026-02-29', '2026-13-01')).toEqual([
      { path: ['compareTo', 'from'], message: 'from must be a calendar date, YYYY-MM-DD' },
      { path: ['compareTo', 'to'], message: 'to must be a calendar date, YYYY-MM-DD' },
    ]);
    expect(issues('2026-01-02', '2026-01-01')?.[0]?.message).toBe('from (2026-01-02) is after to (2026-01-01)');
    expect(issues('2026-01-01', '2027-01-02')?.[0]?.message).toBe('a period covers at most 366 days');
    expect(issues('2026-01-01', '2027-01-01')).toBeUndefined(); // 366 days
    expect(issues('0999-01-01', '0999-01-02')).toHaveLength(2);
    expect(issues('9999-12-30', '9999-12-31')).toHaveLength(2);
    expect(issues('2026-1-01', '2026-01-01')).toHaveLength(1);
  });
});
