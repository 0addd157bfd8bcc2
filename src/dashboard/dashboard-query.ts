/**
 * The dashboard's query string: a period (`from`, `to`; the last 28 local days by default) with an optional
 * comparison period (`compare_from`, `compare_to`), or a go-live date and a number of days (`go_live`,
 * `days`: Before = the days before go-live, After = go-live and the days after). Every problem is named
 * in words; nothing a client sends makes it fail otherwise.
 */
import { addDays, daysInRange, isDay } from '../metrics/local-days';
import type { MetricsRequest, Period } from '../metrics/metrics.types';
import { withoutBidiControls } from '../pages/plain-text';

/** The default period: this many local days, ending today. */
export const DEFAULT_RANGE_DAYS = 28;
/** The longest period one page asks for. */
export const MAX_RANGE_DAYS = 366;
/** Days on each side of a go-live date unless told. */
export const DEFAULT_GO_LIVE_DAYS = 14;
/** The most days on each side of a go-live date. */
export const MAX_GO_LIVE_DAYS = 183;

/** The forms' fields as the page shows them again (what was asked, or the defaults). */
export interface DashboardForm {
  from: string;
  to: string;
  compareFrom: string;
  compareTo: string;
  goLive: string;
  days: string;
}

/** A query read: the metrics to ask for, or the problems to show above the forms. */
export type DashboardQuery =
  | { ok: true; form: DashboardForm; request: MetricsRequest; mode: 'range' | 'go-live' }
  | { ok: false; form: DashboardForm; problems: string[] };

const FIELDS = { from: 'from', to: 'to', compareFrom: 'compare_from', compareTo: 'compare_to', goLive: 'go_live', days: 'days' } as const;
const LABELS: Record<keyof DashboardForm, string> = {
  from: 'From',
  to: 'To',
  compareFrom: 'Compare from',
  compareTo: 'Compare to',
  goLive: 'Go-live date',
  days: 'Days on each side',
};

/** A shown value: what the client sent, cut short, without controls that would turn the sentence around. */
const shown = (raw: string) => {
  const text = withoutBidiControls(raw);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
};

/** Reads the query's fields as single trimmed texts ('' when absent). */
function readFields(query: Record<string, unknown>, problems: string[]): DashboardForm {
  const form = {} as DashboardForm;
  for (const [field, name] of Object.entries(FIELDS) as [keyof DashboardForm, string][]) {
    const value = Object.hasOwn(query, name) ? query[name] : undefined;
    if (value === undefined || typeof value === 'string') {
      form[field] = (value ?? '').trim();
    } else {
      form[field] = '';
      problems.push(`${LABELS[field]} was given more than once: give it once.`);
    }
  }
  return form;
}

function checkDay(form: DashboardForm, field: keyof DashboardForm, problems: string[]): boolean {
  if (isDay(form[field])) return true;
  if (form[field] === '') {
    problems.push(`${LABELS[field]}: enter a date (YYYY-MM-DD).`);
    return false;
  }
  problems.push(`${LABELS[field]}: “${shown(form[field])}” is not a date. Use YYYY-MM-DD, e.g. 2026-02-07.`);
  return false;
}

function checkPeriod(period: Period, what: string, problems: string[]): void {
  const days = daysInRange(period.from, period.to);
  if (days < 1) problems.push(`${what}: the start date must be on or before the end date.`);
  else if (days > MAX_RANGE_DAYS) problems.push(`${what}: pick at most ${MAX_RANGE_DAYS} days (this is ${days}).`);
}

function goLiveQuery(form: DashboardForm, problems: string[]): DashboardQuery {
  const days = form.days === '' ? DEFAULT_GO_LIVE_DAYS : Number(form.days);
  if (!/^\d{1,3}$/.test(form.days || '0') || days < 1 || days > MAX_GO_LIVE_DAYS) {
    problems.push(`Days on each side: “${shown(form.days)}” must be a whole number from 1 to ${MAX_GO_LIVE_DAYS}.`);
  }
  const dayOk = checkDay(form, 'goLive', problems);
  if (problems.length > 0 || !dayOk) return { ok: false, form, problems };
  const after = { from: form.goLive, to: addDays(form.goLive, days - 1) };
  const before = { from: addDays(form.goLive, -days), to: addDays(form.goLive, -1) };
  // The range form shows the same two periods, so either form can carry on from here.
  const filled = { ...form, days: String(days), from: after.from, to: after.to, compareFrom: before.from, compareTo: before.to };
  return { ok: true, mode: 'go-live', form: filled, request: { period: after, compareTo: before } };
}

function rangeQuery(form: DashboardForm, today: string, problems: string[]): DashboardQuery {
  const filled = { ...form };
  filled.to ||= today;
  filled.from ||= isDay(filled.to) ? addDays(filled.to, 1 - DEFAULT_RANGE_DAYS) : '';
  // An empty `from` here means `to` is no date (the default could not be computed): that one problem is enough.
  const fromOk = filled.from !== '' && checkDay(filled, 'from', problems);
  const toOk = checkDay(filled, 'to', problems);
  if (fromOk && toOk) checkPeriod({ from: filled.from, to: filled.to }, 'Period', problems);
  let compareTo: Period | null = null;
  if ((filled.compareFrom === '') !== (filled.compareTo === '')) {
    problems.push('Comparison: give both dates (compare from and compare to), or neither.');
  } else if (filled.compareFrom !== '') {
    const compareFromOk = checkDay(filled, 'compareFrom', problems);
    if (checkDay(filled, 'compareTo', problems) && compareFromOk) {
      compareTo = { from: filled.compareFrom, to: filled.compareTo };
      checkPeriod(compareTo, 'Comparison period', problems);
    }
  }
  if (problems.length > 0) return { ok: false, form: filled, problems };
  return { ok: true, mode: 'range', form: filled, request: { period: { from: filled.from, to: filled.to }, compareTo } };
}

/** Reads the dashboard's query (Express's parsed query) given today's local day. */
export function parseDashboardQuery(query: Record<string, unknown>, today: string): DashboardQuery {
  const problems: string[] = [];
  const form = readFields(query, problems);
  if (form.goLive !== '' || form.days !== '') return goLiveQuery(form, problems);
  return rangeQuery(form, today, problems);
}
