/** How a report's ranges are cut into pieces (report-chunks.ts): no gap, no overlap, at most a month each. */
import { localDays } from '../../src/metrics/local-days';
import { checkChunkDays, dayChunks, followUpRanges, SQLITE_CHUNK_DAYS } from '../../src/metrics/report-chunks';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// A leap year in New York: the longest period, across both daylight-saving changes (23- and 25-hour days).
const YEAR = localDays('America/New_York', { from: '2028-01-01', to: '2028-12-31' });

describe('report pieces', () => {
  it('cuts a year of local days into twelve chunks of at most 31 days that join back into the year', () => {
    const chunks = dayChunks(YEAR.bounds, SQLITE_CHUNK_DAYS);
    expect(chunks.map((c) => c.length - 1)).toEqual([31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 25]);
    // Each chunk starts where the one before ends, on one of the period's own local-day bounds.
    expect([chunks[0]![0], ...chunks.flatMap((c) => c.slice(1))]).toEqual(YEAR.bounds);
  });

  it('reads the whole period as one chunk when the length is Infinity, and one day per chunk when it is 1', () => {
    expect(dayChunks(YEAR.bounds, Number.POSITIVE_INFINITY)).toEqual([YEAR.bounds]);
    const daily = dayChunks(YEAR.bounds.slice(0, 4), 1);
    expect(daily).toEqual([YEAR.bounds.slice(0, 2), YEAR.bounds.slice(1, 3), YEAR.bounds.slice(2, 4)]);
  });

  it('cuts the call starts a repeat count reads, the period and the repeat window after it, into pieces of at most 31 days', () => {
    const repeatMs = 7 * DAY;
    const ranges = followUpRanges(YEAR.bounds, repeatMs, SQLITE_CHUNK_DAYS);
    const end = YEAR.bounds.at(-1)!.getTime() + repeatMs;
    expect(ranges[0]![0]).toEqual(YEAR.bounds[0]);
    expect(ranges.at(-1)![1].getTime()).toBe(end);
    for (const [i, [from, to]] of ranges.entries()) {
      expect(to.getTime()).toBeGreaterThan(from.getTime());
      // Contiguous: no call start is read twice or skipped.
      if (i > 0) expect(from).toEqual(ranges[i - 1]![1]);
      // 31 days, one of which may have 25 hours.
      expect(to.getTime() - from.getTime()).toBeLessThanOrEqual(31 * DAY + HOUR);
    }
    // The period's pieces end on the day chunks' boundaries.
    expect(ranges.slice(0, 11).map(([, to]) => to)).toEqual(dayChunks(YEAR.bounds, SQLITE_CHUNK_DAYS).slice(0, 11).map((c) => c.at(-1)));
    expect(followUpRanges(YEAR.bounds, 90 * DAY, Number.POSITIVE_INFINITY)).toEqual([[YEAR.bounds[0], new Date(YEAR.bounds.at(-1)!.getTime() + 90 * DAY)]]);
  });

  it('refuses a chunk length that is not a whole number of days', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => checkChunkDays(bad)).toThrow('chunk length');
    expect(checkChunkDays(1)).toBe(1);
    expect(checkChunkDays(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
  });
});
