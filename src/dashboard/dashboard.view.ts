/**
 * The dashboard page's view model: plain data built from one MetricsReport (the same shape GraphQL's
 * `metrics` returns), every figure already written out in words and units, so the template only renders.
 */
import type { DayCalls, IntentVolume, MetricsReport, PeriodMetrics } from '../metrics/metrics.types';
import { headlineFigures, type Figure } from './dashboard-figures';
import type { DashboardForm } from './dashboard-query';
import type { UsageReport } from '../usage/usage-report';
import { usagePanel, type UsagePanel } from './usage-panel';
import {
  formatCount,
  formatDay,
  formatImprovement,
  formatPercent,
  formatPeriod,
  formatRoiValue,
  formatShortDay,
  type ImprovementCell,
} from './dashboard-format';

/** One row of the calls-per-day table. */
export interface DayRow {
  day: string;
  /** Sat 7 Feb 2026. */
  label: string;
  /** Sat 7 Feb (the table's column; the period names the year). */
  short: string;
  calls: string;
  recognised: string;
  toConfirm: string;
  unrecognised: string;
}

/** One row of an intents table. */
export interface IntentRow {
  name: string;
  calls: string;
  attempts: string;
}

/** The ROI table: Before / After / Improvement. */
export interface RoiView {
  beforeLabel: string;
  afterLabel: string;
  rows: { label: string; before: string; after: string; improvement: ImprovementCell }[];
}

/** Everything the page shows of one report. */
export interface ReportView {
  periodLabel: string;
  comparisonLabel: string | null;
  figures: Figure[];
  callsPerDay: { summary: string; rows: DayRow[]; total: DayRow };
  recognition: { summary: string; rows: { label: string; calls: string; share: string }[] };
  intents: { summary: string; open: string; abandoned: string; byVolume: IntentRow[]; byAttempts: IntentRow[] };
  roi: RoiView | null;
  /** The report as JSON for the charts' script, safe inside `<script type="application/json">`. */
  json: string;
}

/** The whole page. */
export interface DashboardView {
  /** "Acme Support · prod". */
  heading: string;
  environment: string;
  timeZone: string;
  /** Now, in the organisation's time zone. */
  asOf: string;
  form: DashboardForm;
  problems: string[];
  signOutCsrf: string;
  report: ReportView | null;
  /** This month's usage and quota (usage-panel.ts); null when it could not be read. */
  usage: UsagePanel | null;
}

/** What the page is built from. */
export interface DashboardInput {
  organisationName: string;
  environment: string;
  timeZone: string;
  now: Date;
  form: DashboardForm;
  problems: string[];
  signOutCsrf: string;
  report: MetricsReport | null;
  /** This UTC month's usage of the organisation; left out: no usage panel. */
  usage?: UsageReport | null;
}

/** JSON that cannot end a script element or open a comment in it. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

function dayRow(d: DayCalls, label?: string): DayRow {
  return {
    day: d.day,
    label: label ?? formatDay(d.day),
    short: label ?? formatShortDay(d.day),
    calls: formatCount(d.calls),
    recognised: formatCount(d.recognised),
    toConfirm: formatCount(d.toConfirm),
    unrecognised: formatCount(d.unrecognised),
  };
}

const share = (part: number, whole: number) => formatPercent(whole === 0 ? null : part / whole);
const intentRow = (i: IntentVolume): IntentRow => ({ name: i.name, calls: formatCount(i.calls), attempts: formatCount(i.attempts) });

function callsPerDay(m: PeriodMetrics, periodLabel: string): ReportView['callsPerDay'] {
  const busiest = m.callsPerDay.reduce<DayCalls | null>((best, d) => (best === null || d.calls > best.calls ? d : best), null);
  const total = dayRow({ day: '', calls: m.calls, recognised: m.recognised, toConfirm: m.toConfirm, unrecognised: m.unrecognised }, 'Total');
  const peak = busiest && busiest.calls > 0 ? `; busiest day ${formatDay(busiest.day)} with ${formatCount(busiest.calls)}` : '';
  return {
    summary: `Calls per day, ${periodLabel}: ${total.calls} calls${peak}. ${total.recognised} recognised, ${total.toConfirm} to confirm, ${total.unrecognised} new.`,
    rows: m.callsPerDay.map((d) => dayRow(d)),
    total,
  };
}

function recognition(m: PeriodMetrics): ReportView['recognition'] {
  const rows = [
    { label: 'Recognised', calls: formatCount(m.recognised), share: share(m.recognised, m.calls) },
    { label: 'To confirm', calls: formatCount(m.toConfirm), share: share(m.toConfirm, m.calls) },
    { label: 'New', calls: formatCount(m.unrecognised), share: share(m.unrecognised, m.calls) },
  ];
  return { summary: `How callers were recognised: ${rows.map((r) => `${r.label.toLowerCase()} ${r.share}`).join(', ')}.`, rows };
}

function intents(m: PeriodMetrics): ReportView['intents'] {
  const top = m.intents.topByVolume;
  return {
    summary: top.length === 0 ? 'Top intents by calls: none in this period.' : `Top intents by calls: ${top.map((i) => `${i.name} ${formatCount(i.calls)}`).join(', ')}.`,
    open: formatCount(m.intents.open),
    abandoned: formatCount(m.intents.abandoned),
    byVolume: top.map(intentRow),
    byAttempts: m.intents.topByAttempts.map(intentRow),
  };
}

function roi(report: MetricsReport): RoiView | null {
  if (!report.comparison) return null;
  return {
    beforeLabel: formatPeriod(report.comparison.period),
    afterLabel: formatPeriod(report.current.period),
    rows: report.roi.map((row) => ({
      label: row.label,
      before: formatRoiValue(row.metric, row.before),
      after: formatRoiValue(row.metric, row.after),
      improvement: formatImprovement(row),
    })),
  };
}

/** The report as the page shows it. */
export function reportView(report: MetricsReport): ReportView {
  const current = report.current;
  const periodLabel = formatPeriod(current.period);
  return {
    periodLabel,
    comparisonLabel: report.comparison ? formatPeriod(report.comparison.period) : null,
    figures: headlineFigures(current),
    callsPerDay: callsPerDay(current, periodLabel),
    recognition: recognition(current),
    intents: intents(current),
    roi: roi(report),
    json: scriptJson(report),
  };
}

/** Now as the organisation reads its clock: 7 Feb 2026, 10:30. */
function localTime(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(now);
}

/** Builds the dashboard page's model. */
export function dashboardView(input: DashboardInput): DashboardView {
  return {
    heading: `${input.organisationName} · ${input.environment}`,
    environment: input.environment,
    timeZone: input.timeZone,
    asOf: localTime(input.now, input.timeZone),
    form: input.form,
    problems: input.problems,
    signOutCsrf: input.signOutCsrf,
    report: input.report ? reportView(input.report) : null,
    usage: input.usage ? usagePanel(input.usage) : null,
  };
}
