/** The Five9 guide's ROI table (Before / After / Improvement) from two periods' metrics (docs/metrics.md). */
import type { Better, PeriodMetrics, RoiRow } from './metrics.types';

interface RoiMetric {
  metric: RoiRow['metric'];
  label: string;
  better: Better;
  value(period: PeriodMetrics): number | null;
}

/** The table's rows in the guide's order. */
const ROI_METRICS: RoiMetric[] = [
  { metric: 'averageHandleTime', label: 'Average handle time', better: 'lower', value: (p) => p.handleTime.averageSeconds },
  { metric: 'firstContactResolution', label: 'First-contact resolution', better: 'higher', value: (p) => p.firstContactResolution.rate },
  { metric: 'csat', label: 'CSAT', better: 'higher', value: (p) => p.csat.average },
  { metric: 'repeatCallRate', label: 'Repeat-call rate', better: 'lower', value: (p) => p.repeatCalls.rate },
];

/**
 * Relative change in the better direction: positive is better. Null when either side is unknown or
 * `before` is 0 (no relative change from nothing).
 */
export function improvement(before: number | null, after: number | null, better: Better): number | null {
  if (before === null || after === null || before === 0) return null;
  return better === 'lower' ? (before - after) / before : (after - before) / before;
}

/** The ROI rows: Before = the comparison period, After = the current one. */
export function roiRows(before: PeriodMetrics, after: PeriodMetrics): RoiRow[] {
  return ROI_METRICS.map(({ metric, label, better, value }) => {
    const [b, a] = [value(before), value(after)];
    return { metric, label, better, before: b, after: a, improvement: improvement(b, a, better) };
  });
}
