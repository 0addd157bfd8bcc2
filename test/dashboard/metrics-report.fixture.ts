/** Hand-built metrics reports for the dashboard's view-model tests (the shape GraphQL `metrics` returns). */
import type { MetricsReport, PeriodMetrics, RoiRow } from '../../src/metrics/metrics.types';

/** One period's metrics with every figure known; override what a test is about. */
export function periodMetrics(overrides: Partial<PeriodMetrics> = {}): PeriodMetrics {
  return {
    period: { from: '2026-02-01', to: '2026-02-03' },
    timeZone: 'Europe/London',
    calls: 20,
    callsPerDay: [
      { day: '2026-02-01', calls: 5, recognised: 3, toConfirm: 1, unrecognised: 1 },
      { day: '2026-02-02', calls: 12, recognised: 8, toConfirm: 2, unrecognised: 2 },
      { day: '2026-02-03', calls: 3, recognised: 1, toConfirm: 0, unrecognised: 2 },
    ],
    recognised: 12,
    toConfirm: 3,
    unrecognised: 5,
    repeatCalls: { calls: 20, repeated: 4, transfers: 2, contacts: 18, rate: 4 / 18, windowDays: 7, transferWindowMinutes: 15 },
    firstContactResolution: { resolvedIntents: 8, resolvedFirstAttempt: 6, rate: 0.75, proxyRate: 1 - 4 / 18 },
    handleTime: { calls: 16, averageSeconds: 365.4 },
    csat: { variable: 'csat', responses: 9, average: 4.333333 },
    intents: {
      open: 5,
      abandoned: 1,
      topByVolume: [
        { name: 'billing', calls: 9, attempts: 11 },
        { name: 'refund', calls: 4, attempts: 9 },
      ],
      topByAttempts: [
        { name: 'billing', calls: 9, attempts: 11 },
        { name: 'refund', calls: 4, attempts: 9 },
      ],
    },
    ...overrides,
  };
}

/** A period with no calls at all: every rate is "not enough data". */
export function emptyPeriod(period = { from: '2026-01-04', to: '2026-01-06' }): PeriodMetrics {
  return periodMetrics({
    period,
    calls: 0,
    callsPerDay: [],
    recognised: 0,
    toConfirm: 0,
    unrecognised: 0,
    repeatCalls: { calls: 0, repeated: 0, transfers: 0, contacts: 0, rate: null, windowDays: 7, transferWindowMinutes: 15 },
    firstContactResolution: { resolvedIntents: 0, resolvedFirstAttempt: 0, rate: null, proxyRate: null },
    handleTime: { calls: 0, averageSeconds: null },
    csat: { variable: 'csat', responses: 0, average: null },
    intents: { open: 0, abandoned: 0, topByVolume: [], topByAttempts: [] },
  });
}

/** A report; with `comparison`, the ROI rows are the given ones. */
export function report(current: PeriodMetrics, comparison: PeriodMetrics | null = null, roi: RoiRow[] = []): MetricsReport {
  return { environment: 'prod', current, comparison, roi };
}
