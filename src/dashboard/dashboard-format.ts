/** How the dashboard writes numbers: shares as percentages, durations as m:ss, and "not enough data". */
import type { Period, RoiRow } from '../metrics/metrics.types';

/** What the page says where a figure has nothing to divide by. */
export const NOT_ENOUGH_DATA = 'not enough data';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MINUS = '\u2212';

/** A whole number with thousands separators: 12,345. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A share in [0,1] as a percentage with one decimal (42.9%); null: not enough data. */
export function formatPercent(share: number | null): string {
  return share === null ? NOT_ENOUGH_DATA : `${(share * 100).toFixed(1)}%`;
}

/** Seconds as minutes and seconds (6:05, 75:00); null: not enough data. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return NOT_ENOUGH_DATA;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/** A CSAT average with two decimals (4.33); null: not enough data. */
export function formatScore(score: number | null): string {
  return score === null ? NOT_ENOUGH_DATA : score.toFixed(2);
}

function parts(day: string): { year: number; month: number; date: number; weekday: number } {
  const d = new Date(`${day}T00:00:00Z`);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth(), date: d.getUTCDate(), weekday: d.getUTCDay() };
}

/** A day as people read it: Sat 7 Feb 2026. */
export function formatDay(day: string): string {
  const { year, month, date, weekday } = parts(day);
  return `${WEEKDAYS[weekday]} ${date} ${MONTHS[month]} ${year}`;
}

/** A day in a table of one period's days: Sat 7 Feb. */
export function formatShortDay(day: string): string {
  const { month, date, weekday } = parts(day);
  return `${WEEKDAYS[weekday]} ${date} ${MONTHS[month]}`;
}

/** A period as people read it: 1–28 Feb 2026, 25 Jan – 7 Feb 2026, 20 Dec 2025 – 2 Jan 2026. */
export function formatPeriod({ from, to }: Period): string {
  const a = parts(from);
  const b = parts(to);
  if (from === to) return `${b.date} ${MONTHS[b.month]} ${b.year}`;
  if (a.year !== b.year) return `${a.date} ${MONTHS[a.month]} ${a.year} – ${b.date} ${MONTHS[b.month]} ${b.year}`;
  if (a.month !== b.month) return `${a.date} ${MONTHS[a.month]} – ${b.date} ${MONTHS[b.month]} ${b.year}`;
  return `${a.date}–${b.date} ${MONTHS[b.month]} ${b.year}`;
}

/** A value of an ROI row in its metric's unit. */
export function formatRoiValue(metric: RoiRow['metric'], value: number | null): string {
  if (metric === 'averageHandleTime') return formatDuration(value);
  if (metric === 'csat') return formatScore(value);
  return formatPercent(value);
}

/** The Improvement cell: the change in the metric's value, with an arrow and a word for which way is better. */
export interface ImprovementCell {
  /** E.g. "−19.2%" (AHT went down), "+20.0%", "0.0%", or a reason there is none. */
  change: string;
  /** ▲ up, ▼ down, or '' (no change or no figure); decorative: the words say it. */
  arrow: '▲' | '▼' | '';
  /** `better`, `worse`, `no change`, or '' when there is no figure. */
  verdict: 'better' | 'worse' | 'no change' | '';
  tone: 'good' | 'bad' | 'neutral';
}

/** The Improvement cell of a row: its relative change, signed in the metric's own direction. */
export function formatImprovement(row: RoiRow): ImprovementCell {
  if (row.before === null || row.after === null) return { change: NOT_ENOUGH_DATA, arrow: '', verdict: '', tone: 'neutral' };
  if (row.improvement === null) return { change: 'not comparable (Before is 0)', arrow: '', verdict: '', tone: 'neutral' };
  // `improvement` is signed so that positive is better; the value itself moved the other way when lower is better.
  const change = row.better === 'lower' ? -row.improvement : row.improvement;
  const text = `${(Math.abs(change) * 100).toFixed(1)}%`;
  if (text === '0.0%') return { change: '0.0%', arrow: '', verdict: 'no change', tone: 'neutral' };
  const better = row.improvement > 0;
  return {
    change: `${change > 0 ? '+' : MINUS}${text}`,
    arrow: change > 0 ? '▲' : '▼',
    verdict: better ? 'better' : 'worse',
    tone: better ? 'good' : 'bad',
  };
}
