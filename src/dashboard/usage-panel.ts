/**
 * The dashboard's usage panel (issue 13): this UTC month's starts, ends and identified share per environment,
 * and the monthly quota used and left, written out in words from one UsageReport (usage/usage-report.ts).
 */
import type { EntityManager } from '@mikro-orm/core';

import { utcMonth } from '../usage/usage.sql';
import { usageReport, type UsageCounts, type UsageReport } from '../usage/usage-report';
import type { DashboardContext } from './dashboard-context';
import { formatCount, formatPercent } from './dashboard-format';

/** One row of the panel's table. */
export interface UsageRow {
  label: string;
  starts: string;
  ends: string;
  identified: string;
}

/** The panel as the page shows it. */
export interface UsagePanel {
  /** "February 2026 (UTC)". */
  monthLabel: string;
  rows: UsageRow[];
  total: UsageRow;
  /** "1,234 of 10,000 used · 8,766 left", or "Unlimited · 1,234 counted". */
  quotaLine: string;
  /** The meter's figures; null when the quota is unlimited (no meter then). */
  meter: { used: number; quota: number; label: string } | null;
  /** True once nothing is left: starts and ends are answered 402 until the month ends. */
  exhausted: boolean;
}

const ENVIRONMENT_LABELS: Record<string, string> = { test: 'Test', prod: 'Prod' };

function row(label: string, counts: UsageCounts): UsageRow {
  return { label, starts: formatCount(counts.callsStarted), ends: formatCount(counts.callsEnded), identified: counts.identifiedShare === null ? 'no starts' : formatPercent(counts.identifiedShare) };
}

/** "February 2026 (UTC)" for `2026-02`. */
function monthLabel(month: string): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const name = new Intl.DateTimeFormat('en-GB', { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(year, monthNumber - 1, 1)));
  return `${name} ${year} (UTC)`;
}

/** Builds the panel from the month's report. */
export function usagePanel(report: UsageReport): UsagePanel {
  const { quota, used, left } = report;
  const limited = quota !== null && left !== null;
  return {
    monthLabel: monthLabel(report.month),
    rows: report.environments.map((e) => row(ENVIRONMENT_LABELS[e.environment] ?? e.environment, e)),
    total: row('Total', report),
    quotaLine: limited ? `${formatCount(used)} of ${formatCount(quota)} used · ${formatCount(left)} left` : `Unlimited · ${formatCount(used)} starts and ends counted`,
    meter: limited ? { used: Math.min(used, quota), quota, label: `Monthly quota: ${formatCount(used)} of ${formatCount(quota)} starts and ends used` } : null,
    exhausted: limited && left === 0,
  };
}

/** This UTC month's usage of the signed-in organisation, with the quota in force. */
export async function dashboardUsage(ctx: DashboardContext, em: EntityManager, organisationId: string, now: Date): Promise<UsageReport> {
  const { monthlyQuota } = await ctx.services.limits.of(em, organisationId);
  return usageReport(em, organisationId, utcMonth(now), monthlyQuota, now);
}
